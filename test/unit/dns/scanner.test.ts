import type * as dnsPacket from 'dns-packet';
import { createScanner, InvalidDomainError, type Scanner } from '../../../src/dns/scanner';
import type { SiteScan } from '../../../src/dns/types';
import { startResponder, type ReceivedQuery, type Responder, type Send } from './support/responder';

type Records = Partial<Record<string, unknown[]>>;
const ZONE: Record<string, Records> = {
  'example.com': {
    MX: [{ preference: 10, exchange: 'mx1.mail.example' }],
    TXT: [['v=spf1 include:_spf.mail.example -all'], ['google-site-verification=abc']],
    CAA: [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }],
    DS: [{ keyTag: 2371, algorithm: 13, digestType: 2, digest: Buffer.from('aa'.repeat(32), 'hex') }],
    DNSKEY: [{ flags: 257, algorithm: 13, key: Buffer.alloc(64, 1) }],
    NS: ['ns1.dns.example', 'ns2.dns.example'],
    SOA: [{ mname: 'ns1.dns.example', rname: 'hostmaster.example.com', serial: 7, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 }],
  },
  '_dmarc.example.com': { TXT: [['v=DMARC1; p=reject']] },
  '_msdcs.example.com': {
    SOA: [{ mname: 'dc.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 }],
  },
  'example.org': { NS: ['ns1.dns.example', 'ns2.dns.example'], TXT: [['v=spf1 a mx -all']] },
  'ns1.dns.example': { A: ['127.0.0.2'] },
  'ns2.dns.example': { A: ['127.0.0.3'] },
  'mx1.mail.example': { A: ['192.0.2.25'] },
  '_spf.mail.example': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
};

function recursiveAnswer(query: ReceivedQuery): Send[] {
  const owner = ZONE[query.name.toLowerCase()];
  if (!owner) return [{ answer: { rcode: 3 } }];
  const data = owner[query.type] ?? [];
  return [{ answer: { answers: data.map((d) => ({ type: query.type, name: query.name, ttl: 300, data: d }) as dnsPacket.Answer) } }];
}

let resolver: Responder;
let ns1: Responder;
let ns2: Responder;
let scanner: Scanner;

beforeAll(async () => {
  resolver = await startResponder(recursiveAnswer);
  // The name servers must share one port (DNSTATS_NS_PORT); bind the second on the first's port.
  ns1 = await startResponder(() => [], '127.0.0.2');
  ns2 = await startResponder(() => [], '127.0.0.3', ns1.port);
  ns1.setHandler((q) => {
    if (q.recursionDesired) return [{ answer: { rcode: 5 } }];
    const data = q.type === 'NS' ? ['ns1.dns.example', 'ns2.dns.example'] : q.type === 'SOA' ? ZONE['example.com']!.SOA! : [];
    return [{ answer: { aa: true, ra: false, answers: data.map((d) => ({ type: q.type, name: q.name, ttl: 300, data: d }) as dnsPacket.Answer) } }];
  });
  ns2.setHandler(() => [{ answer: { rcode: 5, ra: false } }]); // lame: refuses the zone
});
afterAll(async () => {
  await Promise.all([resolver.stop(), ns1.stop(), ns2.stop()]);
});
beforeEach(() => {
  for (const responder of [resolver, ns1, ns2]) responder.received.length = 0;
  scanner = createScanner({
    resolvers: [resolver.server],
    nameServerPort: ns1.port,
    timeoutMs: 300,
    attempts: 2,
    maxInFlight: 64,
    perResolverQps: 0,
    perNameServerQps: 0,
    cacheEntries: 1000,
  });
});
afterEach(async () => {
  await scanner.close();
});

describe('scanSite', () => {
  let scan: SiteScan;
  beforeEach(async () => {
    scan = await scanner.scanSite('Example.COM.');
  });

  test('fetches every query the spec lists for a site, with its outcome', () => {
    expect(scan.domain).toBe('example.com');
    expect(scan.mx).toMatchObject({ name: 'example.com', type: 'MX', status: 'NOERROR', records: ['10 mx1.mail.example.'] });
    expect(scan.txt.records).toEqual(['"v=spf1 include:_spf.mail.example -all"', '"google-site-verification=abc"']);
    expect(scan.caa.records).toEqual(['0 issue "letsencrypt.org"']);
    expect(scan.ds.records).toEqual([`2371 13 2 ${'aa'.repeat(32)}`]);
    expect(scan.dnskey.status).toBe('NOERROR');
    expect(scan.ns.records).toEqual(['ns1.dns.example.', 'ns2.dns.example.']);
    expect(scan.soa.data[0]).toMatchObject({ type: 'SOA', serial: 7 });
    expect(scan.dmarc).toMatchObject({ name: '_dmarc.example.com', records: ['"v=DMARC1; p=reject"'] });
    expect(scan.bimi).toMatchObject({ name: 'default._bimi.example.com', status: 'NXDOMAIN' });
    expect(scan.msdcsSoa).toMatchObject({ name: '_msdcs.example.com', status: 'NOERROR' });
    expect(scan.msdcsControlSoa).toMatchObject({ type: 'SOA', status: 'NXDOMAIN' });
    expect(scan.msdcsControlSoa!.name).toMatch(/^[a-z0-9]{15}\.example\.com$/);
    expect(Date.parse(scan.endedAt)).toBeGreaterThanOrEqual(Date.parse(scan.startedAt));
  });

  test('DS and DNSKEY are asked with the DO bit', () => {
    const dnssec = resolver.received.filter((q) => q.type === 'DS' || q.type === 'DNSKEY');
    expect(dnssec).toHaveLength(2);
    expect(dnssec.every((q) => q.dnssecOk)).toBe(true);
    expect(resolver.received.filter((q) => q.type === 'MX').every((q) => !q.dnssecOk)).toBe(true);
  });

  test('asks each name-server address directly, recursion off, for NS and SOA', () => {
    expect(scan.nameServers.map((ns) => [ns.host, ns.a.records, ns.aaaa.status])).toEqual([
      ['ns1.dns.example', ['127.0.0.2'], 'NODATA'],
      ['ns2.dns.example', ['127.0.0.3'], 'NODATA'],
    ]);
    const [first, second] = scan.nameServers;
    expect(first!.direct).toEqual([
      {
        address: '127.0.0.2',
        ns: expect.objectContaining({ status: 'NOERROR', records: ['ns1.dns.example.', 'ns2.dns.example.'], flags: expect.objectContaining({ aa: true }) }),
        soa: expect.objectContaining({ status: 'NOERROR', server: `127.0.0.2:${ns1.port}` }),
      },
    ]);
    expect(second!.direct[0]).toMatchObject({ address: '127.0.0.3', ns: { status: 'REFUSED' }, soa: { status: 'REFUSED' } });
    expect(ns1.received.map((q) => [q.type, q.recursionDesired])).toEqual(expect.arrayContaining([['NS', false], ['SOA', false]]));
  });

  test('fetches the addresses of every MX host and the SPF include tree', () => {
    expect(scan.mxHosts).toEqual([
      { host: 'mx1.mail.example', a: expect.objectContaining({ records: ['192.0.2.25'] }), aaaa: expect.objectContaining({ status: 'NODATA' }) },
    ]);
    expect(scan.spfLookups.map((o) => `${o.type} ${o.name} ${o.records.join(',')}`)).toEqual([
      'TXT _spf.mail.example "v=spf1 ip4:192.0.2.0/24 -all"',
    ]);
  });

  test('the result is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(scan))).toEqual(scan);
  });
});

