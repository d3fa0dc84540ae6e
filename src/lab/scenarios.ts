// The scenario catalogue. Each scenario starts from the baseline site (baseline.ts), changes what
// it is about — records, faults, name-server behaviour — and states what scanning and grading must
// then give for the areas it touches. Weights are the realistic mix: most sites are the healthy
// baseline, a few percent are broken in one of many ways.
import type { GradedArea } from '../checks/types';
import { setCaaFacts, setDmarcFacts, setDnssecFacts, setSpfFacts, STANDARD_SOA_TIMERS, webAddress, DMARC_POLICY_IDS } from './baseline';
import { LabDnskey, dsFor, labDnskey } from './dnssec';
import {
  AreaExpectation,
  DmarcTags,
  expectBimi,
  expectCaa,
  expectDmarc,
  expectDnssec,
  expectMx,
  expectNs,
  expectSoa,
  expectSpf,
  SpfQualifier,
} from './grading-intent';
import { classifyMailExchanges } from './providers';
import { LabRecord, rr } from './records';
import { SiteBuilder } from './site-builder';

export interface Scenario {
  id: string;
  /** Relative weight in the realistic mix (the baseline has most of the weight). */
  weight: number;
  /** The area the scenario is about ('scan' for transport faults that touch everything). */
  area: GradedArea | 'scan' | 'site';
  description: string;
  /** Faults injected, in words (documentation; the builder holds the real fault list). */
  faults: string[];
  apply(b: SiteBuilder): void;
}

const scenarios: Scenario[] = [];
function scenario(id: string, area: Scenario['area'], weight: number, description: string, apply: (b: SiteBuilder) => void, faults: string[] = []): void {
  scenarios.push({ id, area, weight, description, faults, apply });
}

// ---------------------------------------------------------------- baseline (healthy) sites
scenario('typical', 'site', 8000, 'A typical site of its DNS and mail provider: nothing deliberately wrong.', () => undefined);
scenario('well-configured', 'site', 300, 'Everything done right: SPF -all, DMARC reject with reports, CAA, DNSSEC (ECDSA P-256), BIMI.', (b) => {
  mailViaGoogle(b);
  b.spf('v=spf1 include:_spf.google.com -all');
  b.expect('spf', expectSpf.record('-all'));
  setSpfFacts(b, '-all');
  dmarc(b, `v=DMARC1; p=reject; rua=mailto:dmarc@${b.domain}; ruf=mailto:dmarc@${b.domain}; adkim=s; aspf=s; fo=1`, { p: 'reject', rua: true, ruf: true, adkim: 's', aspf: 's', fo: '1' });
  caa(b, [[0, 'issue', 'letsencrypt.org'], [0, 'issuewild', 'letsencrypt.org'], [0, 'iodef', `mailto:security@${b.domain}`]], expectCaa.records({ issue: true, issuewild: true, iodef: true }));
  sign(b, 13, 2);
  b.expect('dnssec', expectDnssec.signed());
  b.txt(b.n('default._bimi'), `v=BIMI1; l=https://${b.domain}/brand/logo.svg; a=https://${b.domain}/brand/vmc.pem`);
  b.expect('bimi', expectBimi.record());
  b.facts.hasBimi = true;
});

// ---------------------------------------------------------------- SPF
function spfCase(id: string, weight: number, description: string, record: string | string[], qualifier: SpfQualifier, remarks: string[], extra?: (b: SiteBuilder) => void): void {
  scenario(id, 'spf', weight, description, (b) => {
    mailViaGoogle(b);
    extra?.(b);
    const text = typeof record === 'string' ? expandDomain(record, b.domain) : record.map((r) => expandDomain(r, b.domain));
    b.spf(text);
    b.expect('spf', expectSpf.record(qualifier, remarks));
    if (remarks.length === 0 && qualifier !== 'none') setSpfFacts(b, qualifier, typeof text === 'string' ? text : text.join(''));
    else {
      b.facts.hasSpf = true;
      clearFacts(b, 'spfRecord', 'spfPolicyId');
    }
  });
}
const spfTarget = (b: SiteBuilder, label: string, ...records: string[]): void => b.txt(b.n(label), ...records);

