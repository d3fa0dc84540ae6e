// Grade arithmetic per area, at its boundaries, and the defect probes of spec §26 with their
// RFC-correct outcomes.
import { gradeSite, processSite } from '../../../src/checks';
import { findRemark } from '../../../src/checks/remarks';
import { keyTag, dsDigest, dnskeyRdata, canonicalName } from '../../../src/checks/dnssec';
import { pctPoints } from '../../../src/checks/dmarc';
import type { GradedArea, SiteFacts } from '../../../src/checks/types';
import type { DnskeyData, SiteScan } from '../../../src/dns/types';
import { a, caa, dnskey, DOMAIN, dsOf, healthySite, KSK, mx, nameServer, ns, NS_HOSTS, outcome, soa, status, textOnly, txt } from './fixtures';

function graded(change: (s: SiteScan) => void): { grades: ReturnType<typeof gradeSite>; facts: SiteFacts; names: (area: GradedArea) => string[] } {
  const scan = healthySite();
  change(scan);
  const facts = processSite(scan);
  const grades = gradeSite(scan, facts);
  return { grades, facts, names: (area) => grades[area].remarks.map((r) => findRemark(r)!.name) };
}
const grade = (area: GradedArea, change: (s: SiteScan) => void): number | null => graded(change).grades[area].grade;
const setTxt = (...records: string[]) => (s: SiteScan) => void (s.txt = outcome(DOMAIN, 'TXT', records.map((r) => txt(r))));
const setDmarc = (record: string) => (s: SiteScan) => void (s.dmarc = outcome(`_dmarc.${DOMAIN}`, 'TXT', [txt(record)]));
const noMx = (s: SiteScan) => void (s.mx = status(DOMAIN, 'MX', 'NODATA'));

describe('SPF grade', () => {
  it.each([
    ['v=spf1 -all', 100],
    ['v=spf1 ~all', 75],
    ['v=spf1 ?all', 50],
    ['v=spf1 +all', 0],
    ['v=spf1 all', 0], // SPF-8: bare all is +all
    ['v=spf1 ip4:185.1.1.1', 20], // no all: neutral, the original's 20 (SPF-24)
    ['v=spf1', 20], // SPF-16: version only is valid
    ['v=spf1 ptr ~all', 73], // −2 per remark
    ['v=spf1 ptr ip4:10.0.0.1 -all ip4:1.2.3.4', 94],
    ['v=spf1 ptr ptr ptr ptr ptr ptr ptr ptr ptr ptr ip4:10.0.0.1 ~all', 53], // 10 lookups: still valid
  ])('%s → %d', (record, expected) => {
    expect(grade('spf', setTxt(record))).toBe(expected);
  });

  it('floors at 0', () => {
    expect(grade('spf', setTxt('v=spf1 ip4:10.0.0.1 ip4:10.0.0.2 ip4:10.0.0.3 ?all'))).toBe(44);
    expect(grade('spf', setTxt('v=spf1 ptr +all'))).toBe(0);
  });

  it('grades no SPF 0 with a (non-null) MX, 20 without, null when the MX lookup failed (SPF-1)', () => {
    expect(grade('spf', setTxt('hello'))).toBe(0);
    expect(grade('spf', (s) => { setTxt('hello')(s); noMx(s); })).toBe(20);
    expect(grade('spf', (s) => { setTxt('hello')(s); s.mx = outcome(DOMAIN, 'MX', [mx(0, '')]); })).toBe(20);
    expect(grade('spf', (s) => { setTxt('hello')(s); s.mx = status(DOMAIN, 'MX', 'TIMEOUT'); })).toBeNull();
  });

  it('grades a permerror record as no SPF and a temperror as undetermined', () => {
    expect(grade('spf', setTxt('v=spf1 ip4:300.1.1.1 -all'))).toBe(0);
    expect(grade('spf', (s) => { setTxt('v=spf1 ip4:300.1.1.1 -all')(s); noMx(s); })).toBe(20);
    expect(grade('spf', (s) => { setTxt('v=spf1 include:_i.example.net -all')(s); s.spfLookups = [status('_i.example.net', 'TXT', 'TIMEOUT')]; })).toBeNull();
    expect(grade('spf', (s) => void (s.txt = status(DOMAIN, 'TXT', 'SERVFAIL')))).toBeNull();
  });

  it('counts lookups through includes (SPF-2, SPF-3)', () => {
    const inner = (n: number) => `v=spf1 ${Array.from({ length: n }, (_, i) => `exists:e${i}.example.net`).join(' ')} -all`;
    const withInner = (n: number) => (s: SiteScan) => {
      setTxt('v=spf1 include:_i.example.net -all')(s);
      s.spfLookups = [
        outcome('_i.example.net', 'TXT', [txt(inner(n))]),
        ...Array.from({ length: n }, (_, i) => outcome(`e${i}.example.net`, 'A', [a('185.1.1.1')])),
      ];
    };
    expect(graded(withInner(9)).names('spf')).toEqual([]); // 1 + 9 = 10
    expect(graded(withInner(10)).names('spf')).toEqual(['TOO_MANY_DNS_LOOKUPS']); // 11
  });
});