describe('sharing and limits', () => {
  test('a provider’s name-server addresses are asked once across sites, and still listed for each', async () => {
    const first = await scanner.scanSite('example.com');
    const second = await scanner.scanSite('example.org');
    const asked = resolver.received.filter((q) => q.name === 'ns1.dns.example' && q.type === 'A');
    expect(asked).toHaveLength(1);
    expect(first.nameServers[0]!.a.records).toEqual(['127.0.0.2']);
    expect(second.nameServers[0]!.a).toMatchObject({ records: ['127.0.0.2'], cached: true });
    expect(scanner.stats().cache.hits).toBeGreaterThan(0);
  });

  test('an invalid name rejects with InvalidDomainError naming it, and sends nothing', async () => {
    await expect(scanner.scanSite('not a domain')).rejects.toThrow(InvalidDomainError);
    await expect(scanner.scanSite('not a domain')).rejects.toThrow('"not a domain"');
    expect(resolver.received).toHaveLength(0);
  });

  test('the site deadline bounds a scan whose servers never answer; everything is recorded as TIMEOUT', async () => {
    const silent = await startResponder(() => []);
    const slowScanner = createScanner({
      resolvers: [silent.server],
      timeoutMs: 1000,
      attempts: 3,
      maxInFlight: 64,
      perResolverQps: 0,
      perNameServerQps: 0,
      cacheEntries: 100,
      siteDeadlineMs: 300,
    });
    try {
      const started = performance.now();
      const scan = await slowScanner.scanSite('example.com');
      expect(performance.now() - started).toBeLessThan(1000); // far below 3 attempts × 1 s
      for (const outcome of [scan.mx, scan.txt, scan.ns, scan.soa, scan.dmarc]) {
        expect(outcome.status).toBe('TIMEOUT');
        expect(outcome.error).toMatch(/deadline/);
      }
      expect(scan.nameServers).toEqual([]);
    } finally {
      await slowScanner.close();
      await silent.stop();
    }
  });

  test('per-name-server rate limits make queries wait instead of flooding', async () => {
    const polite = createScanner({
      resolvers: [resolver.server],
      nameServerPort: ns1.port,
      timeoutMs: 300,
      attempts: 1,
      maxInFlight: 64,
      perResolverQps: 0,
      perNameServerQps: 20,
      rateBurst: 1,
      cacheEntries: 100,
    });
    try {
      await Promise.all([polite.scanSite('example.com'), polite.scanSite('example.org')]);
      // 2 sites × 2 queries to each name-server address at 20 qps with no burst: 3 of the 4 wait.
      expect(polite.stats().rateLimit.waits).toBeGreaterThanOrEqual(6);
    } finally {
      await polite.close();
    }
  });
});

