// The remark catalogue: one table, shared by the graders, the documentation and the database seed.
// (type, value) is the stable key. Values 0..N of each original area are the original's enum
// values, names and levels (spec §16), kept verbatim so historical remarks stay comparable; codes
// added by this implementation take new values after them. Never renumber, never reuse a value.
import { GradedArea, RemarkLevel, RemarkRef } from './types';

export interface RemarkType {
  /** Stable row id (the original's seed order gives 1..7; dnssec is new). */
  id: number;
  name: GradedArea;
}

export const REMARK_TYPES: readonly RemarkType[] = [
  { id: 1, name: 'spf' },
  { id: 2, name: 'dmarc' },
  { id: 3, name: 'caa' },
  { id: 4, name: 'ns' },
  { id: 5, name: 'soa' },
  { id: 6, name: 'mx' },
  { id: 7, name: 'bimi' },
  { id: 8, name: 'dnssec' },
];

export interface RemarkDefinition {
  type: GradedArea;
  /** Enum name (the original's, for values it had). */
  name: string;
  value: number;
  level: RemarkLevel;
  /** Display name as seeded by the original (new codes: a title in the same style). */
  title: string;
  /** One line a site owner understands: what is wrong and what to do. */
  text: string;
  /** False for codes that exist only for compatibility and that this implementation never raises. */
  emitted: boolean;
  /** True for codes this implementation added (not in the original's catalogue). */
  added: boolean;
}

const F = RemarkLevel.Fatal;
const E = RemarkLevel.Error;
const W = RemarkLevel.Warning;
const D = RemarkLevel.Deprecated;
const I = RemarkLevel.Info;

type Row = [value: number, name: string, level: RemarkLevel, title: string, text: string, flags?: 'unused' | 'new'];