describe('SPF probes (spec §26)', () => {
  const lookupsFor = (s: SiteScan, ...entries: Parameters<typeof outcome>[]) => void (s.spfLookups = entries.map((e) => outcome(...e)));
  it.each([
    ['v=spf1 ip6:2001:4860:4000::1 -all', 100, []],
    ['v=spf1 ip4:1.0.0.1/24 -all', 100, []],
    ['v=spf1 ~ip4:1.2.3.4 -all', 100, []],
    ['v=spf1 foo=bar -all', 100, []],
    ['V=SPF1 -all', 100, []],
    ['v=spf1 all', 0, ['DEFAULT_ALL_QUALIFIER']],
    ['v=spf1 -all ip4:300.1.1.1', 98, ['TERMS_AFTER_ALL']],
    ['v=spf1 include:foo-all.example ?all', 50, ['NESTED_LOOKUP_FAILED']],
  ] as Array<[string, number | null, string[]]>)('%s', (record, expected, remarks) => {
    const r = graded(setTxt(record));
    expect(r.names('spf')).toEqual(remarks);
    if (remarks.includes('NESTED_LOOKUP_FAILED')) expect(r.grades.spf.grade).toBeNull();
    else expect(r.grades.spf.grade).toBe(expected);
  });

  it('takes the qualifier from the actual all term, not from a domain name (SPF-19)', () => {
    const r = graded((s) => {
      setTxt('v=spf1 include:foo-all.example ?all')(s);
      lookupsFor(s, ['foo-all.example', 'TXT', [txt('v=spf1 -all')]]);
    });
    expect(r.grades.spf.grade).toBe(50);
    expect(r.facts.spfPolicyId).toBe(2);
  });

  it('looks up a:/mx: targets, not the scanned domain (SPF-4)', () => {
    const r = graded((s) => {
      setTxt('v=spf1 a:other.example mx:other.example -all')(s);
      lookupsFor(s, ['other.example', 'A', [a('185.1.1.1')]], ['other.example', 'AAAA', []], ['other.example', 'MX', [mx(10, 'mx.other.example')]]);
    });
    expect(r.names('spf')).toEqual([]);
  });

  it('follows redirect= for the result, and has_spf is true (SPF-15, SPF-20)', () => {
    const r = graded((s) => {
      setTxt('v=spf1 redirect=r.example')(s);
      lookupsFor(s, ['r.example', 'TXT', [txt('v=spf1 ip4:5.6.7.8 -all')]]);
    });
    expect(r.grades.spf).toEqual({ grade: 100, remarks: [] });
    expect(r.facts).toMatchObject({ hasSpf: true, spfPolicyId: 4, spfRecord: 'v=spf1 redirect=r.example' });
  });

  it('ignores redirect= when all is present (SPF-15)', () => {
    expect(graded(setTxt('v=spf1 -all redirect=r.example')).names('spf')).toEqual(['REDIRECT_IGNORED']);
  });

  it('concatenates the character-strings of one record without a separator (SPF-18)', () => {
    const r = graded((s) => {
      s.txt = outcome(DOMAIN, 'TXT', [txt('v=spf1 include:spf.protection.outl', 'ook.com -all')]);
      lookupsFor(s, ['spf.protection.outlook.com', 'TXT', [txt('v=spf1 ip4:40.92.0.0/15 -all')]]);
    });
    expect(r.grades.spf).toEqual({ grade: 100, remarks: [] });
  });

  it('reads a record stored only as presentation text', () => {
    const r = graded((s) => void (s.txt = textOnly(DOMAIN, 'TXT', ['"v=spf1 ip4:185.1.1.1" " ~all"'])));
    expect(r.grades.spf.grade).toBe(75);
  });

  it('flags several SPF records as invalid in the facts (SPF-21)', () => {
    const r = graded(setTxt('v=spf1 -all', 'v=spf1 ~all'));
    expect(r.facts).toMatchObject({ hasSpf: true, spfPolicyId: 6 });
    expect(r.names('spf')).toEqual(['MULTIPLE_SPF_RECORDS']);
  });
});

