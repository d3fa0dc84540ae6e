// Parsers never throw: random strings in every record, random record sets and random SiteScan
// shapes become remarks, and every grade is an integer 0..100 or null.
import fc from 'fast-check';
import { gradeSite, processSite } from '../../../src/checks';
import { findRemark } from '../../../src/checks/remarks';
import { GRADED_AREAS } from '../../../src/checks/types';
import type { QueryOutcome, QueryStatus, RecordData, RRType, SiteScan } from '../../../src/dns/types';
import { evaluateSpf } from '../../../src/checks/spf';
import { healthySite } from './fixtures';

const STATUSES: QueryStatus[] = ['NOERROR', 'NODATA', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP', 'RCODE', 'TIMEOUT', 'NETWORK_ERROR', 'MALFORMED', 'SKIPPED'];
const TYPES: RRType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA', 'DS', 'DNSKEY', 'NS', 'SOA'];

// Strings biased towards the grammar the parsers read, plus arbitrary text.
const token = fc.constantFrom(
  'v=spf1', 'V=SPF1', 'v=DMARC1', 'v=BIMI1', 'include:', 'a', 'mx', 'ptr', 'exists:', 'ip4:', 'ip6:', 'redirect=', 'exp=',
  '-all', '~all', '?all', '+all', 'all', '%{i}', '%{z}', '%', '/24', '//64', ':', ';', '=', ' ', '  ', '"', '\\', '.',
  'p=reject', 'sp=none', 'pct=', 'rua=mailto:', 'fo=1:d', 'l=https://x.com/l.svg', 'a=', 'issue', 'iodef', '0', '128', '255',
  'example.com', '10.0.0.1', '2001:db8::1', '::ffff:1.2.3.4', '300.1.1.1', '\u0000', '\u00e9', '\ud800',
);
const recordText = fc.oneof(fc.string({ maxLength: 80 }), fc.array(token, { maxLength: 12 }).map((t) => t.join('')), fc.string({ unit: 'binary', maxLength: 40 }));
const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.string(), { maxLength: 3 }));

const recordData: fc.Arbitrary<RecordData> = fc.oneof(
  fc.record({ type: fc.constantFrom('A' as const, 'AAAA' as const), address: fc.oneof(fc.ipV4(), fc.ipV6(), recordText) }),
  fc.record({ type: fc.constantFrom('CNAME' as const, 'NS' as const), target: recordText }),
  fc.record({ type: fc.constant('MX' as const), preference: fc.integer({ min: -5, max: 70000 }), exchange: recordText }),
  fc.record({ type: fc.constant('TXT' as const), strings: fc.array(recordText, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('CAA' as const), flags: fc.integer({ min: -1, max: 300 }), tag: recordText, value: recordText }),
  fc.record({
    type: fc.constant('SOA' as const), mname: recordText, rname: recordText, serial: fc.integer(), refresh: fc.integer(), retry: fc.integer(), expire: fc.integer(), minimum: fc.integer(),
  }),
  fc.record({ type: fc.constant('DS' as const), keyTag: fc.integer({ min: -1, max: 70000 }), algorithm: fc.integer({ min: 0, max: 300 }), digestType: fc.integer({ min: 0, max: 9 }), digest: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 96 }), recordText) }),
  fc.record({ type: fc.constant('DNSKEY' as const), flags: fc.integer({ min: 0, max: 70000 }), protocol: fc.integer({ min: 0, max: 5 }), algorithm: fc.integer({ min: 0, max: 300 }), publicKey: fc.oneof(fc.base64String({ maxLength: 120 }), recordText) }),
);

const outcomeArb = (name: fc.Arbitrary<string>, type: fc.Arbitrary<RRType>): fc.Arbitrary<QueryOutcome> =>
  fc.record(
    {
      name,
      type,
      status: fc.constantFrom(...STATUSES),
      records: fc.array(recordText, { maxLength: 4 }),
      data: fc.array(recordData, { maxLength: 4 }),
      cnames: fc.array(recordText, { maxLength: 2 }),
      flags: fc.record({ aa: fc.boolean(), tc: fc.boolean(), ad: fc.boolean(), ra: fc.boolean() }),
    },
    { requiredKeys: ['name', 'type', 'status', 'records', 'data'] },
  );
const anyOutcome = outcomeArb(fc.oneof(fc.constant('example.com'), recordText), fc.constantFrom(...TYPES));
const hostScan = fc.record({ host: recordText, a: anyOutcome, aaaa: anyOutcome });