// Per area: [value, name, level, seeded title, explanation, flags]. Rows up to the original's
// largest value are the original's; rows marked 'new' are ours.
const ROWS: Record<GradedArea, Row[]> = {
  spf: [
    [0, 'NONE', F, 'None', 'Placeholder code of the original catalogue; never raised.', 'unused'],
    [1, 'INVALID_RECORD_START', F, 'Invalid Record Start', 'The SPF record must start with "v=spf1" followed by a space or the end of the record.'],
    [2, 'HAS_PTR', D, 'Has Ptr', 'The "ptr" mechanism is slow and unreliable and should not be used (RFC 7208 §5.5); list the addresses with ip4:/ip6: or a: instead.'],
    [3, 'TOO_MANY_DNS_LOOKUPS', W, 'Too Many DNS Lookups', 'Evaluating the SPF record needs more than 10 DNS lookups (include, a, mx, ptr, exists, redirect, counted through every include); receivers return permerror. Flatten or remove includes.'],
    [4, 'DEFAULT_ALL_QUALIFIER', E, 'Default All Qualifier', 'A bare "all" has the default qualifier "+", so it lets anyone send mail as the domain; use "-all" or "~all".'],
    [5, 'INVALID_INCLUDE_FORMAT', E, 'Invalid Include Format', 'An include mechanism has no valid domain after "include:".'],
    [6, 'INCLUDE_RETURNED_MANY_SPF', F, 'Include Returned Many Spf', 'An include: target publishes more than one SPF record; receivers return permerror.'],
    [7, 'TOO_MANY_A_RECORDS_RETURNED', W, 'Too Many A Records Returned', 'Original warning for an "a" mechanism with more than 10 addresses; RFC 7208 sets no such limit, so it is no longer raised.', 'unused'],
    [8, 'INVALID_A_MECHANISM', E, 'Invalid A Mechanism', 'An "a" mechanism has an invalid domain or prefix length (a, a:domain, a/24, a:domain/24//64).'],
    [9, 'INVALID_MX_MECHANISM', E, 'Invalid MX Mechanism', 'An "mx" mechanism has an invalid domain or prefix length (mx, mx:domain, mx/24).'],
    [10, 'TOO_MANY_MX_RECORDS_RETURNED', W, 'Too Many MX Records Returned', 'An "mx" mechanism names a domain with more than 10 MX records; receivers return permerror (RFC 7208 §4.6.4).'],
    [11, 'INVALID_REDIRECT_MECHANISM', E, 'Invalid Redirect Mechanism', 'The redirect= modifier has no valid domain.'],
    [12, 'NO_RECORD_AT_REDIRECT', F, 'No Record At Redirect', 'The redirect= target publishes no SPF record; receivers return permerror.'],
    [13, 'REDIRECT_RETURNED_MANY_SPF', F, 'Redirect Returned Many Spf', 'The redirect= target publishes more than one SPF record; receivers return permerror.'],
    [14, 'INVALID_IPV4_MECHANISM', E, 'Invalid IPv4 Mechanism', 'An "ip4" mechanism has no address after "ip4:".'],
    [15, 'INVALID_IPV6_MECHANISM', E, 'Invalid IPv6 Mechanism', 'An "ip6" mechanism has no address after "ip6:".'],
    [16, 'INVALID_MECHANISM', E, 'Invalid Mechanism', 'The record contains a term that is neither a known mechanism nor a name=value modifier; receivers return permerror.'],
    [17, 'MULTIPLE_SPF_RECORDS', F, 'Multiple Spf Records', 'The domain publishes more than one SPF record; receivers return permerror. Merge them into one.'],
    [18, 'NO_SPF_FOUND', F, 'No Spf Found', 'The domain publishes no SPF record, so receivers cannot tell which servers may send its mail. Publish one (e.g. "v=spf1 -all" if it sends no mail).'],
    [19, 'INVALID_IPV4_CIDR', E, 'Invalid IPv4 Cidr', 'An "ip4" mechanism has a prefix length outside 0-32.'],
    [20, 'INVALID_IPV6_CIDR', E, 'Invalid IPv6 Cidr', 'An "ip6" mechanism has a prefix length outside 0-128.'],
    [21, 'TOO_MANY_ENDINGS', E, 'Too Many Endings', 'The record has more than one "all" mechanism; only the first is ever evaluated.'],
    [22, 'TOO_MANY_STARTS', F, 'Too Many Starts', 'The record contains "v=spf1" more than once, usually two records pasted together.'],
    [23, 'NO_MX_RECORDS', I, 'No MX Records', 'Original code for an mx mechanism without MX records; replaced by NO_MX_RECORDS_IN_MECHANISM.', 'unused'],
    [24, 'NO_A_RECORDS_IN_MECHANISM', W, 'No A Records Returned In Mechanism', 'An "a" mechanism names a domain with no A or AAAA records (a void lookup); it matches nothing.'],
    [25, 'NO_MX_RECORDS_IN_MECHANISM', W, 'No MX Records Returned In Mechanism', 'An "mx" mechanism names a domain with no MX records (a void lookup); it matches nothing.'],
    [26, 'INVALID_IPV4_VALUE', E, 'Invalid IPv4 Value', 'An "ip4" mechanism does not contain a valid IPv4 address.'],
    [27, 'INVALID_IPV6_VALUE', E, 'Invalid IPv6 Value', 'An "ip6" mechanism does not contain a valid IPv6 address.'],
    [28, 'LOOKUP_FAILED', E, 'SPF Lookup Failed', 'The TXT lookup of the domain failed (timeout or server error), so SPF could not be checked. Check that every name server answers.', 'new'],
    [29, 'NESTED_LOOKUP_FAILED', E, 'SPF Nested Lookup Failed', 'A lookup needed to evaluate the record (an include, redirect, a, mx or exists target) failed; receivers return temperror.', 'new'],
    [30, 'TOO_MANY_VOID_LOOKUPS', E, 'Too Many Void Lookups', 'More than 2 lookups made while evaluating the record return no records; receivers return permerror (RFC 7208 §4.6.4). Remove mechanisms that point at names that do not exist.', 'new'],
    [31, 'INCLUDE_NO_SPF_RECORD', F, 'Include Has No Spf Record', 'An include: target publishes no SPF record; receivers return permerror (RFC 7208 §5.2).', 'new'],
    [32, 'INCLUDE_LOOP', F, 'Include Loop', 'The include: chain leads back to a record already being evaluated; receivers return permerror.', 'new'],
    [33, 'REDIRECT_LOOP', F, 'Redirect Loop', 'The redirect= chain leads back to a record already being evaluated; receivers return permerror.', 'new'],
    [34, 'MULTIPLE_REDIRECT_MODIFIERS', E, 'Multiple Redirect Modifiers', 'The record has more than one redirect= modifier; receivers return permerror (RFC 7208 §6).', 'new'],
    [35, 'MULTIPLE_EXP_MODIFIERS', E, 'Multiple Exp Modifiers', 'The record has more than one exp= modifier; receivers return permerror (RFC 7208 §6).', 'new'],
    [36, 'TERMS_AFTER_ALL', W, 'Terms After All', 'Mechanisms after "all" are never evaluated (RFC 7208 §5.1); remove them or move them before "all".', 'new'],
    [37, 'REDIRECT_IGNORED', W, 'Redirect Ignored', 'The record has both "all" and redirect=; the redirect is never used (RFC 7208 §6.1).', 'new'],
    [38, 'NON_PUBLIC_ADDRESS', W, 'Non Public Address', 'An ip4/ip6 mechanism authorises a private, loopback, documentation or other non-routable network, which no Internet mail comes from.', 'new'],
    [39, 'INVALID_EXISTS_MECHANISM', E, 'Invalid Exists Mechanism', 'An "exists" mechanism has no valid domain after "exists:".', 'new'],
    [40, 'INVALID_MACRO', E, 'Invalid Macro', 'A domain in the record contains an invalid macro (%{...}) or a stray "%"; receivers return permerror (RFC 7208 §7).', 'new'],
    [41, 'NO_ALL_MECHANISM', I, 'No All Mechanism', 'The record ends without "all" or redirect=, so mail from unlisted servers gets "neutral"; end it with "-all" or "~all".', 'new'],
    [42, 'PASS_ALL', E, 'Pass All', 'The record ends with "+all", which lets anyone send mail as the domain; use "-all" or "~all".', 'new'],
    [43, 'DUPLICATE_INCLUDE', W, 'Duplicate Include', 'The same include: target is listed more than once, wasting DNS lookups.', 'new'],
  ],
  dmarc: [
    [0, 'INVALID_DMARC_RECORD', F, 'Invalid DMARC Record', 'Placeholder code of the original catalogue; never raised.', 'unused'],
    [1, 'INVALID_ADKIM_VALUE', E, 'Invalid DKIM alignment mode (adkim) value', 'adkim must be "r" (relaxed) or "s" (strict).'],
    [2, 'INVALID_ASPF_VALUE', E, 'Invalid SPF alignment mode ASPF, value', 'aspf must be "r" (relaxed) or "s" (strict).'],
    [3, 'INVALID_FAILURE_REPORTING_VALUE', E, 'Invalid Failure Reporting Value', 'fo must be a colon-separated list of 0, 1, d and s.'],
    [4, 'INVALID_POLICY', F, 'Invalid Policy', 'p must be "none", "quarantine" or "reject".'],
    [5, 'INVALID_SUBDOMAIN_POLICY', E, 'Invalid Subdomain Policy', 'sp must be "none", "quarantine" or "reject".'],
    [6, 'MULTIPLE_DMARC_RECORDS', F, 'Multiple Dmarc Records', 'More than one DMARC record is published at _dmarc; receivers then apply no DMARC policy at all. Keep exactly one.'],
    [7, 'INVALID_RF_VALUE', E, 'Invalid Failure reporting (rf) Value', 'rf must be a colon-separated list of report formats; "afrf" is the only registered one.'],
    [8, 'INVALID_RI_VALUE', E, 'Invalid Aggregate Reporting interval (ri) Value', 'ri must be a whole number of seconds (0-4294967295).'],
    [9, 'INVALID_PCT_VALUE', E, 'Invalid Percent Value', 'pct must be a whole number from 0 to 100.'],
    [10, 'INVALID_DMARC_RECORD_START', F, 'Invalid DMARC Record Start', 'The record looks like DMARC but does not start with "v=DMARC1" followed by ";"; receivers ignore it.'],
    [11, 'NO_DMARC_RECORD', F, 'No DMARC Record', 'No DMARC record is published at _dmarc.<domain>, so receivers apply no policy to mail that fails SPF and DKIM. Publish one, starting with p=none and rua= reporting.'],
    [12, 'LOOKUP_FAILED', E, 'DMARC Lookup Failed', 'The TXT lookup of _dmarc.<domain> failed (timeout or server error), so DMARC could not be checked.', 'new'],
    [13, 'NO_POLICY_TAG', E, 'No Policy Tag', 'The record has no valid p= tag; receivers treat it as p=none if rua= is valid and ignore it otherwise. Add p= right after v=DMARC1.', 'new'],
    [14, 'INVALID_RUA_URI', E, 'Invalid Aggregate Report URI', 'An rua= entry is not a valid DMARC URI (e.g. mailto:dmarc@example.com, optionally with !size).', 'new'],
    [15, 'INVALID_RUF_URI', E, 'Invalid Failure Report URI', 'A ruf= entry is not a valid DMARC URI (e.g. mailto:dmarc@example.com, optionally with !size).', 'new'],
    [16, 'DUPLICATE_TAG', E, 'Duplicate Tag', 'A tag appears more than once in the record; keep one.', 'new'],
    [17, 'UNKNOWN_TAG', W, 'Unknown Tag', 'The record contains a tag DMARC does not define; receivers ignore it (check for typos).', 'new'],
    [18, 'POLICY_NOT_SECOND_TAG', W, 'Policy Not Second Tag', 'The p= tag should come right after v=DMARC1 (RFC 7489 §6.4).', 'new'],
    [19, 'POLICY_NONE', I, 'Monitoring Only Policy', 'p=none only monitors: failing mail is still delivered. Move to quarantine or reject once reports look clean.', 'new'],
    [20, 'INVALID_TAG_SYNTAX', E, 'Invalid Tag Syntax', 'Part of the record is not a tag=value pair; receivers ignore it.', 'new'],
  ],
  caa: [
    [0, 'INVALID_PROPERTY_STRUCTURE', F, 'Invalid Property Structure', 'A CAA record could not be read as "flags tag value".'],
    [1, 'NO_CAA_RECORDS', F, 'No Caa Records', 'No CAA record is published, so any certificate authority may issue certificates for the domain. Publish "0 issue" records naming your CAs.'],
    [2, 'INVALID_FLAG', E, 'Invalid Flag', 'The CAA flags field must be a number from 0 to 255.'],
    [3, 'INVALID_TAG', E, 'Invalid Tag', 'A CAA tag may contain only letters and digits.'],
    [4, 'INVALID_VALUE', E, 'Invalid Value', 'Placeholder code of the original catalogue; never raised.', 'unused'],
    [5, 'VALUE_QUOTE_ERROR', F, 'Value Quote Error', 'A CAA value has unbalanced quotes.'],
    [6, 'VALUE_NOT_QUOTED', F, 'Value Not Quoted', 'A CAA value containing spaces is not quoted.'],
    [7, 'IODEF_NO_SCHEME', E, 'Iodef No Scheme', 'An iodef URL must start with mailto:, http: or https:.'],
    [8, 'IODEF_INVALID_EMAIL', E, 'Iodef Invalid Email', 'An iodef mailto: address is not a valid e-mail address.'],
    [9, 'IODEF_INVALID_URL', E, 'Iodef Invalid Url', 'An iodef http(s) URL is not valid.'],
    [10, 'ISSUEWILD_DOMAIN_INVALID', E, 'Issuewild Domain Invalid', 'An issuewild value is not a valid CA domain name (or empty, to forbid wildcard certificates).'],
    [11, 'ISSUE_DOMAIN_INVALID', E, 'Issue Domain Invalid', 'An issue value is not a valid CA domain name (or empty, to forbid issuance).'],
    [12, 'TAG_TOO_LONG', E, 'Tag Too Long', 'A CAA tag is longer than 15 characters (a limit of RFC 6844 that RFC 8659 dropped); no CA will recognise it.'],
    [13, 'LOOKUP_FAILED', E, 'CAA Lookup Failed', 'The CAA lookup failed (timeout or server error), so CAA could not be checked. CAs must refuse to issue when this happens.', 'new'],
    [14, 'CRITICAL_UNKNOWN_TAG', E, 'Critical Unknown Tag', 'A record with the critical flag (128) uses a tag CAs do not know, which forbids every CA from issuing (RFC 8659 §4.1).', 'new'],
    [15, 'RESERVED_FLAGS_SET', W, 'Reserved Flags Set', 'CAA flags other than 128 (critical) are reserved and must be 0 (RFC 8659 §4.1).', 'new'],
    [16, 'INVALID_ISSUE_PARAMETERS', E, 'Invalid Issue Parameters', 'The parameters after ";" in an issue/issuewild value are not tag=value pairs (RFC 8659 §4.2).', 'new'],
    [17, 'NO_ISSUE_PROPERTY', I, 'No Issue Property', 'CAA records exist but none is an "issue" record, so any CA may issue ordinary certificates.', 'new'],
  ],
  ns: [
    [0, 'NO_NS_RECORDS', F, 'No NS Records', 'The domain has no NS records.'],
    [1, 'ONLY_ONE_NS_RECORD', W, 'Only One Name Server', 'Only one name server is listed; use at least two, on different networks (RFC 2182).'],
    [2, 'NULL_NS_RECORD', F, 'Null NS Record', 'An NS record has an empty target (the root).'],
    [3, 'NAMESERVER_HAS_NO_A', E, 'Name Server Has no A Record', 'A name server\'s host name has no A or AAAA record, so nobody can reach it.'],
    [4, 'NAMESERVER_HAS_INVALID_RESPONSE', F, 'Name Server Has Invalid Response', 'A name server answered the NS query with an error (SERVFAIL, FORMERR, NOTIMP or a malformed answer).'],
    [5, 'NAMESERVER_IS_NOT_PUBLIC', W, 'Name Server Is Not Public', 'A name server address is private, loopback or otherwise not reachable from the Internet.'],
    [6, 'NO_NAME_SERVERS_RETURNED', F, 'No Name Servers Returned', 'No name server of the domain answered a direct query.'],
    [7, 'NAME_SERVER_MISMATCH', W, 'Name Server Mismatch', 'A name server returns a different NS set than the delegation; all servers must serve the same data.'],
    [8, 'LOOKUP_FAILED', E, 'NS Lookup Failed', 'The NS lookup failed (timeout or server error), so the name servers could not be checked.', 'new'],
    [9, 'NAMESERVER_NOT_RESPONDING', E, 'Name Server Not Responding', 'A name server did not answer (timeout or network error) at any of its addresses.', 'new'],
    [10, 'NAMESERVER_NOT_AUTHORITATIVE', E, 'Name Server Not Authoritative', 'A name server refused the query or answered without authority (lame delegation); fix or remove it.', 'new'],
    [11, 'NAMESERVER_ADDRESS_LOOKUP_FAILED', W, 'Name Server Address Lookup Failed', 'The A/AAAA lookup of a name server host failed (timeout or server error).', 'new'],
    [12, 'NAMESERVER_IS_IP_ADDRESS', E, 'Name Server Is An IP Address', 'An NS record names an IP address; NS targets must be host names.', 'new'],
    [13, 'NAMESERVER_IS_CNAME', E, 'Name Server Is A CNAME', 'A name server host name is an alias (CNAME), which RFC 2181 §10.3 forbids.', 'new'],
    [14, 'NAMESERVERS_SHARE_ADDRESS', W, 'Name Servers Share An Address', 'Several name servers resolve to the same address, so they are one server in practice.', 'new'],
  ],
  soa: [
    [0, 'NO_SOA', F, 'No SOA', 'No SOA record was returned for the domain (it may not be a zone apex).'],
    [1, 'TOO_MANY_SOA', F, 'Too Many SOA', 'More than one SOA record was returned; a zone has exactly one.'],
    [2, 'SOA_INVALID', F, 'SOA Invalid', 'The SOA record could not be read as its seven fields.'],
    [3, 'INVALID_MNAME', E, 'Invalid MNAME', 'The primary name server (MNAME) is not a valid host name.'],
    [4, 'INVALID_RNAME', E, 'Invalid RNAME', 'The responsible mailbox (RNAME) is not a valid mailbox domain name.'],
    [5, 'INVALID_SERIAL', E, 'Invalid Serial', 'The serial is not a number.'],
    [6, 'INVALID_REFRESH', E, 'Invalid Refresh', 'The refresh timer is not a number.'],
    [7, 'INVALID_RETRY', E, 'Invalid Retry', 'The retry timer is not a number.'],
    [8, 'INVALID_EXPIRE', E, 'Invalid Expire', 'The expire timer is not a number.'],
    [9, 'INVALID_MINIMUM', E, 'Invalid Minimum', 'The minimum (negative-caching TTL) is not a number.'],
    [10, 'SERIAL_NOT_IN_RANGE', E, 'Serial Not In Range', 'The serial is outside 0-4294967295.'],
    [11, 'REFRESH_NOT_IN_RANGE', E, 'Refresh Not in Range', 'The refresh timer is above 2147483647 s (RFC 2181 §8).'],
    [12, 'RETRY_NOT_IN_RANGE', E, 'Retry Not In Range', 'The retry timer is above 2147483647 s (RFC 2181 §8).'],
    [13, 'MINIMUM_NOT_IN_RANGE', E, 'Minimum Not In Range', 'The minimum is above 2147483647 s (RFC 2181 §8).'],
    [14, 'EXPIRE_NOT_IN_RANGE', E, 'Expire Not In Range', 'The expire timer is above 2147483647 s (RFC 2181 §8).'],
    [15, 'LOOKUP_FAILED', E, 'SOA Lookup Failed', 'The SOA lookup failed (timeout or server error), so the SOA could not be checked.', 'new'],
    [16, 'REFRESH_TOO_SHORT', W, 'Refresh Too Short', 'Refresh is below 1200 s (20 minutes); secondaries poll needlessly often (RFC 1912 §2.2).', 'new'],
    [17, 'REFRESH_TOO_LONG', W, 'Refresh Too Long', 'Refresh is above 43200 s (12 hours); secondaries pick up changes late (RFC 1912 §2.2).', 'new'],
    [18, 'RETRY_NOT_BELOW_REFRESH', W, 'Retry Not Below Refresh', 'Retry should be shorter than refresh (RFC 1912 §2.2).', 'new'],
    [19, 'EXPIRE_TOO_SHORT', W, 'Expire Too Short', 'Expire is below 604800 s (one week); secondaries drop the zone quickly when the primary is down (RFC 1912 suggests 2-4 weeks).', 'new'],
    [20, 'EXPIRE_NOT_ABOVE_REFRESH_PLUS_RETRY', W, 'Expire Not Above Refresh Plus Retry', 'Expire must be longer than refresh + retry, or secondaries expire the zone before they retry.', 'new'],
    [21, 'MINIMUM_TOO_SHORT', W, 'Minimum Too Short', 'The negative-caching TTL (minimum) is below 300 s; resolvers re-ask for missing names too often (RFC 2308 §5).', 'new'],
    [22, 'MINIMUM_TOO_LONG', W, 'Minimum Too Long', 'The negative-caching TTL (minimum) is above 86400 s (one day); a newly added name stays invisible too long (RFC 2308 §5).', 'new'],
    [23, 'SERIAL_INCONSISTENT', W, 'Serial Inconsistent', 'The name servers return different SOA serials, so some serve stale data.', 'new'],
  ],
  mx: [
    [0, 'NO_MX_RECORDS', F, 'NO MX RECORDS', 'The domain sends mail (it publishes an SPF record that authorises senders) but has no MX record, so replies and bounces cannot reach it.'],
    [1, 'BLANK_MX_RECORD', F, 'BLANK MX RECORD', 'An MX record is empty.'],
    [2, 'TOO_MANY_PARTS', F, 'TOO MANY PARTS', 'An MX record has more than "preference exchange".'],
    [3, 'TOO_FEW_PARTS', F, 'TOO FEW PARTS', 'An MX record lacks its preference or its exchange.'],
    [4, 'PREFERENCE_OUT_OF_RANGE', F, 'PREFERENCE OUT OF RANGE', 'An MX preference is outside 0-65535.'],
    [5, 'INVALID_PREFERENCE', F, 'INVALID PREFERENCE', 'An MX preference is not a number.'],
    [6, 'INVALID_EXCHANGE', F, 'INVALID EXCHANGE', 'An MX exchange is not a valid host name.'],
    [7, 'EXCHANGE_IS_AN_IP', W, 'EXCHANGE IS AN IP', 'An MX exchange is an IP address; it must be a host name with A/AAAA records.'],
    [8, 'NOT_PUBLIC_DOMAIN', W, 'NOT PUBLIC DOMAIN', 'An MX exchange is not under a public top-level domain (a single label, localhost, invalid or local).'],
    [9, 'POSSIBLE_BAD_EXCHANGE', W, 'POSSIBLE BAD EXCHANGE', 'An MX exchange repeats the domain name (e.g. mx.example.com.example.com), the classic missing-dot mistake in a zone file.'],
    [10, 'LOOKUP_FAILED', E, 'MX Lookup Failed', 'The MX lookup failed (timeout or server error), so mail delivery could not be checked.', 'new'],
    [11, 'NULL_MX', I, 'NULL MX', 'The domain publishes a null MX ("0 ."): it declares that it accepts no mail (RFC 7505).', 'new'],
    [12, 'NULL_MX_WITH_OTHER_MX', E, 'NULL MX WITH OTHER MX', 'A null MX must be the only MX record (RFC 7505 §3); remove it or the other records.', 'new'],
    [13, 'NULL_MX_NONZERO_PREFERENCE', W, 'NULL MX NONZERO PREFERENCE', 'A null MX should have preference 0 (RFC 7505 §3).', 'new'],
    [14, 'EXCHANGE_HAS_NO_ADDRESS', E, 'EXCHANGE HAS NO ADDRESS', 'An MX exchange has no A or AAAA record, so mail cannot be delivered to it.', 'new'],
    [15, 'EXCHANGE_IS_CNAME', W, 'EXCHANGE IS CNAME', 'An MX exchange is an alias (CNAME), which RFC 2181 §10.3 and RFC 5321 §5.1 forbid.', 'new'],
    [16, 'EXCHANGE_ADDRESS_LOOKUP_FAILED', I, 'EXCHANGE ADDRESS LOOKUP FAILED', 'The A/AAAA lookup of an MX exchange failed (timeout or server error), so its reachability could not be checked.', 'new'],
    [17, 'DUPLICATE_EXCHANGE', W, 'DUPLICATE EXCHANGE', 'The same exchange is listed in more than one MX record.', 'new'],
    [18, 'NO_MAIL_SERVICE', I, 'NO MAIL SERVICE', 'The domain has no MX record and does not send mail; there is nothing to grade. Publish a null MX ("0 .") to say so explicitly.', 'new'],
  ],
  bimi: [
    [0, 'N0_BIMI_RECORDS', F, 'N0 BIMI RECORDS', 'No BIMI record is published at default._bimi.<domain>.'],
    [1, 'TOO_MANY_BIMI_RECORDS', F, 'TOO MANY BIMI RECORDS', 'More than one BIMI record is published at default._bimi; keep one.'],
    [2, 'DMARC_STRICT_ENOUGH_POLICY', F, 'DMARC STRICT ENOUGH POLICY', 'BIMI needs a DMARC policy of quarantine or reject.'],
    [3, 'DMARC_STRICT_ENOUGH_PERCENT', F, 'DMARC STRICT ENOUGH PERCENT', 'BIMI needs the DMARC policy applied to all mail (pct=100 or no pct).'],
    [4, 'INVALID_START', F, 'INVALID START', 'The BIMI record must start with "v=BIMI1;".'],
    [5, 'LOGO_NOT_DEFINED', F, 'LOGO NOT DEFINED', 'The BIMI record has no l= (logo location) tag.'],
    [6, 'LOGO_NOT_HTTPS', F, 'LOGO NOT HTTPS', 'The logo location uses http://; it must be an https:// URL.'],
    [7, 'LOGO_INVALID_LOCATION', F, 'LOGO INVALID LOCATION', 'The logo location is not a valid https:// URL.'],
    [8, 'LOGO_INVALID_FORMAT', F, 'LOGO INVALID FORMAT', 'The logo must be an SVG file (.svg or .svgz).'],
    [9, 'SELECTOR_NOT_DEFINED', F, 'SELECTOR NOT DEFINED', 'Original code requiring an s= tag, which is not a BIMI record tag; no longer raised.', 'unused'],
    [10, 'DUPLICATE_TAG_FOUND', F, 'DUPLICATE TAG FOUND', 'A tag appears more than once in the BIMI record.'],
    [11, 'BIMI_OPTED_OUT', F, 'BIMI OPTED OUT', 'The record has an empty logo location: the domain declines to show a BIMI logo.'],
    [12, 'LOGO_LOCATION_BLANK', F, 'LOGO LOCATION BLANK', 'The logo location is empty but an authority (a=) is given; publish the logo URL.'],
    [13, 'DMARC_NOT_DEFINED', F, 'DMARC NOT DEFINED', 'BIMI needs a valid DMARC record, and the domain has none.'],
    [14, 'LOOKUP_FAILED', E, 'BIMI LOOKUP FAILED', 'The BIMI or DMARC lookup failed (timeout or server error), so BIMI could not be checked.', 'new'],
    [15, 'DMARC_SUBDOMAIN_POLICY_NOT_STRICT', F, 'DMARC SUBDOMAIN POLICY NOT STRICT', 'BIMI needs the DMARC subdomain policy (sp=) to be quarantine or reject, not none.', 'new'],
    [16, 'INVALID_AUTHORITY_LOCATION', F, 'INVALID AUTHORITY LOCATION', 'The a= (mark certificate) location is not an https:// URL.', 'new'],
    [17, 'NO_AUTHORITY_EVIDENCE', I, 'NO AUTHORITY EVIDENCE', 'No mark certificate (a=) is given; most mailbox providers show a BIMI logo only with one.', 'new'],
  ],
  dnssec: [
    [0, 'NO_DS_RECORDS', E, 'No DS Records', 'The parent zone has no DS record for the domain, so its DNS answers are not signed (or not verifiable). Enable DNSSEC at the DNS host and publish the DS at the registrar.', 'new'],
    [1, 'LOOKUP_FAILED', E, 'DNSSEC Lookup Failed', 'The DS or DNSKEY lookup failed (timeout or server error), so DNSSEC could not be checked.', 'new'],
    [2, 'NO_DNSKEY_RECORDS', F, 'No DNSKEY Records', 'The parent publishes a DS record but the zone has no DNSKEY: validating resolvers reject every answer (the domain is "bogus"). Remove the DS or sign the zone.', 'new'],
    [3, 'DS_DOES_NOT_MATCH_DNSKEY', F, 'DS Does Not Match DNSKEY', 'No DS record matches a DNSKEY of the zone (key tag, algorithm and digest): validating resolvers reject every answer. Publish the DS of the current key.', 'new'],
    [4, 'STALE_DS_RECORD', W, 'Stale DS Record', 'A DS record matches no DNSKEY of the zone (left over from a key rollover); remove it.', 'new'],
    [5, 'DS_ALGORITHM_MUST_NOT', E, 'DS Algorithm Must Not', 'A DS record uses an algorithm RFC 8624 says must not be used (RSAMD5, DSA, DSA-NSEC3-SHA1, ECC-GOST).', 'new'],
    [6, 'DS_ALGORITHM_NOT_RECOMMENDED', W, 'DS Algorithm Not Recommended', 'A DS record uses an algorithm RFC 8624 does not recommend (RSASHA1, RSASHA1-NSEC3-SHA1, RSASHA512); move to 13 (ECDSA P-256) or 8 (RSA/SHA-256).', 'new'],
    [7, 'DS_ALGORITHM_UNKNOWN', E, 'DS Algorithm Unknown', 'A DS record uses an unassigned or private algorithm number.', 'new'],
    [8, 'DS_DIGEST_TYPE_MUST_NOT', E, 'DS Digest Type Must Not', 'A DS record uses digest type 1 (SHA-1) or 3 (GOST), which RFC 8624 says must not be published; publish a SHA-256 (2) DS.', 'new'],
    [9, 'DS_DIGEST_TYPE_UNKNOWN', E, 'DS Digest Type Unknown', 'A DS record uses an unassigned digest type.', 'new'],
    [10, 'DNSKEY_ALGORITHM_MUST_NOT', E, 'DNSKEY Algorithm Must Not', 'A DNSKEY uses an algorithm RFC 8624 says must not be used for signing.', 'new'],
    [11, 'DNSKEY_ALGORITHM_NOT_RECOMMENDED', W, 'DNSKEY Algorithm Not Recommended', 'A DNSKEY uses an algorithm RFC 8624 does not recommend for signing; roll to algorithm 13 or 8.', 'new'],
    [12, 'DNSKEY_ALGORITHM_UNKNOWN', E, 'DNSKEY Algorithm Unknown', 'A DNSKEY uses an unassigned or private algorithm number.', 'new'],
    [13, 'DNSKEY_WITHOUT_DS', I, 'DNSKEY Without DS', 'The zone publishes DNSKEY records but the parent has no DS, so the signatures are never checked. Publish the DS at the registrar.', 'new'],
    [14, 'MALFORMED_DS_RECORD', E, 'Malformed DS Record', 'A DS record could not be read (fields, hex digest or digest length).', 'new'],
    [15, 'MALFORMED_DNSKEY_RECORD', E, 'Malformed DNSKEY Record', 'A DNSKEY record could not be read (fields, protocol 3 or base64 key).', 'new'],
    [16, 'MATCHED_KEY_NOT_SEP', I, 'Matched Key Not SEP', 'The DS matches a key without the SEP (257, key-signing) flag; this works, but usually the DS points at the KSK.', 'new'],
    [17, 'DS_DIGEST_UNVERIFIABLE', I, 'DS Digest Unverifiable', 'A DS uses a digest type this checker cannot compute (GOST), so its match was not verified.', 'new'],
    [18, 'RSA_KEY_TOO_SHORT', W, 'RSA Key Too Short', 'An RSA DNSKEY is shorter than 1024 bits and can be broken; use at least 2048 bits or switch to algorithm 13.', 'new'],
  ],
};

