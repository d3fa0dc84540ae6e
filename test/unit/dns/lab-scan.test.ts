// Scans the whole lab world (src/lab) with the engine and compares every scan-stage outcome with
// the lab's expectations. The first sites of the world cover every scenario (faults included).
import { startLabServer, expectationsFor, type LabServer } from '../../../src/lab';
import { createScanner, type Scanner } from '../../../src/dns/scanner';
import type { QueryOutcome, SiteScan } from '../../../src/dns/types';
import type { ExpectedQuery, SiteExpectations } from '../../../src/lab';

const SITES = 400; // covers every scenario (the first 44) and every hosting choice (the first 400)

let lab: LabServer;
let scanner: Scanner;
const scans = new Map<string, SiteScan>();

beforeAll(async () => {
  lab = await startLabServer({ sites: SITES, seed: 1 });
  scanner = createScanner({
    resolvers: [lab.resolver],
    nameServerPort: lab.nameServerPort,
    timeoutMs: 1000, // above the lab's slowest answers (300 ms)
    attempts: 2,
    maxInFlight: 512,
    perResolverQps: 0,
    perNameServerQps: 0,
    cacheEntries: 10_000,
  });
  const domains = Array.from({ length: lab.world.size }, (_, i) => lab.world.domain(i));
  await scanner.scanMany(domains, 250, (scan) => void scans.set(scan.domain, scan));
}, 60_000);

afterAll(async () => {
  await scanner?.close();
  await lab?.stop();
});

function actual(outcome: QueryOutcome, expected: ExpectedQuery): ExpectedQuery {
  const seen: ExpectedQuery = { status: outcome.status };
  if (expected.transport !== undefined) seen.transport = outcome.transport as 'tcp';
  if (expected.aa !== undefined) seen.aa = outcome.flags?.aa ?? false;
  return seen;
}

/** The scan reduced to the shape of the lab's expectations. */
function observed(scan: SiteScan, expected: SiteExpectations): SiteExpectations['scan'] {
  const e = expected.scan;
  const byHost = new Map(scan.nameServers.map((ns) => [ns.host, ns]));
  const mxByHost = new Map(scan.mxHosts.map((mx) => [mx.host, mx]));
  return {
    mx: actual(scan.mx, e.mx),
    txt: actual(scan.txt, e.txt),
    caa: actual(scan.caa, e.caa),
    ds: actual(scan.ds, e.ds),
    dnskey: actual(scan.dnskey, e.dnskey),
    ns: actual(scan.ns, e.ns),
    soa: actual(scan.soa, e.soa),
    dmarc: actual(scan.dmarc, e.dmarc),
    bimi: actual(scan.bimi, e.bimi),
    msdcsSoa: actual(scan.msdcsSoa, e.msdcsSoa),
    nameServers: e.nameServers.map((want) => {
      const got = byHost.get(want.host);
      // An NS record whose target is the root names no host: the engine records SKIPPED rather than
      // asking for the root's address (the lab expects the A of '' to be NXDOMAIN).
      if (want.host === '' && got?.a.status === 'SKIPPED') return want;
      if (!got) return { host: `missing ${want.host}`, a: { status: 'SKIPPED' }, addresses: [], direct: [] };
      const v4 = got.a.data.flatMap((d) => (d.type === 'A' ? [d.address] : []));
      return {
        host: got.host,
        a: actual(got.a, want.a),
        addresses: v4,
        direct: want.direct.map((wantDirect) => {
          const direct = got.direct.find((d) => d.address === wantDirect.address);
          if (!direct) return { address: `missing ${wantDirect.address}`, ns: { status: 'SKIPPED' }, soa: { status: 'SKIPPED' } };
          return { address: direct.address, ns: actual(direct.ns, wantDirect.ns), soa: actual(direct.soa, wantDirect.soa) };
        }),
      };
    }),
    mxHosts: e.mxHosts.map((want) => {
      const got = mxByHost.get(want.host);
      if (!got) return { host: `missing ${want.host}`, a: { status: 'SKIPPED' }, aaaa: { status: 'SKIPPED' } };
      return { host: got.host, a: actual(got.a, want.a), aaaa: actual(got.aaaa, want.aaaa) };
    }),
  };
}

test('every lab site was scanned', () => {
  expect(scans.size).toBe(SITES);
});

test('every scan-stage outcome matches the lab expectations', () => {
  const mismatches: string[] = [];
  for (let i = 0; i < SITES; i++) {
    const expected = expectationsFor(lab.world, i);
    const scan = scans.get(expected.domain);
    if (!scan) {
      mismatches.push(`${expected.domain}: not scanned`);
      continue;
    }
    const seen = observed(scan, expected);
    if (JSON.stringify(seen) !== JSON.stringify(expected.scan)) {
      mismatches.push(`${expected.domain} (${expected.scenario}):\n  want ${JSON.stringify(expected.scan)}\n  got  ${JSON.stringify(seen)}`);
    }
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
});

test('the lab covers, and the scan records, every status a lookup can end in', () => {
  const seen = new Set<string>();
  for (const scan of scans.values()) {
    for (const outcome of [scan.mx, scan.txt, scan.caa, scan.ds, scan.dnskey, scan.ns, scan.soa, scan.dmarc, scan.bimi, scan.msdcsSoa]) seen.add(outcome.status);
    for (const ns of scan.nameServers) for (const d of ns.direct) seen.add(d.ns.status);
  }
  for (const status of ['NOERROR', 'NODATA', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'TIMEOUT']) expect(seen).toContain(status);
  const transports = [...scans.values()].map((s) => s.txt.transport);
  expect(transports).toContain('tcp');
});