describe('DMARC grade', () => {
  it.each([
    ['v=DMARC1; p=reject', 80],
    ['v=DMARC1; p=quarantine', 45],
    ['v=DMARC1; p=none', 15],
    ['v=DMARC1; p=none; pct=0', 8],
    ['v=DMARC1; p=reject; rua=mailto:d@example.com', 85],
    ['v=DMARC1; p=reject; rua=mailto:d@example.com; ruf=mailto:d@example.com; adkim=s; aspf=s; fo=1', 100], // 104, capped (DM-2)
    ['v=DMARC1; p=reject; fo=d', 82],
    ['v=DMARC1; p=reject; sp=none', 65],
    ['v=DMARC1; p=none; sp=quarantine', 25],
    ['v=DMARC1; p=reject; pct=150', 75], // invalid pct earns nothing (DM-4)
    ['v=DMARC1; p=bogus', 0],
    ['v=DMARC1; p=bogus; rua=mailto:d@example.com', 20], // acts as p=none (DM-9)
    ['v=DMARC1; P=Reject', 80], // DM-8
    ['v=DMARC1; p=none; rua=reject', 15], // DM-1: the URI-keyed table is gone
  ])('%s → %d', (record, expected) => {
    expect(grade('dmarc', setDmarc(record))).toBe(expected);
  });

  it.each([[0, -2], [1, 1], [70, 1], [71, 3], [89, 3], [90, 4], [99, 4], [100, 5]])('pct %d earns %d (monotonic, DM-3)', (pct, points) => {
    expect(pctPoints(pct)).toBe(points);
    expect(grade('dmarc', setDmarc(`v=DMARC1; p=reject; pct=${pct}`))).toBe(75 + points);
  });

  it('parses a record split across strings (spec §26)', () => {
    const r = graded((s) => void (s.dmarc = outcome(`_dmarc.${DOMAIN}`, 'TXT', [txt('v=DMARC1; p=rej', 'ect')])));
    expect(r.facts.dmarcPolicyId).toBe(3);
  });

  it('marks several records invalid in the facts (DM-10)', () => {
    const r = graded((s) => void (s.dmarc = outcome(`_dmarc.${DOMAIN}`, 'TXT', [txt('v=DMARC1; p=reject'), txt('v=DMARC1; p=none')])));
    expect(r.facts).toMatchObject({ dmarcPolicyId: 5, dmarcSubPolicyId: 5 });
    expect(r.grades.dmarc).toEqual({ grade: 0, remarks: [{ type: 'dmarc', value: 6 }] });
  });

  it('is undetermined when the lookup failed, 0 when there is no record', () => {
    expect(grade('dmarc', (s) => void (s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'TIMEOUT')))).toBeNull();
    expect(grade('dmarc', (s) => void (s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'NXDOMAIN')))).toBe(0);
  });
});