export const REMARKS: readonly RemarkDefinition[] = (Object.keys(ROWS) as GradedArea[]).flatMap((type) =>
  ROWS[type].map(([value, name, level, title, text, flag]) => ({
    type,
    name,
    value,
    level,
    title,
    text,
    emitted: flag !== 'unused',
    added: flag === 'new',
  })),
);

/** The stable string key of a remark: `<type>:<value>` (e.g. `spf:18`). */
export function remarkKey(ref: RemarkRef): string {
  return `${ref.type}:${ref.value}`;
}

const BY_KEY = new Map<string, RemarkDefinition>(REMARKS.map((r) => [remarkKey(r), r]));
const BY_NAME = new Map<string, RemarkDefinition>(REMARKS.map((r) => [`${r.type}:${r.name}`, r]));

/** The definition of a raised remark, or undefined for an unknown (type, value). */
export function findRemark(ref: RemarkRef): RemarkDefinition | undefined {
  return BY_KEY.get(remarkKey(ref));
}

/** The definition with this enum name in this area; throws for an unknown name (a programming error). */
export function remarkByName(type: GradedArea, name: string): RemarkDefinition {
  const found = BY_NAME.get(`${type}:${name}`);
  if (!found) throw new Error(`unknown remark name ${JSON.stringify(name)} in area ${type}`);
  return found;
}

const VALUE_BY_AREA_NAME = new Map<GradedArea, Map<string, number>>(
  (Object.keys(ROWS) as GradedArea[]).map((area) => [area, new Map(ROWS[area].map(([value, name]) => [name, value]))]),
);

/** The numeric value of a remark by area and enum name; throws for an unknown name (a programming error). */
export function remarkValue(type: GradedArea, name: string): number {
  const value = VALUE_BY_AREA_NAME.get(type)?.get(name);
  if (value === undefined) throw new Error(`unknown remark name ${JSON.stringify(name)} in area ${type}`);
  return value;
}

/** A RemarkRef by area and enum name, e.g. `remark('spf', 'NO_SPF_FOUND')` → `{ type: 'spf', value: 18 }`. */
export function remark(type: GradedArea, name: string): RemarkRef {
  return { type, value: remarkByName(type, name).value };
}
