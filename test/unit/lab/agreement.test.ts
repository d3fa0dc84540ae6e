// Scans every site of a small lab world with the DNS engine, processes and grades the scans with
// the checks library, and compares all of it with the lab's expectations, site for site.
import { startLabServer, LabServer } from '../../../src/lab/server';
import { expectationsFor } from '../../../src/lab/expectations';
import { createScanner, Scanner } from '../../../src/dns/scanner';
import { findRemark, gradeSite, processSite, GRADED_AREAS } from '../../../src/checks';
import type { SiteScan } from '../../../src/dns/types';

// Disagreements that were investigated, where the lab states the spec and the other side departs
// from it (reported to its owner). Keyed `<scenario>/<what>`; the test fails if one disappears,
// so a fix on the other side is noticed and the entry removed.
const KNOWN_DISAGREEMENTS: Record<string, string> = {};

const SCAN_KEYS = ['mx', 'txt', 'caa', 'ds', 'dnskey', 'ns', 'soa', 'dmarc', 'bimi', 'msdcsSoa'] as const;

describe('lab agreement: engine scan + checks grading vs the expectations file', () => {
  const SITES = 400; // every scenario once, plus the range that cycles through all providers
  let lab: LabServer;
  let scanner: Scanner;
  const scans: SiteScan[] = [];

  beforeAll(async () => {
    lab = await startLabServer({ sites: SITES, seed: 1 });
    scanner = createScanner({
      resolvers: [lab.resolver],
      nameServerPort: lab.nameServerPort,
      timeoutMs: 1000, // the slow-answers scenario delays by 300 ms
      attempts: 2,
      maxInFlight: 256,
      perResolverQps: 0,
      perNameServerQps: 0,
      cacheEntries: 10_000,
    });
    await scanner.scanMany(Array.from({ length: SITES }, (_, i) => lab.world.domain(i)), 64, (scan) => {
      scans.push(scan);
    });
  }, 120_000);

  afterAll(async () => {
    await scanner?.close();
    await lab?.stop();
  });

  it('scans every site', () => {
    expect(scans).toHaveLength(SITES);
  });

  it('agrees site for site on query outcomes, derived facts, grades and remarks', () => {
    const disagreements = new Map<string, string>();
    const note = (key: string, detail: string) => {
      if (!disagreements.has(key)) disagreements.set(key, detail);
    };
    for (const scan of scans) {
      const index = lab.world.indexOf(scan.domain) as number;
      const expected = expectationsFor(lab.world, index);
      const where = `${expected.scenario}`;
      for (const key of SCAN_KEYS) {
        if (scan[key].status !== expected.scan[key].status) note(`${where}/scan.${key}`, `${scan.domain}: expected ${expected.scan[key].status}, scanned ${scan[key].status}`);
      }
      if (expected.scan.txt.transport === 'tcp' && scan.txt.transport !== 'tcp') note(`${where}/scan.txt.transport`, `${scan.domain}: expected TCP after TC`);
      for (const ns of expected.scan.nameServers) {
        const got = scan.nameServers.find((n) => n.host === ns.host);
        for (const direct of ns.direct) {
          const d = got?.direct.find((x) => x.address === direct.address);
          if (d?.ns.status !== direct.ns.status) note(`${where}/scan.direct.ns`, `${scan.domain} @${direct.address}: expected ${direct.ns.status}, scanned ${d?.ns.status}`);
          if (direct.ns.status === 'NOERROR' && d?.ns.flags?.aa !== direct.ns.aa) note(`${where}/scan.direct.aa`, `${scan.domain} @${direct.address}`);
        }
      }
      const facts = processSite(scan);
      for (const [name, value] of Object.entries(expected.facts)) {
        const got = (facts as unknown as Record<string, unknown>)[name];
        if (JSON.stringify(got) !== JSON.stringify(value)) note(`${where}/fact.${name}`, `${scan.domain}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`);
      }
      const grades = gradeSite(scan, facts);
      for (const area of GRADED_AREAS) {
        const got = grades[area];
        const gotNames = got.remarks.map((r) => findRemark(r)?.name ?? `unknown value ${r.value}`).sort();
        const want = expected.grades[area];
        if (got.grade !== want.grade || gotNames.join() !== [...want.remarks].sort().join()) {
          note(`${where}/${area}`, `${scan.domain}: expected ${want.grade} [${[...want.remarks].sort()}], graded ${got.grade} [${gotNames}]`);
        }
      }
    }
    const unexpected = [...disagreements].filter(([key]) => !(key in KNOWN_DISAGREEMENTS)).map(([key, detail]) => `${key}: ${detail}`);
    expect(unexpected).toEqual([]);
    expect(Object.keys(KNOWN_DISAGREEMENTS).filter((key) => !disagreements.has(key))).toEqual([]);
  });
});
