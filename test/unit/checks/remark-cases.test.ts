// Every remark code this library raises: one case that raises it, and a close case that does not.
import { gradeSite, processSite } from '../../../src/checks';
import { findRemark, REMARKS } from '../../../src/checks/remarks';
import type { GradedArea } from '../../../src/checks/types';
import type { DnskeyData, QueryOutcome, SiteScan } from '../../../src/dns/types';
import {
  a, caa, dnskey, DOMAIN, dsOf, healthySite, KSK, mx, nameServer, ns, NS_HOSTS, outcome, soa, status, textOnly, txt, ZSK,
} from './fixtures';

type Change = (s: SiteScan) => void;
interface Case {
  area: GradedArea;
  name: string;
  raises: Change;
  near: Change;
}

const cases: Case[] = [];
const def = (area: GradedArea, name: string, raises: Change, near: Change): void => void cases.push({ area, name, raises, near });

// ---- helpers
const spf = (...records: string[]): Change => (s) => {
  s.txt = outcome(DOMAIN, 'TXT', records.map((r) => txt(r)));
};
const lookups = (...entries: QueryOutcome[]): Change => (s) => {
  s.spfLookups.push(...entries);
};
const both = (...changes: Change[]): Change => (s) => changes.forEach((c) => c(s));
const spfTxt = (name: string, ...records: string[]): QueryOutcome => outcome(name, 'TXT', records.map((r) => txt(r)));
const addr = (name: string, address?: string): QueryOutcome[] => [
  outcome(name, 'A', address ? [a(address)] : []),
  outcome(name, 'AAAA', []),
];
const dmarc = (...records: string[]): Change => (s) => {
  s.dmarc = outcome(`_dmarc.${DOMAIN}`, 'TXT', records.map((r) => txt(r)));
};
const caaSet = (...records: Array<[number, string, string]>): Change => (s) => {
  s.caa = outcome(DOMAIN, 'CAA', records.map(([f, t, v]) => caa(f, t, v)));
};
const LE: [number, string, string] = [0, 'issue', 'letsencrypt.org'];
const mxSet = (...records: Array<[number, string]>): Change => (s) => {
  s.mx = outcome(DOMAIN, 'MX', records.map(([p, e]) => mx(p, e)));
};
const soaSet = (fields: Parameters<typeof soa>[0]): Change => (s) => {
  s.soa = outcome(DOMAIN, 'SOA', [soa(fields)]);
};
const bimi = (...records: string[]): Change => (s) => {
  s.bimi = outcome(`default._bimi.${DOMAIN}`, 'TXT', records.map((r) => txt(r)));
};
const LOGO = 'l=https://example.com/logo.svg';
const VMC = 'a=https://example.com/vmc.pem';
const keys = (...k: DnskeyData[]): Change => (s) => {
  s.dnskey = outcome(DOMAIN, 'DNSKEY', k.map(dnskey));
};
const dsSet = (...records: ReturnType<typeof dsOf>[]): Change => (s) => {
  s.ds = outcome(DOMAIN, 'DS', records);
};
const nothing: Change = () => undefined;