const siteScan: fc.Arbitrary<SiteScan> = fc.record({
  domain: fc.oneof(fc.constant('example.com'), recordText),
  startedAt: fc.constant('2021-03-31T08:00:00Z'),
  endedAt: fc.constant('2021-03-31T08:00:01Z'),
  mx: anyOutcome, txt: anyOutcome, caa: anyOutcome, ds: anyOutcome, dnskey: anyOutcome, ns: anyOutcome, soa: anyOutcome,
  dmarc: anyOutcome, bimi: anyOutcome, msdcsSoa: anyOutcome,
  nameServers: fc.array(fc.record({ host: recordText, a: anyOutcome, aaaa: anyOutcome, direct: fc.array(fc.record({ address: recordText, ns: anyOutcome, soa: anyOutcome }), { maxLength: 2 }) }), { maxLength: 3 }),
  mxHosts: fc.array(hostScan, { maxLength: 3 }),
  spfLookups: fc.array(anyOutcome, { maxLength: 6 }),
});

function checkGrades(scan: SiteScan): void {
  const facts = processSite(scan);
  const grades = gradeSite(scan, facts);
  for (const area of GRADED_AREAS) {
    const { grade, remarks } = grades[area];
    if (grade !== null) {
      expect(Number.isInteger(grade)).toBe(true);
      expect(grade).toBeGreaterThanOrEqual(0);
      expect(grade).toBeLessThanOrEqual(100);
    }
    for (const ref of remarks) {
      expect(ref.type).toBe(area);
      expect(findRemark(ref)).toBeDefined();
    }
  }
  expect(typeof facts.spfPolicyId).toBe('number');
  expect(typeof facts.dmarcPolicyId).toBe('number');
}

describe('never throws', () => {
  it('on random SiteScan shapes', () => {
    fc.assert(fc.property(siteScan, (scan) => checkGrades(scan)), { numRuns: 250 });
  });

  it('on random strings in every record of a healthy site', () => {
    const fields = ['mx', 'txt', 'caa', 'ds', 'dnskey', 'ns', 'soa', 'dmarc', 'bimi'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.array(recordText, { minLength: 1, maxLength: 4 }), fc.boolean(), (field, texts, keepData) => {
        const scan = healthySite();
        const base = scan[field];
        scan[field] = { ...base, status: 'NOERROR', records: texts, data: keepData ? base.data : [] };
        checkGrades(scan);
      }),
      { numRuns: 250 },
    );
  });

  it('on random TXT strings as SPF, DMARC and BIMI records', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), fc.array(recordText, { maxLength: 3 }), (tokens, more) => {
        const record = ['v=spf1', ...tokens].join(' ');
        expect(() => evaluateSpf('example.com', record, [])).not.toThrow();
        const scan = healthySite();
        scan.txt = { ...scan.txt, data: [{ type: 'TXT', strings: [record, ...more] }] };
        scan.dmarc = { ...scan.dmarc, data: [{ type: 'TXT', strings: ['v=DMARC1;', ...tokens] }] };
        scan.bimi = { ...scan.dmarc, status: 'NOERROR', records: ['x'], data: [{ type: 'TXT', strings: ['v=BIMI1;', ...tokens] }] };
        checkGrades(scan);
      }),
      { numRuns: 250 },
    );
  });

  it('on malformed values where objects are expected', () => {
    fc.assert(
      fc.property(fc.constantFrom('mx', 'txt', 'nameServers', 'mxHosts', 'spfLookups', 'ds', 'msdcsControlSoa'), anything, (field, value) => {
        const scan = healthySite() as unknown as Record<string, unknown>;
        scan[field] = value;
        checkGrades(scan as unknown as SiteScan);
      }),
      { numRuns: 150 },
    );
  });
});

describe('determinism', () => {
  it('grades the same scan the same way, whatever the call order', () => {
    fc.assert(
      fc.property(siteScan, (scan) => {
        const first = gradeSite(scan, processSite(scan));
        const copy = JSON.parse(JSON.stringify(scan)) as SiteScan;
        const second = gradeSite(copy, processSite(copy));
        expect(second).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });

  it('names the input when it is not a scan', () => {
    expect(() => processSite(null as unknown as SiteScan)).toThrow(/expected a SiteScan object, got null/);
    expect(() => gradeSite({ ...healthySite(), domain: 42 } as unknown as SiteScan)).toThrow(/SiteScan.domain must be a string, got 42/);
  });
});