describe('CAA grade', () => {
  const setCaa = (...r: Array<[number, string, string]>) => (s: SiteScan) => void (s.caa = outcome(DOMAIN, 'CAA', r.map(([f, t, v]) => caa(f, t, v))));
  it.each([
    [[[0, 'issue', 'letsencrypt.org']], 85],
    [[[0, 'issue', 'letsencrypt.org'], [0, 'issuewild', ';']], 95],
    [[[0, 'issue', 'letsencrypt.org'], [0, 'issuewild', ';'], [0, 'iodef', 'mailto:s@example.com']], 100],
    [[[0, 'issue', '']], 85], // CAA-3: empty issuer = no CA may issue, valid
    [[[0, 'Issue', 'x.com']], 85], // CAA-4
    [[[0, 'issue', 'letsencrypt.org'], [0, 'iodef', 'httpfoo']], 83], // CAA-8: invalid iodef earns nothing
    [[[0, 'issue', 'not valid!']], 0], // −2 floored at 0 (CAA-2)
  ] as Array<[Array<[number, string, string]>, number]>)('%j → %d', (records, expected) => {
    expect(grade('caa', setCaa(...records))).toBe(expected);
  });

  it('counts issuewild records for the wildcard statistic (CAA-1)', () => {
    const r = graded(setCaa([0, 'issue', 'a.com'], [0, 'issue', 'b.com'], [0, 'iodef', 'mailto:s@example.com']));
    expect(r.facts).toMatchObject({ hasCaa: true, hasCaaReporting: true, caaIssueCount: 2, caaWildcardCount: 0 });
  });
});

describe('NS grade', () => {
  const withServers = (...servers: ReturnType<typeof nameServer>[]) => (s: SiteScan) => void (s.nameServers = servers);
  const ok = (i: number, set: string[] = NS_HOSTS.map((h) => h.host)) =>
    nameServer(NS_HOSTS[i]!.host, [NS_HOSTS[i]!.address], () => ({
      ns: outcome(DOMAIN, 'NS', set.map(ns), { flags: { aa: true, tc: false, ad: false, ra: false } }),
    }));
  it('is 100 for consistent public servers', () => expect(grade('ns', () => undefined)).toBe(100));
  it('takes 20 for a single server', () => {
    expect(grade('ns', (s) => { s.ns = outcome(DOMAIN, 'NS', [ns('ns1.example.net')]); s.nameServers = [ok(0, ['ns1.example.net'])]; })).toBe(80);
  });
  it('reports one mismatch per odd server, not per ordered pair (NS-3)', () => {
    const odd = nameServer('ns3.example.org', ['185.10.0.3'], () => ({
      ns: outcome(DOMAIN, 'NS', [ns('ns9.example.org')], { flags: { aa: true, tc: false, ad: false, ra: false } }),
    }));
    const all = [...NS_HOSTS.map((h) => h.host), 'ns3.example.org'];
    const r = graded((s) => { s.ns = outcome(DOMAIN, 'NS', all.map(ns)); withServers(ok(0, all), ok(1, all), odd)(s); });
    expect(r.grades.ns.grade).toBe(90);
    expect(r.names('ns')).toEqual(['NAME_SERVER_MISMATCH']);
  });
  it('floors at 0', () => {
    const bad = (h: string) => ({ ...nameServer(h, []), a: status(h, 'A', 'SERVFAIL') });
    const r = graded((s) => { s.ns = outcome(DOMAIN, 'NS', [ns('ns1.example.net')]); withServers(bad('ns1.example.net'))(s); });
    expect(r.names('ns')).toEqual(['ONLY_ONE_NS_RECORD', 'NAMESERVER_ADDRESS_LOOKUP_FAILED', 'NO_NAME_SERVERS_RETURNED']);
    expect(r.grades.ns.grade).toBe(45);
    const worse = graded((s) => {
      s.ns = outcome(DOMAIN, 'NS', [ns('10.0.0.1'), ns(''), ns('')]);
      s.nameServers = [];
    });
    expect(worse.grades.ns.grade).toBe(30);
  });
  it('treats a server without any answer as "did not answer", never a crash (NS-2)', () => {
    const silent = { ...ok(1), direct: [] };
    expect(graded(withServers(ok(0), silent)).names('ns')).toEqual(['NAMESERVER_NOT_RESPONDING']);
  });
});

describe('SOA grade', () => {
  it.each([
    [{}, 100],
    [{ refresh: 1000, retry: 600 }, 95],
    [{ refresh: 900, retry: 900, expire: 1800, minimum: 60 }, 75], // Google's timers: five remarks
    [{ rname: 'hostmaster', mname: 'ns_1' }, 90],
  ])('%j → %d', (fields, expected) => {
    expect(grade('soa', (s) => void (s.soa = outcome(DOMAIN, 'SOA', [soa(fields)])))).toBe(expected);
  });
  it('accepts digit-first labels and escaped dots in RNAME (SOA-2, SOA-3)', () => {
    expect(grade('soa', (s) => void (s.soa = textOnly(DOMAIN, 'SOA', ['ns1.360safe.com. john\\.doe.example.com. 2021033101 7200 3600 1209600 3600'])))).toBe(100);
  });
  it('gives 0 with only TOO_MANY_SOA for two records (SOA-1)', () => {
    const r = graded((s) => void (s.soa = outcome(DOMAIN, 'SOA', [soa(), soa()])));
    expect(r.grades.soa).toEqual({ grade: 0, remarks: [{ type: 'soa', value: 1 }] });
  });
});