// ---- SPF
def('spf', 'INVALID_RECORD_START', spf('v=spf10 -all'), spf('v=spf1 -all'));
def('spf', 'HAS_PTR', spf('v=spf1 ptr -all'), spf('v=spf1 a -all'));
def(
  'spf', 'TOO_MANY_DNS_LOOKUPS',
  spf(`v=spf1 ${Array.from({ length: 11 }, (_, i) => `exists:e${i}.example.net`).join(' ')} -all`),
  spf(`v=spf1 ${Array.from({ length: 10 }, (_, i) => `exists:e${i}.example.net`).join(' ')} -all`),
);
def('spf', 'DEFAULT_ALL_QUALIFIER', spf('v=spf1 all'), spf('v=spf1 -all'));
def('spf', 'INVALID_INCLUDE_FORMAT', spf('v=spf1 include: -all'), both(spf('v=spf1 include:_spf.example.net -all'), lookups(spfTxt('_spf.example.net', 'v=spf1 -all'))));
def('spf', 'INCLUDE_RETURNED_MANY_SPF', both(spf('v=spf1 include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'v=spf1 -all', 'v=spf1 ~all'))), both(spf('v=spf1 include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'v=spf1 -all', 'other text'))));
def('spf', 'INVALID_A_MECHANISM', spf('v=spf1 a/33 -all'), spf('v=spf1 a/32 -all'));
def('spf', 'INVALID_MX_MECHANISM', spf('v=spf1 mx//129 -all'), spf('v=spf1 mx//128 -all'));
const manyMx = (n: number): QueryOutcome => outcome('big.example.net', 'MX', Array.from({ length: n }, (_, i) => mx(i, `m${i}.example.net`)));
def('spf', 'TOO_MANY_MX_RECORDS_RETURNED', both(spf('v=spf1 mx:big.example.net -all'), lookups(manyMx(11))), both(spf('v=spf1 mx:big.example.net -all'), lookups(manyMx(10))));
def('spf', 'INVALID_REDIRECT_MECHANISM', spf('v=spf1 redirect='), both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))));
def('spf', 'NO_RECORD_AT_REDIRECT', both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'hello'))), both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))));
def('spf', 'REDIRECT_RETURNED_MANY_SPF', both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all', 'v=spf1 ~all'))), both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))));
def('spf', 'INVALID_IPV4_MECHANISM', spf('v=spf1 ip4: -all'), spf('v=spf1 ip4:185.1.1.1 -all'));
def('spf', 'INVALID_IPV6_MECHANISM', spf('v=spf1 ip6 -all'), spf('v=spf1 ip6:2a00:1450::1 -all'));
def('spf', 'INVALID_MECHANISM', spf('v=spf1 foo -all'), spf('v=spf1 foo=bar -all'));
def('spf', 'MULTIPLE_SPF_RECORDS', spf('v=spf1 -all', 'v=spf1 ~all'), spf('v=spf1 -all', 'v=spf2.0/pra -all'));
def('spf', 'NO_SPF_FOUND', spf('google-site-verification=x'), spf('v=spf1 -all'));
def('spf', 'INVALID_IPV4_CIDR', spf('v=spf1 ip4:185.1.1.0/33 -all'), spf('v=spf1 ip4:185.1.1.0/32 -all'));
def('spf', 'INVALID_IPV6_CIDR', spf('v=spf1 ip6:2a00:1450::/129 -all'), spf('v=spf1 ip6:2a00:1450::/128 -all'));
def('spf', 'TOO_MANY_ENDINGS', spf('v=spf1 -all ~all'), spf('v=spf1 -all'));
def('spf', 'TOO_MANY_STARTS', spf('v=spf1 a v=spf1 -all'), spf('v=spf1 a -all'));
def('spf', 'NO_A_RECORDS_IN_MECHANISM', both(spf('v=spf1 a:gone.example.net -all'), lookups(...addr('gone.example.net'))), both(spf('v=spf1 a:here.example.net -all'), lookups(...addr('here.example.net', '185.1.1.1'))));
def('spf', 'NO_MX_RECORDS_IN_MECHANISM', both(spf('v=spf1 mx:www.example.net -all'), lookups(outcome('www.example.net', 'MX', []))), both(spf('v=spf1 mx:www.example.net -all'), lookups(outcome('www.example.net', 'MX', [mx(10, 'mx.example.net')]))));
def('spf', 'INVALID_IPV4_VALUE', spf('v=spf1 ip4:300.1.1.1 -all'), spf('v=spf1 ip4:200.1.1.1 -all'));
def('spf', 'INVALID_IPV6_VALUE', spf('v=spf1 ip6:2001:zz::1 -all'), spf('v=spf1 ip6:2001:aa::1 -all'));
def('spf', 'LOOKUP_FAILED', (s) => void (s.txt = status(DOMAIN, 'TXT', 'TIMEOUT')), (s) => void (s.txt = status(DOMAIN, 'TXT', 'NXDOMAIN')));
def('spf', 'NESTED_LOOKUP_FAILED', both(spf('v=spf1 include:_i.example.net -all'), lookups(status('_i.example.net', 'TXT', 'SERVFAIL'))), both(spf('v=spf1 include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'v=spf1 -all'))));
const voids = (n: number): Change => both(spf(`v=spf1 ${Array.from({ length: n }, (_, i) => `a:g${i}.example.net`).join(' ')} -all`), lookups(...Array.from({ length: n }, (_, i) => addr(`g${i}.example.net`)).flat()));
def('spf', 'TOO_MANY_VOID_LOOKUPS', voids(3), voids(2));
def('spf', 'INCLUDE_NO_SPF_RECORD', both(spf('v=spf1 include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'hello'))), both(spf('v=spf1 include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'v=spf1 -all'))));
def('spf', 'INCLUDE_LOOP', both(spf('v=spf1 include:_a.example.net -all'), lookups(spfTxt('_a.example.net', 'v=spf1 include:_b.example.net -all'), spfTxt('_b.example.net', 'v=spf1 include:_a.example.net -all'))), both(spf('v=spf1 include:_a.example.net -all'), lookups(spfTxt('_a.example.net', 'v=spf1 include:_b.example.net -all'), spfTxt('_b.example.net', 'v=spf1 -all'))));
def('spf', 'REDIRECT_LOOP', both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 redirect=_r.example.net'))), both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))));
def('spf', 'MULTIPLE_REDIRECT_MODIFIERS', both(spf('v=spf1 redirect=_r.example.net redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))), both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))));
def('spf', 'MULTIPLE_EXP_MODIFIERS', spf('v=spf1 -all exp=e.example.net exp=f.example.net'), spf('v=spf1 -all exp=e.example.net'));
def('spf', 'TERMS_AFTER_ALL', spf('v=spf1 -all ip4:185.1.1.1'), spf('v=spf1 ip4:185.1.1.1 -all'));
def('spf', 'REDIRECT_IGNORED', spf('v=spf1 -all redirect=_r.example.net'), both(spf('v=spf1 redirect=_r.example.net'), lookups(spfTxt('_r.example.net', 'v=spf1 -all'))));
def('spf', 'NON_PUBLIC_ADDRESS', spf('v=spf1 ip4:10.0.0.0/8 -all'), spf('v=spf1 ip4:11.0.0.0/8 -all'));
def('spf', 'INVALID_EXISTS_MECHANISM', spf('v=spf1 exists: -all'), spf('v=spf1 exists:%{i}.example.net -all'));
def('spf', 'INVALID_MACRO', spf('v=spf1 exists:%{z}.example.net -all'), spf('v=spf1 exists:%{d}.example.net -all'));
def('spf', 'NO_ALL_MECHANISM', spf('v=spf1 ip4:185.1.1.1'), spf('v=spf1 ip4:185.1.1.1 ?all'));
def('spf', 'PASS_ALL', spf('v=spf1 +all'), spf('v=spf1 ~all'));
def('spf', 'DUPLICATE_INCLUDE', both(spf('v=spf1 include:_i.example.net include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'v=spf1 -all'))), both(spf('v=spf1 include:_i.example.net -all'), lookups(spfTxt('_i.example.net', 'v=spf1 -all'))));

// ---- DMARC
const R = 'v=DMARC1; p=reject; rua=mailto:d@example.com';
def('dmarc', 'INVALID_ADKIM_VALUE', dmarc(`${R}; adkim=x`), dmarc(`${R}; adkim=S`));
def('dmarc', 'INVALID_ASPF_VALUE', dmarc(`${R}; aspf=x`), dmarc(`${R}; aspf=r`));
def('dmarc', 'INVALID_FAILURE_REPORTING_VALUE', dmarc(`${R}; fo=1:x`), dmarc(`${R}; fo=1:d`));
def('dmarc', 'INVALID_POLICY', dmarc('v=DMARC1; p=bogus'), dmarc('v=DMARC1; p=Reject'));
def('dmarc', 'INVALID_SUBDOMAIN_POLICY', dmarc(`${R}; sp=bogus`), dmarc(`${R}; sp=none`));
def('dmarc', 'MULTIPLE_DMARC_RECORDS', dmarc(R, R), dmarc(R, 'v=spf1 -all'));
def('dmarc', 'INVALID_RF_VALUE', dmarc(`${R}; rf=xml`), dmarc(`${R}; rf=afrf`));
def('dmarc', 'INVALID_RI_VALUE', dmarc(`${R}; ri=daily`), dmarc(`${R}; ri=86400`));
def('dmarc', 'INVALID_PCT_VALUE', dmarc(`${R}; pct=101`), dmarc(`${R}; pct=100`));
def('dmarc', 'INVALID_DMARC_RECORD_START', dmarc('v=dmarc1; p=reject'), dmarc('v = DMARC1 ; p=reject'));
def('dmarc', 'NO_DMARC_RECORD', (s) => void (s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'NXDOMAIN')), nothing);
def('dmarc', 'LOOKUP_FAILED', (s) => void (s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'SERVFAIL')), (s) => void (s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'NODATA')));
def('dmarc', 'NO_POLICY_TAG', dmarc('v=DMARC1; rua=mailto:d@example.com'), dmarc('v=DMARC1; p=none; rua=mailto:d@example.com'));
def('dmarc', 'INVALID_RUA_URI', dmarc('v=DMARC1; p=reject; rua=reject'), dmarc('v=DMARC1; p=reject; rua=mailto:d@example.com!10m'));
def('dmarc', 'INVALID_RUF_URI', dmarc(`${R}; ruf=forensic`), dmarc(`${R}; ruf=mailto:f@example.com`));
def('dmarc', 'DUPLICATE_TAG', dmarc(`${R}; p=none`), dmarc(`${R}; sp=none`));
def('dmarc', 'UNKNOWN_TAG', dmarc(`${R}; foo=bar`), dmarc(`${R}; np=reject`));
def('dmarc', 'POLICY_NOT_SECOND_TAG', dmarc('v=DMARC1; rua=mailto:d@example.com; p=reject'), dmarc('v=DMARC1; p=reject; rua=mailto:d@example.com'));
def('dmarc', 'POLICY_NONE', dmarc('v=DMARC1; p=none'), dmarc('v=DMARC1; p=quarantine'));
def('dmarc', 'INVALID_TAG_SYNTAX', dmarc(`${R}; garbage`), dmarc(`${R};`));

// ---- CAA
const caaText = (...texts: string[]): Change => (s) => void (s.caa = textOnly(DOMAIN, 'CAA', texts));
def('caa', 'INVALID_PROPERTY_STRUCTURE', caaText('taco'), caaText('0 issue "x.com"'));
def('caa', 'NO_CAA_RECORDS', (s) => void (s.caa = status(DOMAIN, 'CAA', 'NODATA')), nothing);
def('caa', 'INVALID_FLAG', caaText('x issue "letsencrypt.org"'), caaText('128 issue "letsencrypt.org"'));
def('caa', 'INVALID_TAG', caaSet(LE, [0, 'is-sue', 'x.com']), caaSet(LE, [0, 'Issue', 'x.com']));
def('caa', 'VALUE_QUOTE_ERROR', caaSet(LE, [0, 'issue', 'digicert.com"']), caaSet(LE, [0, 'issue', 'digicert.com']));
def('caa', 'VALUE_NOT_QUOTED', caaText('0 issue letsencrypt.org; x=a b'), caaText('0 issue "letsencrypt.org; x=a"'));
def('caa', 'IODEF_NO_SCHEME', caaSet(LE, [0, 'iodef', 'sec@example.com']), caaSet(LE, [0, 'iodef', 'mailto:sec@example.com']));
def('caa', 'IODEF_INVALID_EMAIL', caaSet(LE, [0, 'iodef', 'mailto:not an address']), caaSet(LE, [0, 'iodef', 'mailto:a@example.com']));
def('caa', 'IODEF_INVALID_URL', caaSet(LE, [0, 'iodef', 'https://bad host/x']), caaSet(LE, [0, 'iodef', 'https://example.com/x']));
def('caa', 'ISSUEWILD_DOMAIN_INVALID', caaSet(LE, [0, 'issuewild', '-bad-.example']), caaSet(LE, [0, 'issuewild', ';']));
def('caa', 'ISSUE_DOMAIN_INVALID', caaSet([0, 'issue', 'not a domain!']), caaSet([0, 'issue', '']));
def('caa', 'TAG_TOO_LONG', caaSet(LE, [0, 'abcdefghijklmnop', 'x']), caaSet(LE, [0, 'abcdefghijklmno', 'x']));
def('caa', 'LOOKUP_FAILED', (s) => void (s.caa = status(DOMAIN, 'CAA', 'TIMEOUT')), (s) => void (s.caa = status(DOMAIN, 'CAA', 'NXDOMAIN')));
def('caa', 'CRITICAL_UNKNOWN_TAG', caaSet(LE, [128, 'tbs', 'x']), caaSet(LE, [0, 'tbs', 'x']));
def('caa', 'RESERVED_FLAGS_SET', caaSet([1, 'issue', 'letsencrypt.org']), caaSet([128, 'issue', 'letsencrypt.org']));
def('caa', 'INVALID_ISSUE_PARAMETERS', caaSet([0, 'issue', 'letsencrypt.org; foo']), caaSet([0, 'issue', 'letsencrypt.org; accounturi=https://x/1']));
def('caa', 'NO_ISSUE_PROPERTY', caaSet([0, 'iodef', 'mailto:a@example.com']), caaSet(LE, [0, 'iodef', 'mailto:a@example.com']));

// ---- NS
const servers = (...list: ReturnType<typeof nameServer>[]): Change => (s) => void (s.nameServers = list);
const nsSet = (...targets: string[]): Change => (s) => void (s.ns = outcome(DOMAIN, 'NS', targets.map(ns)));
const directAs = (host: string, address: string, ans: Partial<QueryOutcome>): ReturnType<typeof nameServer> =>
  nameServer(host, [address], () => ({
    ns: { ...outcome(DOMAIN, 'NS', NS_HOSTS.map((h) => ns(h.host)), { flags: { aa: true, tc: false, ad: false, ra: false } }), ...ans },
  }));
const ok1 = nameServer(NS_HOSTS[0]!.host, [NS_HOSTS[0]!.address]);
def('ns', 'NO_NS_RECORDS', (s) => void (s.ns = status(DOMAIN, 'NS', 'NODATA')), nothing);
def('ns', 'ONLY_ONE_NS_RECORD', both(nsSet('ns1.example.net'), servers(ok1)), nothing);
def('ns', 'NULL_NS_RECORD', nsSet('ns1.example.net', 'ns2.example.org', ''), nothing);
def('ns', 'NAMESERVER_HAS_NO_A', servers(ok1, nameServer('ns2.example.org', [])), nothing);
def('ns', 'NAMESERVER_HAS_INVALID_RESPONSE', servers(ok1, directAs('ns2.example.org', '185.10.0.2', { status: 'SERVFAIL', records: [], data: [] })), servers(ok1, directAs('ns2.example.org', '185.10.0.2', {})));
def('ns', 'NAMESERVER_IS_NOT_PUBLIC', servers(ok1, nameServer('ns2.example.org', ['10.0.0.53'])), servers(ok1, nameServer('ns2.example.org', ['11.0.0.53'])));
def('ns', 'NO_NAME_SERVERS_RETURNED', servers(directAs('ns1.example.net', '185.10.0.1', { status: 'TIMEOUT', records: [], data: [] }), directAs('ns2.example.org', '185.10.0.2', { status: 'TIMEOUT', records: [], data: [] })), servers(ok1, directAs('ns2.example.org', '185.10.0.2', { status: 'TIMEOUT', records: [], data: [] })));
def('ns', 'NAME_SERVER_MISMATCH', servers(ok1, directAs('ns2.example.org', '185.10.0.2', { records: ['ns9.example.org.'], data: [ns('ns9.example.org')] })), servers(ok1, directAs('ns2.example.org', '185.10.0.2', { records: ['ns2.example.org.', 'ns1.example.net.'], data: [ns('ns2.example.org'), ns('ns1.example.net')] })));
def('ns', 'LOOKUP_FAILED', (s) => void (s.ns = status(DOMAIN, 'NS', 'REFUSED')), (s) => void (s.ns = status(DOMAIN, 'NS', 'NXDOMAIN')));
def('ns', 'NAMESERVER_NOT_RESPONDING', servers(ok1, directAs('ns2.example.org', '185.10.0.2', { status: 'TIMEOUT', records: [], data: [] })), nothing);
def('ns', 'NAMESERVER_NOT_AUTHORITATIVE', servers(ok1, directAs('ns2.example.org', '185.10.0.2', { flags: { aa: false, tc: false, ad: false, ra: true } })), servers(ok1, directAs('ns2.example.org', '185.10.0.2', { flags: { aa: true, tc: false, ad: false, ra: false } })));
def('ns', 'NAMESERVER_ADDRESS_LOOKUP_FAILED', servers(ok1, { ...nameServer('ns2.example.org', []), a: status('ns2.example.org', 'A', 'SERVFAIL') }), servers(ok1, { ...nameServer('ns2.example.org', ['185.10.0.2']), aaaa: status('ns2.example.org', 'AAAA', 'SERVFAIL') }));
def('ns', 'NAMESERVER_IS_IP_ADDRESS', nsSet('ns1.example.net', 'ns2.example.org', '185.10.0.9'), nsSet('ns1.example.net', 'ns2.example.org', 'ns3.example.org'));
def('ns', 'NAMESERVER_IS_CNAME', servers(ok1, { ...nameServer('ns2.example.org', ['185.10.0.2']), a: outcome('ns2.example.org', 'A', [a('185.10.0.2')], { cnames: ['x.example.org'] }) }), nothing);
def('ns', 'NAMESERVERS_SHARE_ADDRESS', servers(ok1, nameServer('ns2.example.org', ['185.10.0.1'])), servers(ok1, nameServer('ns2.example.org', ['185.10.0.2'])));

// ---- SOA
const soaText = (text: string): Change => (s) => void (s.soa = textOnly(DOMAIN, 'SOA', [text]));
const SOA_TEXT = (fields: string[]): string => ['ns1.example.net.', 'hostmaster.example.com.', ...fields].join(' ');
def('soa', 'NO_SOA', (s) => void (s.soa = status(DOMAIN, 'SOA', 'NODATA')), nothing);
def('soa', 'TOO_MANY_SOA', (s) => void (s.soa = outcome(DOMAIN, 'SOA', [soa(), soa({ serial: 1 })])), nothing);
def('soa', 'SOA_INVALID', soaText('ns1.example.net. hostmaster.example.com. 1 2 3'), soaText(SOA_TEXT(['1', '7200', '3600', '1209600', '3600'])));
def('soa', 'INVALID_MNAME', soaSet({ mname: 'ns_1.example.net' }), soaSet({ mname: 'ns1.360safe.com' }));
def('soa', 'INVALID_RNAME', soaSet({ rname: 'hostmaster' }), soaText('ns1.example.net. john\\.doe.example.com. 1 7200 3600 1209600 3600'));
for (const [i, field] of ['SERIAL', 'REFRESH', 'RETRY', 'EXPIRE', 'MINIMUM'].entries()) {
  const values = ['2021033101', '7200', '3600', '1209600', '3600'];
  const bad = [...values];
  bad[i] = '+5';
  def('soa', `INVALID_${field}`, soaText(SOA_TEXT(bad)), soaText(SOA_TEXT(values)));
  const big = [...values];
  big[i] = field === 'SERIAL' ? '4294967296' : '2147483648';
  const edge = [...values];
  edge[i] = field === 'SERIAL' ? '4294967295' : values[i]!;
  def('soa', `${field}_NOT_IN_RANGE`, soaText(SOA_TEXT(big)), soaText(SOA_TEXT(edge)));
}
def('soa', 'LOOKUP_FAILED', (s) => void (s.soa = status(DOMAIN, 'SOA', 'TIMEOUT')), nothing);
def('soa', 'REFRESH_TOO_SHORT', soaSet({ refresh: 1199, retry: 600 }), soaSet({ refresh: 1200, retry: 600 }));
def('soa', 'REFRESH_TOO_LONG', soaSet({ refresh: 43201 }), soaSet({ refresh: 43200 }));
def('soa', 'RETRY_NOT_BELOW_REFRESH', soaSet({ retry: 7200 }), soaSet({ retry: 7199 }));
def('soa', 'EXPIRE_TOO_SHORT', soaSet({ expire: 604799 }), soaSet({ expire: 604800 }));
def('soa', 'EXPIRE_NOT_ABOVE_REFRESH_PLUS_RETRY', soaSet({ refresh: 43200, retry: 43199, expire: 86399 }), soaSet({ refresh: 43200, retry: 3600, expire: 604800 }));
def('soa', 'MINIMUM_TOO_SHORT', soaSet({ minimum: 299 }), soaSet({ minimum: 300 }));
def('soa', 'MINIMUM_TOO_LONG', soaSet({ minimum: 86401 }), soaSet({ minimum: 86400 }));
def('soa', 'SERIAL_INCONSISTENT', servers(ok1, nameServer('ns2.example.org', ['185.10.0.2'], () => ({ soa: outcome(DOMAIN, 'SOA', [soa({ serial: 1 })]) }))), nothing);

// ---- MX
const mxText = (...texts: string[]): Change => (s) => void (s.mx = textOnly(DOMAIN, 'MX', texts));
const mxHost = (host: string, address: string | null, extra: Partial<QueryOutcome> = {}): Change => (s) => {
  s.mxHosts.push({ host, a: { ...outcome(host, 'A', address ? [a(address)] : []), ...extra }, aaaa: outcome(host, 'AAAA', []) });
};
def('mx', 'NO_MX_RECORDS', both((s) => void (s.mx = status(DOMAIN, 'MX', 'NODATA')), spf('v=spf1 ip4:185.1.1.0/24 -all')), both((s) => void (s.mx = status(DOMAIN, 'MX', 'NODATA')), spf('v=spf1 -all')));
def('mx', 'BLANK_MX_RECORD', mxText(''), mxText('10 mx1.example.com.'));
def('mx', 'TOO_MANY_PARTS', mxText('10 mx1.example.com. x'), mxText('10 mx1.example.com.'));
def('mx', 'TOO_FEW_PARTS', mxText('10'), mxText('10 mx1.example.com.'));
def('mx', 'PREFERENCE_OUT_OF_RANGE', mxText('65536 mx1.example.com.'), mxText('65535 mx1.example.com.'));
def('mx', 'INVALID_PREFERENCE', mxText('ten mx1.example.com.'), mxText('10 mx1.example.com.'));
def('mx', 'INVALID_EXCHANGE', mxSet([10, 'mx_1.example.com']), mxSet([10, 'mx1.163.com']));
def('mx', 'EXCHANGE_IS_AN_IP', mxSet([10, '185.1.1.1']), mxSet([10, 'mx1.example.com']));
def('mx', 'NOT_PUBLIC_DOMAIN', mxSet([10, 'mailhost.lan']), mxSet([10, 'mailhost.lan.example.com']));
def('mx', 'POSSIBLE_BAD_EXCHANGE', both(mxSet([10, 'mx.example.com.example.com']), mxHost('mx.example.com.example.com', '185.1.1.9')), mxSet([10, 'mx1.example.com']));
def('mx', 'LOOKUP_FAILED', (s) => void (s.mx = status(DOMAIN, 'MX', 'TIMEOUT')), nothing);
def('mx', 'NULL_MX', mxSet([0, '']), mxSet([0, 'mx1.example.com']));
def('mx', 'NULL_MX_WITH_OTHER_MX', mxSet([0, ''], [10, 'mx1.example.com']), mxSet([0, '']));
def('mx', 'NULL_MX_NONZERO_PREFERENCE', mxSet([10, '']), mxSet([0, '']));
def('mx', 'EXCHANGE_HAS_NO_ADDRESS', both(mxSet([10, 'gone.example.com']), mxHost('gone.example.com', null)), both(mxSet([10, 'gone.example.com']), mxHost('gone.example.com', '185.1.1.3')));
def('mx', 'EXCHANGE_IS_CNAME', both(mxSet([10, 'alias.example.com']), mxHost('alias.example.com', '185.1.1.3', { cnames: ['real.example.com'] })), both(mxSet([10, 'alias.example.com']), mxHost('alias.example.com', '185.1.1.3')));
def('mx', 'EXCHANGE_ADDRESS_LOOKUP_FAILED', both(mxSet([10, 'slow.example.com']), mxHost('slow.example.com', null, { status: 'TIMEOUT' })), both(mxSet([10, 'slow.example.com']), mxHost('slow.example.com', '185.1.1.3')));
def('mx', 'DUPLICATE_EXCHANGE', mxSet([10, 'mx1.example.com'], [20, 'mx1.example.com']), mxSet([10, 'mx1.example.com'], [20, 'mx2.example.com']));
def('mx', 'NO_MAIL_SERVICE', both((s) => void (s.mx = status(DOMAIN, 'MX', 'NODATA')), spf('v=spf1 -all')), mxSet([0, '']));

// ---- BIMI
const B = `v=BIMI1; ${LOGO}; ${VMC}`;
def('bimi', 'N0_BIMI_RECORDS', nothing, bimi(B));
def('bimi', 'TOO_MANY_BIMI_RECORDS', bimi(B, B), bimi(B, 'other'));
def('bimi', 'DMARC_STRICT_ENOUGH_POLICY', both(bimi(B), dmarc('v=DMARC1; p=none')), both(bimi(B), dmarc('v=DMARC1; p=quarantine')));
def('bimi', 'DMARC_STRICT_ENOUGH_PERCENT', both(bimi(B), dmarc('v=DMARC1; p=reject; pct=99')), both(bimi(B), dmarc('v=DMARC1; p=reject; pct=100')));
def('bimi', 'INVALID_START', bimi(`v=bimi1; ${LOGO}`), bimi(`v=BIMI1; ${LOGO}`));
def('bimi', 'LOGO_NOT_DEFINED', bimi(`v=BIMI1; ${VMC}`), bimi(B));
def('bimi', 'LOGO_NOT_HTTPS', bimi(`v=BIMI1; l=http://example.com/logo.svg`), bimi(`v=BIMI1; l=https://example.com/logo.svg`));
def('bimi', 'LOGO_INVALID_LOCATION', bimi(`v=BIMI1; l=ftp://example.com/logo.svg`), bimi(`v=BIMI1; l=https://example.com/logo.svg`));
def('bimi', 'LOGO_INVALID_FORMAT', bimi(`v=BIMI1; l=https://example.com/logo.png`), bimi(`v=BIMI1; l=https://example.com/logo.SVGZ`));
def('bimi', 'DUPLICATE_TAG_FOUND', bimi(`v=BIMI1; l=; l=; a=`), bimi(`v=BIMI1; l=; a=`));
def('bimi', 'BIMI_OPTED_OUT', bimi('v=BIMI1; l=; a=;'), bimi(`v=BIMI1; l=; ${VMC}`));
def('bimi', 'LOGO_LOCATION_BLANK', bimi(`v=BIMI1; l=; ${VMC}`), bimi('v=BIMI1; l=; a=;'));
def('bimi', 'DMARC_NOT_DEFINED', both(bimi(B), (s) => void (s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'NXDOMAIN'))), bimi(B));
def('bimi', 'LOOKUP_FAILED', (s) => void (s.bimi = status(`default._bimi.${DOMAIN}`, 'TXT', 'TIMEOUT')), nothing);
def('bimi', 'DMARC_SUBDOMAIN_POLICY_NOT_STRICT', both(bimi(B), dmarc('v=DMARC1; p=reject; sp=none')), both(bimi(B), dmarc('v=DMARC1; p=reject; sp=quarantine')));
def('bimi', 'INVALID_AUTHORITY_LOCATION', bimi(`v=BIMI1; ${LOGO}; a=http://example.com/vmc.pem`), bimi(B));
def('bimi', 'NO_AUTHORITY_EVIDENCE', bimi(`v=BIMI1; ${LOGO}`), bimi(B));

// ---- DNSSEC
const key = (algorithm: number, flags = 257, fill = 7): DnskeyData => ({ flags, protocol: 3, algorithm, publicKey: Buffer.alloc(64, fill).toString('base64') });
const signedWith = (k: DnskeyData, digestType = 2): Change => both(keys(k), dsSet(dsOf(k, digestType)));
def('dnssec', 'NO_DS_RECORDS', (s) => void (s.ds = status(DOMAIN, 'DS', 'NODATA')), nothing);
def('dnssec', 'LOOKUP_FAILED', (s) => void (s.ds = status(DOMAIN, 'DS', 'SERVFAIL')), nothing);
def('dnssec', 'NO_DNSKEY_RECORDS', (s) => void (s.dnskey = status(DOMAIN, 'DNSKEY', 'NODATA')), nothing);
def('dnssec', 'DS_DOES_NOT_MATCH_DNSKEY', both(keys(ZSK, key(13, 257, 8)), dsSet(dsOf(KSK))), nothing);
def('dnssec', 'STALE_DS_RECORD', dsSet(dsOf(KSK), dsOf(key(13, 257, 5))), dsSet(dsOf(KSK), dsOf(KSK, 4)));
def('dnssec', 'DS_ALGORITHM_MUST_NOT', signedWith(key(3)), signedWith(key(8)));
def('dnssec', 'DS_ALGORITHM_NOT_RECOMMENDED', signedWith(key(5)), signedWith(key(15)));
def('dnssec', 'DS_ALGORITHM_UNKNOWN', signedWith(key(200)), signedWith(key(16)));
def('dnssec', 'DS_DIGEST_TYPE_MUST_NOT', signedWith(KSK, 1), signedWith(KSK, 4));
def('dnssec', 'DS_DIGEST_TYPE_UNKNOWN', both(dsSet({ ...dsOf(KSK), digestType: 9 } as ReturnType<typeof dsOf>)), signedWith(KSK, 2));
def('dnssec', 'DNSKEY_ALGORITHM_MUST_NOT', signedWith(key(12)), signedWith(key(14)));
def('dnssec', 'DNSKEY_ALGORITHM_NOT_RECOMMENDED', signedWith(key(10)), signedWith(key(13)));
def('dnssec', 'DNSKEY_ALGORITHM_UNKNOWN', signedWith(key(250)), signedWith(key(13)));
def('dnssec', 'DNSKEY_WITHOUT_DS', (s) => void (s.ds = status(DOMAIN, 'DS', 'NODATA')), both((s) => void (s.ds = status(DOMAIN, 'DS', 'NODATA')), (s) => void (s.dnskey = status(DOMAIN, 'DNSKEY', 'NODATA'))));
def('dnssec', 'MALFORMED_DS_RECORD', (s) => void (s.ds = textOnly(DOMAIN, 'DS', [`${(dsOf(KSK) as { keyTag: number }).keyTag} 13 2 abcd`])), nothing);
def('dnssec', 'MALFORMED_DNSKEY_RECORD', (s) => void (s.dnskey = { ...s.dnskey, records: [...s.dnskey.records, '256 3 13 !!!'], data: [...s.dnskey.data] }), nothing);
def('dnssec', 'MATCHED_KEY_NOT_SEP', signedWith(key(13, 256)), signedWith(key(13, 257)));
def('dnssec', 'DS_DIGEST_UNVERIFIABLE', both(dsSet(dsOf(KSK, 3))), signedWith(KSK, 2));
def('dnssec', 'RSA_KEY_TOO_SHORT', signedWith({ flags: 257, protocol: 3, algorithm: 8, publicKey: Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(64, 0xab)]).toString('base64') }), signedWith({ flags: 257, protocol: 3, algorithm: 8, publicKey: Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(128, 0xab)]).toString('base64') }));

function remarkNames(scan: SiteScan, area: GradedArea): string[] {
  return gradeSite(scan, processSite(scan))[area].remarks.map((r) => findRemark(r)!.name);
}

function apply(change: Change): SiteScan {
  const scan = healthySite();
  change(scan);
  return scan;
}

describe('remark cases', () => {
  it.each(cases.map((c) => [`${c.area}.${c.name}`, c] as const))('%s: raised, and not by the close case', (_, c) => {
    expect(remarkNames(apply(c.raises), c.area)).toContain(c.name);
    expect(remarkNames(apply(c.near), c.area)).not.toContain(c.name);
  });

  it('covers every code the library raises', () => {
    const covered = new Set(cases.map((c) => `${c.area}.${c.name}`));
    const missing = REMARKS.filter((r) => r.emitted && !covered.has(`${r.type}.${r.name}`)).map((r) => `${r.type}.${r.name}`);
    expect(missing).toEqual([]);
  });
});