describe('scanMany', () => {
  test('scans every domain with bounded concurrency and reports invalid ones', async () => {
    const results: string[] = [];
    const invalid: string[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    const domains = ['example.com', 'example.org', 'bad..name', 'missing.example', 'example.com'];
    const summary = await scanner.scanMany(
      (function* () {
        for (const d of domains) {
          inFlight++;
          maxSeen = Math.max(maxSeen, inFlight);
          yield d;
        }
      })(),
      2,
      (scan) => {
        inFlight--;
        results.push(scan.domain);
      },
      (domain, error) => {
        inFlight--;
        invalid.push(domain);
        expect(error).toBeInstanceOf(InvalidDomainError);
      },
    );
    expect(summary).toEqual({ scanned: 4, invalid: 1 });
    expect(results.sort()).toEqual(['example.com', 'example.com', 'example.org', 'missing.example']);
    expect(invalid).toEqual(['bad..name']);
    expect(maxSeen).toBeLessThanOrEqual(2);
    expect(scanner.stats()).toMatchObject({ sitesScanned: 4, sitesInProgress: 0, inFlight: 0 });
  });

  test('without an invalid-name handler, an invalid name rejects the whole call', async () => {
    await expect(scanner.scanMany(['example.com', 'bad..name'], 1, () => undefined)).rejects.toThrow(InvalidDomainError);
  });
});