describe('MX grade', () => {
  const setMx = (...r: Array<[number, string]>) => (s: SiteScan) => void (s.mx = outcome(DOMAIN, 'MX', r.map(([p, e]) => mx(p, e))));
  it('is 100 × valid ÷ total, rounded (MX-5)', () => {
    expect(grade('mx', setMx([10, 'mx1.example.com'], [20, 'mx2.example.com'], [30, '185.1.1.1']))).toBe(67);
    expect(grade('mx', setMx([10, 'mx1.example.com'], [20, '185.1.1.1']))).toBe(50);
    expect(grade('mx', setMx([10, '185.1.1.1']))).toBe(0);
  });
  it('takes 5 per warning', () => {
    expect(grade('mx', setMx([10, 'mx1.example.com'], [20, 'mx1.example.com']))).toBe(95);
  });
  it('accepts a null MX and digit-first exchanges (MX-1, MX-2)', () => {
    const r = graded(setMx([0, '']));
    expect(r.grades.mx).toEqual({ grade: 100, remarks: [{ type: 'mx', value: 11 }] });
    expect(r.facts).toMatchObject({ hasMx: true, hasNullMx: true, emailProviderId: 27 });
    expect(grade('mx', setMx([10, 'mx1.163.com']))).toBe(100);
  });
  it('does not grade a domain that neither receives nor sends mail (MX-6)', () => {
    const r = graded((s) => { noMx(s); setTxt('v=spf1 -all')(s); });
    expect(r.grades.mx.grade).toBeNull();
    expect(r.names('mx')).toEqual(['NO_MAIL_SERVICE']);
    expect(r.facts.emailProviderId).toBe(27);
  });
  it('does not count names from DNS as relative (MX probe: no trailing dot)', () => {
    expect(grade('mx', (s) => void (s.mx = textOnly(DOMAIN, 'MX', ['10 mx1.example.com', '20 mx2.example.com', '30 mx3.example.com.'])))).toBe(100);
  });
});

describe('BIMI grade', () => {
  const setBimi = (record: string) => (s: SiteScan) => void (s.bimi = outcome(`default._bimi.${DOMAIN}`, 'TXT', [txt(record)]));
  it('is all or nothing, with DMARC as a prerequisite', () => {
    expect(grade('bimi', setBimi('v=BIMI1; l=https://x.com/l.svg;'))).toBe(100);
    expect(grade('bimi', (s) => { setBimi('v=BIMI1; l=https://x.com/l.svg;')(s); setDmarc('v=DMARC1; p=reject; pct=10')(s); })).toBe(0);
    expect(grade('bimi', setBimi('v=BIMI1; l=; a=;'))).toBe(0);
    expect(grade('bimi', (s) => { setBimi('v=BIMI1; l=https://x.com/l.svg;')(s); s.dmarc = status(`_dmarc.${DOMAIN}`, 'TXT', 'TIMEOUT'); })).toBeNull();
  });
  it('sets hasBimi only for a grade of 100', () => {
    expect(graded(setBimi('v=BIMI1; l=https://x.com/l.svg; a=https://x.com/v.pem')).facts.hasBimi).toBe(true);
    expect(graded(setBimi('v=BIMI1; l=; a=;')).facts.hasBimi).toBe(false);
  });
});