spfCase('spf-softfail-include', 400, 'SPF via the mail provider, ~all.', 'v=spf1 include:_spf.google.com ~all', '~all', []);
spfCase('spf-neutral', 40, 'SPF ending ?all.', 'v=spf1 include:_spf.google.com ?all', '?all', []);
spfCase('spf-pass-all', 10, 'SPF ending +all: anyone may send.', 'v=spf1 +all', '+all', ['PASS_ALL']);
spfCase('spf-default-all', 5, 'SPF ending with a bare "all" (implicit +).', 'v=spf1 ip4:185.12.64.0/24 all', '+all', ['DEFAULT_ALL_QUALIFIER']);
spfCase('spf-ptr', 10, 'SPF using the deprecated ptr mechanism.', 'v=spf1 ptr include:_spf.google.com -all', '-all', ['HAS_PTR']);
spfCase('spf-too-many-lookups', 10, 'SPF needing 11 DNS lookups.', `v=spf1 ${Array.from({ length: 11 }, (_, k) => `include:_s${k}.%D`).join(' ')} -all`, '-all', ['TOO_MANY_DNS_LOOKUPS'], (b) => {
  for (let k = 0; k < 11; k++) spfTarget(b, `_s${k}`, `v=spf1 ip4:185.20.${k}.0/24 -all`);
});
spfCase('spf-invalid-include', 5, 'SPF with "include:" and no domain.', 'v=spf1 include: -all', '-all', ['INVALID_INCLUDE_FORMAT']);
spfCase('spf-include-many-spf', 5, 'An include target publishing two SPF records.', 'v=spf1 include:_spf.%D -all', '-all', ['INCLUDE_RETURNED_MANY_SPF'], (b) =>
  spfTarget(b, '_spf', 'v=spf1 ip4:185.21.0.0/24 -all', 'v=spf1 ip4:185.21.1.0/24 -all'),
);
spfCase('spf-invalid-a', 5, 'An a mechanism with an impossible prefix length.', 'v=spf1 a/33 -all', '-all', ['INVALID_A_MECHANISM']);
spfCase('spf-invalid-mx', 5, 'An mx mechanism with an impossible prefix length.', 'v=spf1 mx/99 -all', '-all', ['INVALID_MX_MECHANISM']);
spfCase('spf-too-many-mx', 5, 'An mx mechanism naming a domain with 11 MX records.', 'v=spf1 mx:bigmx.%D -all', '-all', ['TOO_MANY_MX_RECORDS_RETURNED'], (b) => {
  const host = b.n('bigmx');
  b.set(host, 'MX', Array.from({ length: 11 }, (_, k) => rr(host, 'MX', { preference: k + 1, exchange: b.n(`m${k}`) })));
  for (let k = 0; k < 11; k++) b.a(b.n(`m${k}`), webAddress(b.index + k));
});
spfCase('spf-invalid-redirect', 5, 'A redirect= with no domain.', 'v=spf1 redirect=', 'none', ['INVALID_REDIRECT_MECHANISM']);
spfCase('spf-redirect-no-record', 5, 'A redirect= target without an SPF record.', 'v=spf1 redirect=_spf.%D', 'none', ['NO_RECORD_AT_REDIRECT'], (b) => spfTarget(b, '_spf', 'not an spf record'));
spfCase('spf-redirect-many-spf', 5, 'A redirect= target with two SPF records.', 'v=spf1 redirect=_spf.%D', 'none', ['REDIRECT_RETURNED_MANY_SPF'], (b) =>
  spfTarget(b, '_spf', 'v=spf1 ip4:185.22.0.0/24 -all', 'v=spf1 ip4:185.22.1.0/24 -all'),
);
spfCase('spf-invalid-ip4-mechanism', 5, '"ip4:" without an address.', 'v=spf1 ip4: -all', '-all', ['INVALID_IPV4_MECHANISM']);
spfCase('spf-invalid-ip6-mechanism', 5, '"ip6:" without an address.', 'v=spf1 ip6: -all', '-all', ['INVALID_IPV6_MECHANISM']);
spfCase('spf-invalid-mechanism', 10, 'An unknown mechanism.', 'v=spf1 include:_spf.google.com foo -all', '-all', ['INVALID_MECHANISM']);
spfCase('spf-invalid-ip4-cidr', 5, 'ip4 prefix length 33.', 'v=spf1 ip4:185.23.0.0/33 -all', '-all', ['INVALID_IPV4_CIDR']);
spfCase('spf-invalid-ip6-cidr', 5, 'ip6 prefix length 129.', 'v=spf1 ip6:2a00:1450::/129 -all', '-all', ['INVALID_IPV6_CIDR']);
spfCase('spf-invalid-ip4-value', 5, 'ip4 with an octet above 255.', 'v=spf1 ip4:300.1.1.1 -all', '-all', ['INVALID_IPV4_VALUE']);
spfCase('spf-invalid-ip6-value', 5, 'ip6 with non-hex digits.', 'v=spf1 ip6:2001:zz::1 -all', '-all', ['INVALID_IPV6_VALUE']);
spfCase('spf-too-many-endings', 5, 'Two all mechanisms.', 'v=spf1 include:_spf.google.com -all ~all', '-all', ['TOO_MANY_ENDINGS', 'TERMS_AFTER_ALL']);
spfCase('spf-too-many-starts', 5, 'Two records pasted together.', 'v=spf1 include:_spf.google.com v=spf1 -all', '-all', ['TOO_MANY_STARTS']);
spfCase('spf-a-void', 5, 'An a mechanism naming a host that does not exist.', 'v=spf1 a:gone.%D include:_spf.google.com -all', '-all', ['NO_A_RECORDS_IN_MECHANISM']);
spfCase('spf-mx-void', 5, 'An mx mechanism naming a domain without MX.', 'v=spf1 mx:www.%D include:_spf.google.com -all', '-all', ['NO_MX_RECORDS_IN_MECHANISM'], (b) => b.a(b.n('www'), webAddress(b.index)));
spfCase('spf-too-many-void', 5, 'Three void lookups.', 'v=spf1 a:gone1.%D a:gone2.%D a:gone3.%D -all', '-all', ['NO_A_RECORDS_IN_MECHANISM', 'NO_A_RECORDS_IN_MECHANISM', 'NO_A_RECORDS_IN_MECHANISM', 'TOO_MANY_VOID_LOOKUPS']);
spfCase('spf-include-no-spf', 5, 'An include target with no SPF record.', 'v=spf1 include:_spf.%D -all', '-all', ['INCLUDE_NO_SPF_RECORD'], (b) => spfTarget(b, '_spf', 'hello'));
spfCase('spf-include-loop', 3, 'Includes that include each other.', 'v=spf1 include:_a.%D -all', '-all', ['INCLUDE_LOOP'], (b) => {
  spfTarget(b, '_a', `v=spf1 include:_b.${b.domain} -all`);
  spfTarget(b, '_b', `v=spf1 include:_a.${b.domain} -all`);
});
spfCase('spf-redirect-loop', 3, 'A redirect back to itself.', 'v=spf1 redirect=_r.%D', 'none', ['REDIRECT_LOOP'], (b) => spfTarget(b, '_r', `v=spf1 redirect=_r.${b.domain}`));
spfCase('spf-multiple-redirects', 3, 'Two redirect= modifiers.', 'v=spf1 redirect=_r1.%D redirect=_r2.%D', 'none', ['MULTIPLE_REDIRECT_MODIFIERS'], (b) => {
  spfTarget(b, '_r1', 'v=spf1 -all');
  spfTarget(b, '_r2', 'v=spf1 -all');
});
spfCase('spf-multiple-exp', 3, 'Two exp= modifiers.', 'v=spf1 include:_spf.google.com -all exp=_e1.%D exp=_e2.%D', '-all', ['MULTIPLE_EXP_MODIFIERS']);
spfCase('spf-terms-after-all', 5, 'A mechanism after -all.', 'v=spf1 include:_spf.google.com -all ip4:185.24.0.1', '-all', ['TERMS_AFTER_ALL']);
spfCase('spf-redirect-ignored', 5, 'Both -all and redirect=.', 'v=spf1 -all redirect=_spf.google.com', '-all', ['REDIRECT_IGNORED']);
spfCase('spf-non-public', 5, 'ip4 authorising a private network.', 'v=spf1 ip4:10.0.0.0/8 include:_spf.google.com -all', '-all', ['NON_PUBLIC_ADDRESS']);
spfCase('spf-invalid-exists', 3, '"exists:" without a domain.', 'v=spf1 exists: -all', '-all', ['INVALID_EXISTS_MECHANISM']);
spfCase('spf-invalid-macro', 3, 'An undefined macro letter.', 'v=spf1 exists:%{z}.%D -all', '-all', ['INVALID_MACRO']);
spfCase('spf-no-all', 10, 'No all and no redirect: unlisted senders are neutral.', 'v=spf1 include:_spf.google.com', 'none', ['NO_ALL_MECHANISM']);
spfCase('spf-duplicate-include', 5, 'The same include twice.', 'v=spf1 include:_spf.google.com include:_spf.google.com ~all', '~all', ['DUPLICATE_INCLUDE']);
spfCase('spf-redirect-ok', 20, 'redirect= to a valid record; the result comes from the target.', 'v=spf1 redirect=_spf.%D', '-all', [], (b) => spfTarget(b, '_spf', 'v=spf1 ip4:185.25.0.0/24 -all'));
spfCase('spf-split-strings', 10, 'SPF split across two character-strings inside a token (SPF-18).', ['v=spf1 include:spf.protection.outl', 'ook.com -all'], '-all', []);
scenario('spf-multiple-records', 'spf', 10, 'Two SPF records at the apex.', (b) => {
  mailViaGoogle(b);
  b.spf('v=spf1 include:_spf.google.com ~all', 'v=spf1 ip4:185.26.0.0/24 -all');
  b.expect('spf', expectSpf.record('~all', ['MULTIPLE_SPF_RECORDS']));
  clearFacts(b, 'hasSpf', 'spfRecord', 'spfPolicyId');
});
scenario('spf-none-with-mx', 'spf', 150, 'Receives mail but publishes no SPF.', (b) => {
  mailViaGoogle(b);
  b.spf();
  b.expect('spf', expectSpf.absent(true));
  b.facts.hasSpf = false;
  b.facts.spfRecord = null;
  b.facts.spfPolicyId = 5;
});
scenario('spf-txt-timeout', 'spf', 10, 'The apex TXT query is dropped (timeout).', (b) => {
  b.fault(b.domain, 'TXT', { kind: 'drop' });
  b.expect('spf', expectSpf.lookupFailed());
  clearFacts(b, 'hasSpf', 'spfRecord', 'spfPolicyId');
}, ['apex TXT: timeout']);
scenario('spf-txt-refused', 'spf', 5, 'The apex TXT query is REFUSED.', (b) => {
  b.fault(b.domain, 'TXT', { kind: 'rcode', rcode: 'REFUSED' });
  b.expect('spf', expectSpf.lookupFailed());
  clearFacts(b, 'hasSpf', 'spfRecord', 'spfPolicyId');
}, ['apex TXT: REFUSED']);
scenario('spf-include-servfail', 'spf', 5, 'An include target answers SERVFAIL (temperror).', (b) => {
  mailViaGoogle(b);
  b.spf(`v=spf1 include:_spf.${b.domain} -all`);
  setSpfFacts(b, '-all', `v=spf1 include:_spf.${b.domain} -all`);
  spfTarget(b, '_spf', 'v=spf1 ip4:185.27.0.0/24 -all');
  b.fault(b.n('_spf'), 'TXT', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.expect('spf', expectSpf.nestedLookupFailed());
}, ['include target TXT: SERVFAIL']);

// ---------------------------------------------------------------- DMARC
function dmarcCase(id: string, weight: number, description: string, record: string, expectation: (b: SiteBuilder) => AreaExpectation, tags?: Partial<DmarcTags>): void {
  scenario(id, 'dmarc', weight, description, (b) => {
    const text = record.replace(/%D/g, b.domain);
    b.txt(b.n('_dmarc'), text);
    b.expect('dmarc', expectation(b));
    if (tags) setDmarcFacts(b, text, tags);
    else {
      clearFacts(b, 'dmarcPolicyId', 'dmarcSubPolicyId', 'hasDmarcAggregateReporting', 'hasDmarcForensicReporting', 'dmarcRecord');
      b.facts.hasDmarc = text.startsWith('v=DMARC1');
    }
  });
}
const R = { p: 'reject', rua: true } as const;
dmarcCase('dmarc-reject', 250, 'p=reject with aggregate reports.', 'v=DMARC1; p=reject; rua=mailto:dmarc@%D', () => expectDmarc.record(R), R);
dmarcCase('dmarc-quarantine-pct', 40, 'p=quarantine at 50%.', 'v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc@%D', () => expectDmarc.record({ p: 'quarantine', pct: 50, rua: true }), { p: 'quarantine', rua: true });
dmarcCase('dmarc-invalid-adkim', 5, 'adkim=x.', 'v=DMARC1; p=reject; adkim=x; rua=mailto:dmarc@%D', () => expectDmarc.record(R, ['INVALID_ADKIM_VALUE']), R);
dmarcCase('dmarc-invalid-aspf', 5, 'aspf=x.', 'v=DMARC1; p=reject; aspf=x; rua=mailto:dmarc@%D', () => expectDmarc.record(R, ['INVALID_ASPF_VALUE']), R);
dmarcCase('dmarc-invalid-fo', 5, 'fo=x.', 'v=DMARC1; p=reject; fo=x; rua=mailto:dmarc@%D', () => expectDmarc.record(R, ['INVALID_FAILURE_REPORTING_VALUE']), R);
scenario('dmarc-invalid-policy', 'dmarc', 5, 'p=bogus and no rua.', (b) => {
  b.txt(b.n('_dmarc'), 'v=DMARC1; p=bogus');
  b.expect('dmarc', expectDmarc.unusable(['INVALID_POLICY']));
  setDmarcFacts(b, 'v=DMARC1; p=bogus', {});
  b.facts.dmarcPolicyId = DMARC_POLICY_IDS.invalid; // spec §6.1: an unknown policy string maps to "invalid"
});
dmarcCase('dmarc-invalid-sp', 5, 'sp=bogus.', 'v=DMARC1; p=reject; sp=bogus; rua=mailto:dmarc@%D', () => ({ grade: 60 + 0 + 5 + 5, remarks: ['INVALID_SUBDOMAIN_POLICY'] }), undefined);
dmarcCase('dmarc-invalid-rf', 5, 'rf=xml.', 'v=DMARC1; p=reject; rf=xml; rua=mailto:dmarc@%D', () => expectDmarc.record(R, ['INVALID_RF_VALUE']), R);
dmarcCase('dmarc-invalid-ri', 5, 'ri=daily.', 'v=DMARC1; p=reject; ri=daily; rua=mailto:dmarc@%D', () => expectDmarc.record(R, ['INVALID_RI_VALUE']), R);
dmarcCase('dmarc-invalid-pct', 5, 'pct=150.', 'v=DMARC1; p=reject; pct=150; rua=mailto:dmarc@%D', () => expectDmarc.record({ ...R, pct: 150 }, ['INVALID_PCT_VALUE']), R);
dmarcCase('dmarc-invalid-start', 5, 'v=DMARC1 spelt in lower case.', 'v=dmarc1; p=reject', () => expectDmarc.unusable(['INVALID_DMARC_RECORD_START']));
dmarcCase('dmarc-no-policy-tag', 5, 'rua= but no p=: treated as p=none (DM-9).', 'v=DMARC1; rua=mailto:dmarc@%D', () => ({ grade: dmarcPointsNone(), remarks: ['NO_POLICY_TAG'] }));
dmarcCase('dmarc-invalid-rua', 5, 'rua= is not a URI.', 'v=DMARC1; p=reject; rua=reject', () => expectDmarc.record({ p: 'reject' }, ['INVALID_RUA_URI']), { p: 'reject' });
dmarcCase('dmarc-invalid-ruf', 5, 'ruf= is not a URI.', 'v=DMARC1; p=reject; rua=mailto:dmarc@%D; ruf=forensic', () => expectDmarc.record(R, ['INVALID_RUF_URI']), R);
dmarcCase('dmarc-duplicate-tag', 5, 'p= given twice.', 'v=DMARC1; p=reject; p=reject; rua=mailto:dmarc@%D', () => expectDmarc.record(R, ['DUPLICATE_TAG']), R);
dmarcCase('dmarc-unknown-tag', 5, 'An undefined tag.', 'v=DMARC1; p=reject; rua=mailto:dmarc@%D; foo=bar', () => expectDmarc.record(R, ['UNKNOWN_TAG']), R);
dmarcCase('dmarc-policy-not-second', 5, 'p= after rua=.', 'v=DMARC1; rua=mailto:dmarc@%D; p=reject', () => expectDmarc.record(R, ['POLICY_NOT_SECOND_TAG']), R);
dmarcCase('dmarc-tag-syntax', 5, 'A part that is not tag=value.', 'v=DMARC1; p=reject; rua=mailto:dmarc@%D; garbage', () => expectDmarc.record(R, ['INVALID_TAG_SYNTAX']), R);
scenario('dmarc-multiple-records', 'dmarc', 5, 'Two DMARC records.', (b) => {
  b.txt(b.n('_dmarc'), 'v=DMARC1; p=reject', 'v=DMARC1; p=none');
  b.expect('dmarc', expectDmarc.unusable(['MULTIPLE_DMARC_RECORDS']));
  clearFacts(b, 'dmarcPolicyId', 'dmarcSubPolicyId', 'dmarcRecord', 'hasDmarc');
  b.facts.hasDmarcAggregateReporting = false;
  b.facts.hasDmarcForensicReporting = false;
});
scenario('dmarc-servfail', 'dmarc', 5, 'The _dmarc TXT query answers SERVFAIL.', (b) => {
  b.fault(b.n('_dmarc'), 'TXT', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.expect('dmarc', expectDmarc.lookupFailed());
  clearFacts(b, 'hasDmarc', 'dmarcRecord', 'dmarcPolicyId', 'dmarcSubPolicyId', 'hasDmarcAggregateReporting', 'hasDmarcForensicReporting');
}, ['_dmarc TXT: SERVFAIL']);

function dmarcPointsNone(): number {
  return 10 + 0 + 5 + 5; // p=none (10), sub-policy none (0), pct 100 (5), rua (5)
}

// ---------------------------------------------------------------- CAA
function caaCase(id: string, weight: number, description: string, entries: Array<[number, string, string]>, expectation: AreaExpectation): void {
  scenario(id, 'caa', weight, description, (b) => caa(b, entries.map(([f, t, v]) => [f, t, v.replace(/%D/g, b.domain)]), expectation));
}
const LE: [number, string, string] = [0, 'issue', 'letsencrypt.org'];
caaCase('caa-letsencrypt', 150, 'CAA for one CA.', [LE], expectCaa.records({ issue: true }));
caaCase('caa-empty-tag', 3, 'A CAA record with an empty tag.', [LE, [0, '', 'x']], expectCaa.records({ issue: true }, ['INVALID_PROPERTY_STRUCTURE']));
caaCase('caa-invalid-tag', 3, 'A tag with a hyphen.', [LE, [0, 'is-sue', 'letsencrypt.org']], expectCaa.records({ issue: true }, ['INVALID_TAG']));
caaCase('caa-quote-in-value', 3, 'A value containing a double quote.', [LE, [0, 'issue', 'digicert.com"']], expectCaa.records({ issue: true }, ['VALUE_QUOTE_ERROR']));
caaCase('caa-iodef-no-scheme', 3, 'iodef without a scheme.', [LE, [0, 'iodef', 'security@%D']], expectCaa.records({ issue: true }, ['IODEF_NO_SCHEME']));
caaCase('caa-iodef-invalid-email', 3, 'iodef mailto: with a bad address.', [LE, [0, 'iodef', 'mailto:not an address']], expectCaa.records({ issue: true }, ['IODEF_INVALID_EMAIL']));
caaCase('caa-iodef-invalid-url', 3, 'iodef with a bad URL.', [LE, [0, 'iodef', 'https://bad host/report']], expectCaa.records({ issue: true }, ['IODEF_INVALID_URL']));
caaCase('caa-issuewild-invalid', 3, 'issuewild naming no valid domain.', [LE, [0, 'issuewild', '-bad-.example']], expectCaa.records({ issue: true }, ['ISSUEWILD_DOMAIN_INVALID']));
caaCase('caa-issue-invalid', 3, 'issue naming no valid domain.', [[0, 'issue', 'not a domain!']], expectCaa.records({}, ['ISSUE_DOMAIN_INVALID']));
caaCase('caa-tag-too-long', 3, 'A 17-character tag.', [LE, [0, 'abcdefghijklmnopq', 'x']], expectCaa.records({ issue: true }, ['TAG_TOO_LONG']));
caaCase('caa-critical-unknown', 3, 'Critical flag on an unknown tag.', [LE, [128, 'tbs', 'x']], expectCaa.records({ issue: true }, ['CRITICAL_UNKNOWN_TAG']));
caaCase('caa-reserved-flags', 3, 'Reserved flag bit set.', [[1, 'issue', 'letsencrypt.org']], expectCaa.records({ issue: true }, ['RESERVED_FLAGS_SET']));
caaCase('caa-issue-parameters', 3, 'issue parameters that are not tag=value.', [[0, 'issue', 'letsencrypt.org; foo']], expectCaa.records({}, ['INVALID_ISSUE_PARAMETERS']));
caaCase('caa-iodef-only', 3, 'Only an iodef record.', [[0, 'iodef', 'mailto:security@%D']], expectCaa.records({ iodef: true }, ['NO_ISSUE_PROPERTY']));
caaCase('caa-forbid-all', 5, 'issue ";" — no CA may issue (valid).', [[0, 'issue', ';']], expectCaa.records({ issue: true }));
scenario('caa-timeout', 'caa', 5, 'The CAA query is dropped.', (b) => {
  b.fault(b.domain, 'CAA', { kind: 'drop' });
  b.expect('caa', expectCaa.lookupFailed());
  clearFacts(b, 'hasCaa', 'hasCaaReporting', 'caaIssueCount', 'caaWildcardCount');
}, ['CAA: timeout']);
scenario('caa-formerr', 'caa', 3, 'The CAA query answers FORMERR.', (b) => {
  b.fault(b.domain, 'CAA', { kind: 'rcode', rcode: 'FORMERR' });
  b.expect('caa', expectCaa.lookupFailed());
  clearFacts(b, 'hasCaa', 'hasCaaReporting', 'caaIssueCount', 'caaWildcardCount');
}, ['CAA: FORMERR']);

// ---------------------------------------------------------------- NS
/** Self-hosted name servers ns1..nsN with given behaviours; returns the host names. */
function selfHostedNs(b: SiteBuilder, count: number): string[] {
  const hosts: string[] = [];
  const servers = [];
  for (let k = 1; k <= count; k++) {
    const host = b.n(`ns${k}`);
    const address = b.pickNameServerAddress(k - 1);
    b.a(host, address);
    hosts.push(host);
    servers.push({ host, address, behaviour: { kind: 'ok' } as const });
  }
  b.setNameServers(servers);
  b.facts.dnsProviderId = 31;
  const soa = b.soaFields();
  b.soa({ ...soa, mname: hosts[0] });
  return hosts;
}
const notPublic = (n: number): string[] => Array.from({ length: n }, () => 'NAMESERVER_IS_NOT_PUBLIC');

scenario('ns-single', 'ns', 20, 'Only one name server.', (b) => {
  selfHostedNs(b, 1);
  b.expect('ns', expectNs.servers(['ONLY_ONE_NS_RECORD', ...notPublic(1)]));
});
scenario('ns-three', 'ns', 30, 'Three self-hosted name servers.', (b) => {
  selfHostedNs(b, 3);
  b.expect('ns', expectNs.servers(notPublic(3)));
});
scenario('ns-null-target', 'ns', 2, 'An NS record whose target is the root.', (b) => {
  selfHostedNs(b, 2);
  b.set(b.domain, 'NS', [...b.get(b.domain, 'NS'), rr(b.domain, 'NS', '')]);
  b.expect('ns', expectNs.servers(['NULL_NS_RECORD', ...notPublic(2)]));
});
scenario('ns-no-address', 'ns', 5, 'A name server host with no address.', (b) => {
  selfHostedNs(b, 2);
  b.nameServers.push({ host: b.n('ns3'), address: null, behaviour: { kind: 'ok' } });
  b.setNameServers(b.nameServers);
  b.expect('ns', expectNs.servers(['NAMESERVER_HAS_NO_A', ...notPublic(2)]));
});
function nsBehaviourCase(id: string, weight: number, description: string, behaviour: import('./records').NameServerBehaviour, remarks: string[], soaRemarks?: string[]): void {
  scenario(id, 'ns', weight, description, (b) => {
    selfHostedNs(b, 3);
    b.nameServers[2].behaviour = behaviour;
    b.expect('ns', expectNs.servers([...remarks, ...notPublic(3)]));
    if (soaRemarks) b.expect('soa', expectSoa.record(soaRemarks));
  }, [`ns3 direct: ${behaviour.kind}`]);
}
nsBehaviourCase('ns-servfail', 5, 'One name server answers SERVFAIL directly.', { kind: 'servfail' }, ['NAMESERVER_HAS_INVALID_RESPONSE']);
nsBehaviourCase('ns-timeout', 10, 'One name server never answers.', { kind: 'drop' }, ['NAMESERVER_NOT_RESPONDING']);
nsBehaviourCase('ns-lame-refused', 10, 'One name server refuses the zone (lame delegation).', { kind: 'refused' }, ['NAMESERVER_NOT_AUTHORITATIVE']);
nsBehaviourCase('ns-lame-not-authoritative', 5, 'One name server answers without AA (lame).', { kind: 'not-authoritative' }, ['NAMESERVER_NOT_AUTHORITATIVE']);
scenario('ns-mismatch', 'ns', 10, 'One name server returns a different NS set.', (b) => {
  const hosts = selfHostedNs(b, 3);
  b.nameServers[2].behaviour = { kind: 'ns-set', hosts: [hosts[0], hosts[1], b.n('ns9')] };
  b.expect('ns', expectNs.servers(['NAME_SERVER_MISMATCH', ...notPublic(3)]));
}, ['ns3 direct: different NS set']);
scenario('ns-serial-mismatch', 'soa', 10, 'One name server serves an older SOA serial.', (b) => {
  selfHostedNs(b, 3);
  b.nameServers[2].behaviour = { kind: 'soa-serial', serial: b.soaFields().serial - 5 };
  b.expect('ns', expectNs.servers(notPublic(3)));
  b.expect('soa', expectSoa.record(['SERIAL_INCONSISTENT']));
}, ['ns3 direct: older SOA serial']);
scenario('ns-all-timeout', 'ns', 3, 'No name server answers direct queries.', (b) => {
  selfHostedNs(b, 2);
  for (const s of b.nameServers) s.behaviour = { kind: 'drop' };
  b.expect('ns', expectNs.servers(['NAMESERVER_NOT_RESPONDING', 'NAMESERVER_NOT_RESPONDING', 'NO_NAME_SERVERS_RETURNED', ...notPublic(2)]));
}, ['every name server: timeout']);
scenario('ns-lookup-servfail', 'ns', 3, 'The NS query answers SERVFAIL at the resolver.', (b) => {
  b.fault(b.domain, 'NS', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.expect('ns', expectNs.lookupFailed());
  clearFacts(b, 'dnsProviderId');
}, ['NS: SERVFAIL']);
scenario('ns-address-lookup-failed', 'ns', 3, 'The A lookup of one name server host fails.', (b) => {
  selfHostedNs(b, 3);
  b.fault(b.n('ns3'), 'A', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.fault(b.n('ns3'), 'AAAA', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.expect('ns', expectNs.servers(['NAMESERVER_ADDRESS_LOOKUP_FAILED', ...notPublic(2)]));
}, ['ns3 A/AAAA: SERVFAIL']);
scenario('ns-ip-literal', 'ns', 2, 'An NS record naming an IP address.', (b) => {
  selfHostedNs(b, 2);
  b.set(b.domain, 'NS', [...b.get(b.domain, 'NS'), rr(b.domain, 'NS', '192.0.2.53')]);
  b.expect('ns', expectNs.servers(['NAMESERVER_IS_IP_ADDRESS', ...notPublic(2)]));
});
scenario('ns-cname', 'ns', 2, 'A name server host that is a CNAME.', (b) => {
  const hosts = selfHostedNs(b, 2);
  const target = b.n('nsbox');
  b.remove(hosts[1], 'A');
  b.set(hosts[1], 'CNAME', [rr(hosts[1], 'CNAME', target)]);
  b.a(target, b.nameServers[1].address as string);
  b.expect('ns', expectNs.servers(['NAMESERVER_IS_CNAME', ...notPublic(2)]));
});
scenario('ns-shared-address', 'ns', 3, 'Two name server hosts on one address.', (b) => {
  const hosts = selfHostedNs(b, 2);
  const address = b.nameServers[0].address as string;
  b.nameServers[1].address = address;
  b.a(hosts[1], address);
  b.expect('ns', expectNs.servers(['NAMESERVERS_SHARE_ADDRESS', ...notPublic(2)]));
});

// ---------------------------------------------------------------- SOA
function soaCase(id: string, weight: number, description: string, fields: Partial<import('./records').SoaFields> | ((b: SiteBuilder) => Partial<import('./records').SoaFields>), remarks: string[]): void {
  scenario(id, 'soa', weight, description, (b) => {
    b.soa(typeof fields === 'function' ? fields(b) : fields);
    b.expect('soa', expectSoa.record(remarks));
  });
}
soaCase('soa-invalid-mname', 3, 'MNAME with an underscore.', (b) => ({ mname: `ns_1.${b.domain}` }), ['INVALID_MNAME']);
soaCase('soa-invalid-rname', 3, 'RNAME whose domain part is not a domain.', (b) => ({ rname: `hostmaster.-bad-.${b.domain}` }), ['INVALID_RNAME']);
soaCase('soa-refresh-out-of-range', 2, 'refresh above 2^31−1.', { refresh: 4000000000 }, ['REFRESH_NOT_IN_RANGE', 'REFRESH_TOO_LONG', 'EXPIRE_NOT_ABOVE_REFRESH_PLUS_RETRY']);
soaCase('soa-retry-out-of-range', 2, 'retry above 2^31−1.', { retry: 3000000000 }, ['RETRY_NOT_IN_RANGE', 'RETRY_NOT_BELOW_REFRESH', 'EXPIRE_NOT_ABOVE_REFRESH_PLUS_RETRY']);
soaCase('soa-expire-out-of-range', 2, 'expire above 2^31−1.', { expire: 3000000000 }, ['EXPIRE_NOT_IN_RANGE']);
soaCase('soa-minimum-out-of-range', 2, 'minimum above 2^31−1.', { minimum: 3000000000 }, ['MINIMUM_NOT_IN_RANGE', 'MINIMUM_TOO_LONG']);
soaCase('soa-refresh-short', 5, 'refresh 5 minutes.', { refresh: 300, retry: 120 }, ['REFRESH_TOO_SHORT']);
soaCase('soa-refresh-long', 5, 'refresh one day.', { refresh: 86400 }, ['REFRESH_TOO_LONG']);
soaCase('soa-retry-not-below-refresh', 5, 'retry longer than refresh.', { refresh: 3600, retry: 7200 }, ['RETRY_NOT_BELOW_REFRESH']);
soaCase('soa-expire-short', 5, 'expire one day.', { expire: 86400 }, ['EXPIRE_TOO_SHORT']);
soaCase('soa-expire-not-above', 3, 'expire equal to refresh + retry.', { refresh: 604800, retry: 3600, expire: 608400 }, ['REFRESH_TOO_LONG', 'EXPIRE_NOT_ABOVE_REFRESH_PLUS_RETRY']);
soaCase('soa-minimum-short', 5, 'negative TTL one minute.', { minimum: 60 }, ['MINIMUM_TOO_SHORT']);
soaCase('soa-minimum-long', 5, 'negative TTL two days.', { minimum: 172800 }, ['MINIMUM_TOO_LONG']);
scenario('soa-two-records', 'soa', 2, 'Two SOA records at the apex.', (b) => {
  const soa = b.soaFields();
  b.set(b.domain, 'SOA', [rr(b.domain, 'SOA', soa), rr(b.domain, 'SOA', { ...soa, serial: soa.serial + 1 })]);
  b.expect('soa', expectSoa.record(['TOO_MANY_SOA']));
});
scenario('soa-timeout', 'soa', 5, 'The SOA query is dropped.', (b) => {
  b.fault(b.domain, 'SOA', { kind: 'drop' });
  b.expect('soa', expectSoa.lookupFailed());
}, ['SOA: timeout']);

// ---------------------------------------------------------------- MX
function mxCase(id: string, weight: number, description: string, entries: Array<[number, string]>, expectation: AreaExpectation, extra?: (b: SiteBuilder) => void, spfMx = true): void {
  scenario(id, 'mx', weight, description, (b) => {
    const resolved = entries.map(([p, x]): [number, string] => [p, x.replace(/%D/g, b.domain)]);
    b.mx(...resolved);
    extra?.(b);
    b.expect('mx', expectation);
    b.hasMx = true;
    b.facts.hasMx = true;
    b.facts.emailProviderId = classifyMailExchanges(b.domain, resolved.map(([, x]) => x).filter((x) => x !== ''));
    b.facts.hasNullMx = false;
    if (spfMx) spfStays(b);
  });
}
mxCase('mx-self-hosted', 150, 'Mail handled by the site itself.', [[10, 'mail.%D']], expectMx.records(1, 1), (b) => b.a(b.n('mail'), webAddress(b.index)));
mxCase('mx-invalid-exchange', 3, 'An exchange starting with a hyphen.', [[10, 'aspmx.l.google.com'], [20, '-mail-.%D']], expectMx.records(2, 1, ['INVALID_EXCHANGE']));
mxCase('mx-exchange-ip', 3, 'An exchange that is an IP address.', [[10, 'aspmx.l.google.com'], [20, '192.0.2.25']], expectMx.records(2, 1, ['EXCHANGE_IS_AN_IP']));
mxCase('mx-not-public', 3, 'An exchange under a non-public TLD.', [[10, 'aspmx.l.google.com'], [20, 'mailhost.lan']], expectMx.records(2, 1, ['NOT_PUBLIC_DOMAIN']));
mxCase('mx-possible-bad-exchange', 3, 'An exchange repeating the domain (missing dot in a zone file).', [[10, 'mail.%D.%D']], expectMx.records(1, 1, ['POSSIBLE_BAD_EXCHANGE']), (b) => b.a(`mail.${b.domain}.${b.domain}`, webAddress(b.index)));
mxCase('mx-null-with-other', 3, 'A null MX next to a real one.', [[0, ''], [10, 'aspmx.l.google.com']], expectMx.records(2, 1, ['NULL_MX_WITH_OTHER_MX']));
mxCase('mx-no-address', 5, 'An exchange that does not resolve.', [[10, 'aspmx.l.google.com'], [20, 'gone.%D']], expectMx.records(2, 1, ['EXCHANGE_HAS_NO_ADDRESS']));
mxCase('mx-cname', 3, 'An exchange that is a CNAME.', [[10, 'mx.%D']], expectMx.records(1, 1, ['EXCHANGE_IS_CNAME']), (b) => {
  b.set(b.n('mx'), 'CNAME', [rr(b.n('mx'), 'CNAME', b.n('mail'))]);
  b.a(b.n('mail'), webAddress(b.index));
});
mxCase('mx-address-servfail', 3, 'The A/AAAA lookups of an exchange fail.', [[10, 'mail.%D']], expectMx.records(1, 1, ['EXCHANGE_ADDRESS_LOOKUP_FAILED']), (b) => {
  b.a(b.n('mail'), webAddress(b.index));
  b.fault(b.n('mail'), 'A', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.fault(b.n('mail'), 'AAAA', { kind: 'rcode', rcode: 'SERVFAIL' });
});
mxCase('mx-duplicate-exchange', 3, 'The same exchange twice.', [[10, 'mail.%D'], [20, 'mail.%D']], expectMx.records(2, 2, ['DUPLICATE_EXCHANGE']), (b) => b.a(b.n('mail'), webAddress(b.index)));
scenario('mx-null', 'mx', 40, 'RFC 7505 null MX with SPF -all: a domain that sends and receives no mail.', (b) => {
  b.mx([0, '']);
  b.spf('v=spf1 -all');
  b.expect('spf', expectSpf.record('-all'));
  setSpfFacts(b, '-all');
  b.expect('mx', expectMx.nullMx());
  b.hasMx = true;
  b.facts.hasMx = true;
  b.facts.hasNullMx = true;
  delete b.facts.emailProviderId; // the spec leaves null MX's provider row open (27 "No mail" or 25 "NoMail")
});
scenario('mx-null-nonzero', 'mx', 3, 'A null MX with preference 10.', (b) => {
  b.mx([10, '']);
  b.spf('v=spf1 -all');
  b.expect('spf', expectSpf.record('-all'));
  setSpfFacts(b, '-all');
  b.expect('mx', expectMx.nullMx(['NULL_MX_NONZERO_PREFERENCE']));
  b.hasMx = true;
  b.facts.hasMx = true;
  b.facts.hasNullMx = true;
  delete b.facts.emailProviderId;
});
scenario('mx-missing-sends-mail', 'mx', 30, 'No MX but an SPF record that authorises senders.', (b) => {
  b.remove(b.domain, 'MX');
  b.spf('v=spf1 ip4:185.28.0.0/24 -all');
  b.expect('spf', expectSpf.record('-all'));
  setSpfFacts(b, '-all');
  b.expect('mx', expectMx.missingButSendsMail());
  b.hasMx = false;
  b.facts.hasMx = false;
  b.facts.emailProviderId = 27;
});
scenario('mx-servfail', 'mx', 5, 'The MX query answers SERVFAIL.', (b) => {
  b.fault(b.domain, 'MX', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.expect('mx', expectMx.lookupFailed());
  clearFacts(b, 'hasMx', 'hasNullMx', 'emailProviderId');
  if (b.grades.spf.remarks.includes('NO_SPF_FOUND')) b.expect('spf', { grade: null, remarks: ['NO_SPF_FOUND'] });
  // An SPF `mx` mechanism (without a domain) needs this MX answer: SPF cannot be evaluated (RFC 7208
  // §5.4, temperror), so its grade is undetermined.
  const spf = b.get(b.domain, 'TXT').map((r) => (r.data as string[]).join('')).find((t) => t.toLowerCase().startsWith('v=spf1'));
  if (spf && spf.split(/\s+/).some((term) => /^[-+~?]?mx(\/\d+)?(\/\/\d+)?$/i.test(term))) b.expect('spf', expectSpf.nestedLookupFailed());
}, ['MX: SERVFAIL']);

// ---------------------------------------------------------------- BIMI
function bimiCase(id: string, weight: number, description: string, records: string[], remarks: string[], dmarcRecord: string | null = 'v=DMARC1; p=reject; rua=mailto:dmarc@%D', tags: DmarcTags = R): void {
  scenario(id, 'bimi', weight, description, (b) => {
    if (dmarcRecord === null) {
      b.remove(b.n('_dmarc'));
      b.expect('dmarc', expectDmarc.absent());
      setDmarcFacts(b, null);
    } else dmarc(b, dmarcRecord.replace(/%D/g, b.domain), tags);
    b.txt(b.n('default._bimi'), ...records.map((r) => r.replace(/%D/g, b.domain)));
    const exp = expectBimi.record(remarks);
    b.expect('bimi', exp);
    b.facts.hasBimi = exp.grade === 100;
  });
}
const LOGO = 'l=https://%D/brand/logo.svg';
const VMC = 'a=https://%D/brand/vmc.pem';
bimiCase('bimi-valid', 30, 'A BIMI record with a mark certificate.', [`v=BIMI1; ${LOGO}; ${VMC}`], []);
bimiCase('bimi-no-authority', 20, 'A BIMI logo without a mark certificate.', [`v=BIMI1; ${LOGO}`], ['NO_AUTHORITY_EVIDENCE']);
bimiCase('bimi-two-records', 2, 'Two BIMI records.', [`v=BIMI1; ${LOGO}; ${VMC}`, `v=BIMI1; ${LOGO}; ${VMC}`], ['TOO_MANY_BIMI_RECORDS']);
bimiCase('bimi-dmarc-none', 5, 'BIMI with DMARC p=none.', [`v=BIMI1; ${LOGO}; ${VMC}`], ['DMARC_STRICT_ENOUGH_POLICY'], 'v=DMARC1; p=none; rua=mailto:dmarc@%D', { p: 'none', rua: true });
bimiCase('bimi-dmarc-pct', 5, 'BIMI with DMARC quarantine at 50%.', [`v=BIMI1; ${LOGO}; ${VMC}`], ['DMARC_STRICT_ENOUGH_PERCENT'], 'v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc@%D', { p: 'quarantine', pct: 50, rua: true });
bimiCase('bimi-dmarc-sp-none', 3, 'BIMI with DMARC sp=none.', [`v=BIMI1; ${LOGO}; ${VMC}`], ['DMARC_SUBDOMAIN_POLICY_NOT_STRICT'], 'v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@%D', { p: 'reject', sp: 'none', rua: true });
bimiCase('bimi-no-dmarc', 3, 'BIMI without DMARC.', [`v=BIMI1; ${LOGO}; ${VMC}`], ['DMARC_NOT_DEFINED'], null);
bimiCase('bimi-invalid-start', 3, 'A BIMI record with a lower-case version.', [`v=bimi1; ${LOGO}; ${VMC}`], ['INVALID_START']);
bimiCase('bimi-no-logo', 3, 'No l= tag.', [`v=BIMI1; ${VMC}`], ['LOGO_NOT_DEFINED']);
bimiCase('bimi-logo-http', 3, 'A logo over http.', [`v=BIMI1; l=http://%D/brand/logo.svg; ${VMC}`], ['LOGO_NOT_HTTPS']);
bimiCase('bimi-logo-location', 3, 'A logo location that is not a URL.', [`v=BIMI1; l=ftp://%D/logo.svg; ${VMC}`], ['LOGO_INVALID_LOCATION']);
bimiCase('bimi-logo-format', 3, 'A PNG logo.', [`v=BIMI1; l=https://%D/brand/logo.png; ${VMC}`], ['LOGO_INVALID_FORMAT']);
bimiCase('bimi-duplicate-tag', 3, 'l= given twice.', [`v=BIMI1; ${LOGO}; ${LOGO}; ${VMC}`], ['DUPLICATE_TAG_FOUND']);
bimiCase('bimi-opt-out', 5, 'Declination record: empty l= and a=.', ['v=BIMI1; l=; a=;'], ['BIMI_OPTED_OUT']);
bimiCase('bimi-logo-blank', 3, 'Empty l= with an authority.', [`v=BIMI1; l=; ${VMC}`], ['LOGO_LOCATION_BLANK']);
bimiCase('bimi-authority-http', 3, 'a= over http.', [`v=BIMI1; ${LOGO}; a=http://%D/brand/vmc.pem`], ['INVALID_AUTHORITY_LOCATION']);
scenario('bimi-timeout', 'bimi', 3, 'The BIMI TXT query is dropped.', (b) => {
  dmarc(b, `v=DMARC1; p=reject; rua=mailto:dmarc@${b.domain}`, R);
  b.fault(b.n('default._bimi'), 'TXT', { kind: 'drop' });
  b.expect('bimi', expectBimi.lookupFailed());
  delete b.facts.hasBimi;
}, ['default._bimi TXT: timeout']);

// ---------------------------------------------------------------- DNSSEC
function sign(b: SiteBuilder, algorithm: number, digestType: number, options: { keyBits?: number; kskFlags?: 256 | 257; dsOf?: LabDnskey; extraDs?: LabDnskey; noKeys?: boolean; malformDigest?: boolean } = {}): LabDnskey {
  const ksk = labDnskey(b.seed, algorithm, options.kskFlags ?? 257, b.index % 8);
  const zsk = labDnskey(b.seed, algorithm, 256, (b.index % 8) + 8);
  if (!options.noKeys) {
    b.set(b.domain, 'DNSKEY', [dnskeyRecord(b.domain, ksk), dnskeyRecord(b.domain, zsk)]);
  }
  const ds = dsFor(b.domain, options.dsOf ?? ksk, digestType);
  const digest = options.malformDigest ? ds.digest.subarray(0, 20) : ds.digest;
  b.ds = [rr(b.domain, 'DS', { ...ds, digest })];
  if (options.extraDs) b.ds.push(rr(b.domain, 'DS', dsFor(b.domain, options.extraDs, digestType)));
  setDnssecFacts(b);
  return ksk;
}
function dnskeyRecord(owner: string, key: LabDnskey): LabRecord {
  return rr(owner, 'DNSKEY', { flags: key.flags, algorithm: key.algorithm, key: key.publicKey });
}
function dnssecCase(id: string, weight: number, description: string, algorithm: number, digestType: number, remarks: string[], options: Parameters<typeof sign>[3] = {}): void {
  scenario(id, 'dnssec', weight, description, (b) => {
    sign(b, algorithm, digestType, options);
    b.expect('dnssec', expectDnssec.signed(remarks));
  });
}
const otherKey = (seed: number, algorithm: number): LabDnskey => labDnskey(seed, algorithm, 257, 99);
dnssecCase('dnssec-ecdsa', 250, 'Signed with ECDSA P-256, SHA-256 DS.', 13, 2, []);
dnssecCase('dnssec-rsasha256', 120, 'Signed with RSA/SHA-256.', 8, 2, []);
dnssecCase('dnssec-ed25519', 30, 'Signed with Ed25519.', 15, 2, []);
dnssecCase('dnssec-ecdsa384', 10, 'Signed with ECDSA P-384, SHA-384 DS.', 14, 4, []);
scenario('dnssec-ds-mismatch', 'dnssec', 10, 'The DS matches no DNSKEY of the zone.', (b) => {
  sign(b, 13, 2, { dsOf: otherKey(b.seed, 13) });
  b.expect('dnssec', expectDnssec.signed(['DS_DOES_NOT_MATCH_DNSKEY']));
});
scenario('dnssec-stale-ds', 'dnssec', 5, 'One matching DS and one left over from a rollover.', (b) => {
  sign(b, 13, 2, { extraDs: otherKey(b.seed, 13) });
  b.expect('dnssec', expectDnssec.signed(['STALE_DS_RECORD']));
});
scenario('dnssec-no-dnskey', 'dnssec', 5, 'DS at the parent, no DNSKEY in the zone.', (b) => {
  sign(b, 13, 2, { noKeys: true });
  b.expect('dnssec', expectDnssec.signed(['NO_DNSKEY_RECORDS']));
});
scenario('dnssec-island', 'dnssec', 10, 'DNSKEY published, no DS at the parent.', (b) => {
  sign(b, 13, 2);
  b.ds = [];
  setDnssecFacts(b);
  b.expect('dnssec', expectDnssec.unsigned(true));
});
dnssecCase('dnssec-alg-dsa', 2, 'Algorithm 3 (DSA): must not.', 3, 2, ['DS_ALGORITHM_MUST_NOT', 'DNSKEY_ALGORITHM_MUST_NOT']);
dnssecCase('dnssec-alg-rsasha1', 15, 'Algorithm 5 (RSASHA1): not recommended.', 5, 2, ['DS_ALGORITHM_NOT_RECOMMENDED', 'DNSKEY_ALGORITHM_NOT_RECOMMENDED']);
dnssecCase('dnssec-alg-unknown', 2, 'Algorithm 200 (unassigned).', 200, 2, ['DS_ALGORITHM_UNKNOWN', 'DNSKEY_ALGORITHM_UNKNOWN']);
dnssecCase('dnssec-digest-sha1', 15, 'A SHA-1 DS.', 13, 1, ['DS_DIGEST_TYPE_MUST_NOT']);
dnssecCase('dnssec-digest-unknown', 2, 'DS digest type 9 (unassigned).', 13, 9, ['DS_DIGEST_TYPE_UNKNOWN']);
dnssecCase('dnssec-digest-gost', 2, 'A GOST DS (cannot be verified).', 13, 3, ['DS_DIGEST_TYPE_MUST_NOT', 'DS_DIGEST_UNVERIFIABLE']);
dnssecCase('dnssec-malformed-ds', 2, 'A SHA-256 DS with a 20-byte digest.', 13, 2, ['MALFORMED_DS_RECORD', 'DS_DOES_NOT_MATCH_DNSKEY'], { malformDigest: true });
dnssecCase('dnssec-ds-on-zsk', 3, 'The DS points at a key without the SEP flag.', 13, 2, ['MATCHED_KEY_NOT_SEP'], { kskFlags: 256 });
scenario('dnssec-malformed-dnskey', 'dnssec', 2, 'A DNSKEY with an empty public key.', (b) => {
  sign(b, 13, 2);
  b.set(b.domain, 'DNSKEY', [...b.get(b.domain, 'DNSKEY'), rr(b.domain, 'DNSKEY', { flags: 256, algorithm: 13, key: Buffer.alloc(0) })]);
  b.expect('dnssec', expectDnssec.signed(['MALFORMED_DNSKEY_RECORD']));
});
scenario('dnssec-short-rsa', 'dnssec', 2, 'An RSA/SHA-256 key of 512 bits.', (b) => {
  const key: LabDnskey = { ...labDnskey(b.seed, 8, 257, 50), publicKey: Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(64, 0xab)]) };
  b.set(b.domain, 'DNSKEY', [dnskeyRecord(b.domain, key)]);
  b.ds = [rr(b.domain, 'DS', dsFor(b.domain, key, 2))];
  setDnssecFacts(b);
  b.expect('dnssec', expectDnssec.signed(['RSA_KEY_TOO_SHORT']));
});
scenario('dnssec-ds-servfail', 'dnssec', 3, 'The DS query answers SERVFAIL.', (b) => {
  sign(b, 13, 2);
  b.fault(b.domain, 'DS', { kind: 'rcode', rcode: 'SERVFAIL' });
  b.expect('dnssec', expectDnssec.lookupFailed());
  clearFacts(b, 'hasDnssec', 'dnssecDsAlgorithm', 'dnssecDigestType');
}, ['DS: SERVFAIL']);

// ---------------------------------------------------------------- transport faults and odd sites
scenario('msdcs', 'site', 20, 'An Active Directory forest root: _msdcs is its own zone.', (b) => {
  const origin = b.n('_msdcs');
  const soa = b.soaFields();
  b.childZones.push({
    origin,
    records: [rr(origin, 'SOA', { ...soa, mname: b.nameServers[0].host }), ...b.nameServers.map((s) => rr(origin, 'NS', s.host))],
  });
  b.facts.hasMsdc = true;
});
scenario('large-txt-tcp', 'scan', 40, 'Many apex TXT records: the answer exceeds any UDP size, TC forces TCP.', (b) => {
  const others = Array.from({ length: 24 }, (_, k) => `verification-${k}=${b.rng.token(200)}`);
  const spf = b.get(b.domain, 'TXT').filter((r) => (r.data as string[]).join('').startsWith('v=spf1'));
  b.set(b.domain, 'TXT', [...spf, ...others.map((t) => rr(b.domain, 'TXT', [t]))]);
  b.fault(b.domain, 'TXT', { kind: 'truncate' });
  b.notes.push('txt: TC over UDP, answered over TCP');
}, ['apex TXT: TC over UDP']);
scenario('slow-answers', 'scan', 30, 'Every answer for the site arrives 300 ms late (still within a timeout).', (b) => {
  b.fault('*', '*', { kind: 'delay', ms: 300 });
}, ['all queries: +300 ms']);
scenario('dead-zone', 'scan', 15, 'Every query for the site answers SERVFAIL (broken delegation).', (b) => {
  b.fault('*', '*', { kind: 'rcode', rcode: 'SERVFAIL' });
  for (const s of b.nameServers) s.behaviour = { kind: 'servfail' };
  allLookupsFailed(b);
}, ['all queries: SERVFAIL']);
scenario('unreachable-zone', 'scan', 5, 'No query for the site is ever answered.', (b) => {
  b.fault('*', '*', { kind: 'drop' });
  for (const s of b.nameServers) s.behaviour = { kind: 'drop' };
  allLookupsFailed(b);
}, ['all queries: timeout']);
scenario('nxdomain', 'site', 40, 'The listed domain does not exist (expired registration).', (b) => {
  b.nonexistent = true;
  b.expect('spf', expectSpf.absent(false));
  b.expect('dmarc', expectDmarc.absent());
  b.expect('caa', expectCaa.absent());
  b.expect('ns', expectNs.absent());
  b.expect('soa', expectSoa.absent());
  b.expect('mx', expectMx.noMailService());
  b.expect('bimi', expectBimi.absent());
  b.expect('dnssec', expectDnssec.unsigned());
  for (const k of Object.keys(b.facts)) delete (b.facts as Record<string, unknown>)[k];
  Object.assign(b.facts, { hasMx: false, hasSpf: false, hasDmarc: false, hasCaa: false, hasDnssec: false, hasBimi: false, dnsProviderId: null, emailProviderId: 27, hasMsdc: false });
});

// ---------------------------------------------------------------- helpers
function mailViaGoogle(b: SiteBuilder): void {
  const exchanges = ['aspmx.l.google.com', 'alt1.aspmx.l.google.com', 'alt2.aspmx.l.google.com'];
  b.mx(...exchanges.map((x, k): [number, string] => [(k + 1) * 10, x]));
  b.hasMx = true;
  b.facts.hasMx = true;
  b.facts.hasNullMx = false;
  b.facts.emailProviderId = 1;
  b.expect('mx', expectMx.records(3, 3));
}

/** After changing MX, re-state the baseline SPF expectation with the new has-MX flag. */
function spfStays(b: SiteBuilder): void {
  if (b.grades.spf.remarks.includes('NO_SPF_FOUND')) b.expect('spf', expectSpf.absent(b.hasMx));
}

function dmarc(b: SiteBuilder, record: string, tags: DmarcTags): void {
  b.txt(b.n('_dmarc'), record);
  b.expect('dmarc', expectDmarc.record(tags));
  setDmarcFacts(b, record, tags);
}

function caa(b: SiteBuilder, entries: Array<[number, string, string]>, expectation: AreaExpectation): void {
  b.caa(...entries);
  b.expect('caa', expectation);
  setCaaFacts(b, entries);
}

function clearFacts(b: SiteBuilder, ...keys: Array<keyof SiteBuilder['facts']>): void {
  for (const k of keys) delete b.facts[k];
}

function allLookupsFailed(b: SiteBuilder): void {
  for (const area of ['spf', 'dmarc', 'caa', 'ns', 'soa', 'mx', 'bimi', 'dnssec'] as const) b.expect(area, { grade: null, remarks: ['LOOKUP_FAILED'] });
  for (const k of Object.keys(b.facts)) delete (b.facts as Record<string, unknown>)[k];
}

export const SCENARIOS: readonly Scenario[] = scenarios;
export const SCENARIO_BY_ID: ReadonlyMap<string, Scenario> = new Map(scenarios.map((s) => [s.id, s]));

/** `%D` in scenario record text stands for the site's domain. */
export function expandDomain(text: string, domain: string): string {
  return text.replace(/%D/g, domain);
}

export { STANDARD_SOA_TIMERS, DMARC_POLICY_IDS };