describe('DNSSEC', () => {
  // RFC 4034 §5.4: the DNSKEY of dskey.example.com and its SHA-1 DS.
  const rfcKey: DnskeyData = {
    flags: 256,
    protocol: 3,
    algorithm: 5,
    publicKey:
      'AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==',
  };
  it('computes the key tag and DS digest of the RFC 4034 example', () => {
    const rdata = dnskeyRdata(rfcKey);
    expect(keyTag(rdata, 5)).toBe(60485);
    expect(dsDigest('dskey.example.com', rdata, 1)).toBe('2bb183af5f22588179a53b0a98631fad1a292118');
    expect(canonicalName('DSKEY.example.com.').toString('hex')).toBe('05' + Buffer.from('dskey').toString('hex') + '07' + Buffer.from('example').toString('hex') + '03' + Buffer.from('com').toString('hex') + '00');
  });
  // RSA keys in RFC 3110 form (exponent 65537, 2048-bit modulus); others 64 bytes.
  const key = (algorithm: number): DnskeyData => ({
    flags: 257,
    protocol: 3,
    algorithm,
    publicKey: ([1, 5, 7, 8, 10].includes(algorithm) ? Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(256, 0xc3)]) : Buffer.alloc(64, 3)).toString('base64'),
  });
  const signed = (k: DnskeyData, digestType = 2) => (s: SiteScan) => {
    s.dnskey = outcome(DOMAIN, 'DNSKEY', [dnskey(k)]);
    s.ds = outcome(DOMAIN, 'DS', [dsOf(k, digestType)]);
  };
  it.each([
    ['13/2 (recommended)', key(13), 2, 100],
    ['8/4', key(8), 4, 100],
    ['5/2 (not recommended ×2)', key(5), 2, 70],
    ['13/1 (SHA-1 DS: must not)', key(13), 1, 60],
    ['3/2 (DSA: must not ×2)', key(3), 2, 20],
    ['1/1 (three must-nots)', key(1), 1, 0],
  ] as Array<[string, DnskeyData, number, number]>)('%s → %s', (_, k, digestType, expected) => {
    expect(grade('dnssec', signed(k, digestType))).toBe(expected);
  });
  it('is 0 when unsigned or bogus, null when undetermined', () => {
    expect(grade('dnssec', (s) => void (s.ds = status(DOMAIN, 'DS', 'NXDOMAIN')))).toBe(0);
    expect(grade('dnssec', (s) => void (s.dnskey = status(DOMAIN, 'DNSKEY', 'NODATA')))).toBe(0);
    expect(grade('dnssec', (s) => void (s.ds = outcome(DOMAIN, 'DS', [dsOf({ ...KSK, publicKey: Buffer.alloc(64, 1).toString('base64') })])))).toBe(0);
    expect(grade('dnssec', (s) => void (s.dnskey = status(DOMAIN, 'DNSKEY', 'TIMEOUT')))).toBeNull();
  });
  it('records every algorithm and digest type (SEC-1)', () => {
    const r = graded((s) => {
      s.ds = outcome(DOMAIN, 'DS', [dsOf(KSK), dsOf(KSK, 4)]);
    });
    expect(r.facts).toMatchObject({ hasDnssec: true, dnssecDsAlgorithm: 13, dnssecDigestType: 2, dnssecDigestTypes: [2, 4], dnssecDsMatchesDnskey: true });
  });
});

describe('facts', () => {
  it('detects a Microsoft domain controller only without a wildcard (DNS-7)', () => {
    const withMsdcs = (control: 'NXDOMAIN' | 'NOERROR' | 'TIMEOUT' | null) => (s: SiteScan) => {
      s.msdcsSoa = outcome(`_msdcs.${DOMAIN}`, 'SOA', [soa()]);
      if (control === 'NOERROR') s.msdcsControlSoa = outcome(`x.${DOMAIN}`, 'SOA', [soa()]);
      else if (control) s.msdcsControlSoa = status(`x.${DOMAIN}`, 'SOA', control);
    };
    expect(graded(() => undefined).facts.hasMsdc).toBe(false);
    expect(graded(withMsdcs('NXDOMAIN')).facts.hasMsdc).toBe(true);
    expect(graded(withMsdcs('NOERROR')).facts.hasMsdc).toBe(false);
    expect(graded(withMsdcs('TIMEOUT')).facts.hasMsdc).toBeNull();
  });
  it('lists the lookups that failed', () => {
    expect(graded((s) => { s.caa = status(DOMAIN, 'CAA', 'TIMEOUT'); s.ds = status(DOMAIN, 'DS', 'REFUSED'); }).facts.failedLookups).toEqual(['caa', 'ds']);
  });
});
