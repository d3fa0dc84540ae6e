import { startLabServer, LabServer } from '../../../src/lab/server';
import { hostPort, query, queryUdp, encodeQuery } from './dns-client';

const indexOfScenario = (lab: LabServer, id: string): number => {
  const i = lab.world.scenarios.findIndex((s) => s.id === id);
  if (i < 0) throw new Error(`no scenario ${id}`);
  return i;
};

// Every behaviour holds whether answers were precomputed (the default for small worlds) or are
// encoded on first demand.
describe.each([
  ['precomputed', true],
  ['encoded on demand', false],
])('lab server (answers %s)', (_, precompute) => {
  let lab: LabServer;
  let host: string;
  let port: number;
  beforeAll(async () => {
    lab = await startLabServer({ sites: 400, seed: 1, precompute });
    expect(lab.memory().precomputedSites).toBe(precompute ? 400 : 0);
    [host, port] = hostPort(lab.resolver);
  });
  afterAll(async () => {
    await lab.stop();
  });

  it('answers what the world says, over UDP and TCP, as a recursive resolver', async () => {
    const site = lab.world.site(0);
    const mx = site.zone.records.filter((r) => r.type === 'MX').map((r) => r.data);
    for (const tcp of [false, true]) {
      const reply = await query(host, port, site.domain, 'MX', { tcp, edns: 1232 });
      expect(reply?.rcode).toBe('NOERROR');
      expect(reply?.flag_ra).toBe(true);
      expect(reply?.flag_aa).toBe(false);
      expect(reply?.answers?.map((a) => a.data)).toEqual(mx);
    }
  });

  it('answers NXDOMAIN for unknown names and NODATA with the SOA for missing types', async () => {
    const site = lab.world.site(0);
    const nx = await query(host, port, `nothing-here.${site.domain}`, 'A');
    expect(nx?.rcode).toBe('NXDOMAIN');
    expect(nx?.authorities?.[0]?.type).toBe('SOA');
    const unknown = await query(host, port, 'not-in-the-lab.example.org', 'A');
    expect(unknown?.rcode).toBe('NXDOMAIN');
    const nodata = await query(host, port, site.domain, 'DNSKEY');
    expect(nodata?.rcode).toBe('NOERROR');
    expect(nodata?.answers).toHaveLength(0);
  });

  it('echoes the question as asked (case) and the query ID', async () => {
    const site = lab.world.site(3);
    const mixed = site.domain.toUpperCase();
    const reply = await queryUdp(host, port, encodeQuery(mixed, 'SOA', {}, 4242), 1500);
    expect(reply?.id).toBe(4242);
    expect(reply?.questions?.[0].name).toBe(mixed);
  });

  it('serves the DS RRset from the parent side and real DNSKEYs at the apex', async () => {
    const i = indexOfScenario(lab, 'dnssec-ecdsa');
    const d = lab.world.domain(i);
    const ds = await query(host, port, d, 'DS');
    const keys = await query(host, port, d, 'DNSKEY', { edns: 1232 });
    expect(ds?.answers?.[0]?.type).toBe('DS');
    expect(keys?.answers?.map((a) => (a.data as { flags: number }).flags).sort()).toEqual([256, 257]);
  });

  it('answers directly from each name server: AA for its zones, REFUSED for others, no recursion', async () => {
    const site = lab.world.site(5);
    const ns = site.nameServers[0];
    const reply = await query(ns.address as string, lab.nameServerPort, site.domain, 'NS', { recursionDesired: false });
    expect(reply?.flag_aa).toBe(true);
    expect(reply?.flag_ra).toBe(false);
    expect(reply?.answers?.map((a) => a.data).sort()).toEqual(site.nameServers.map((s) => s.host).sort());
    const other = lab.world.site(6).nameServers.find((s) => s.address !== ns.address && !site.nameServers.some((x) => x.address === s.address));
    if (other) {
      const refused = await query(other.address as string, lab.nameServerPort, site.domain, 'NS', { recursionDesired: false });
      expect(refused?.rcode).toBe('REFUSED');
    }
    expect(lab.nameServerAddresses.length).toBeGreaterThan(100);
    expect(new Set(lab.nameServerAddresses).size).toBe(lab.nameServerAddresses.length);
  });

  it('plays lame, inconsistent and out-of-sync name servers', async () => {
    const direct = async (id: string, type: string) => {
      const site = lab.world.site(indexOfScenario(lab, id));
      const odd = site.nameServers[2];
      return [site, await query(odd.address as string, lab.nameServerPort, site.domain, type, { recursionDesired: false, timeoutMs: 500 })] as const;
    };
    expect((await direct('ns-lame-refused', 'NS'))[1]?.rcode).toBe('REFUSED');
    const [, notAa] = await direct('ns-lame-not-authoritative', 'NS');
    expect(notAa?.rcode).toBe('NOERROR');
    expect(notAa?.flag_aa).toBe(false);
    const [mismatchSite, mismatch] = await direct('ns-mismatch', 'NS');
    expect(mismatch?.answers?.map((a) => a.data)).toContain(`ns9.${mismatchSite.domain}`);
    const [serialSite, serial] = await direct('ns-serial-mismatch', 'SOA');
    const realSerial = (serialSite.zone.records.find((r) => r.type === 'SOA')?.data as { serial: number }).serial;
    expect((serial?.answers?.[0]?.data as { serial: number }).serial).toBe(realSerial - 5);
    expect((await direct('ns-servfail', 'NS'))[1]?.rcode).toBe('SERVFAIL');
    expect((await direct('ns-timeout', 'NS'))[1]).toBeNull();
  });

  it('injects faults: timeout, SERVFAIL, REFUSED, FORMERR and slow answers', async () => {
    const d = (id: string) => lab.world.domain(indexOfScenario(lab, id));
    expect(await query(host, port, d('spf-txt-timeout'), 'TXT', { timeoutMs: 400 })).toBeNull();
    expect((await query(host, port, d('spf-txt-timeout'), 'MX'))?.rcode).toBe('NOERROR'); // only TXT is dropped
    expect((await query(host, port, d('dmarc-servfail').replace(/^/, '_dmarc.'), 'TXT'))?.rcode).toBe('SERVFAIL');
    expect((await query(host, port, d('spf-txt-refused'), 'TXT'))?.rcode).toBe('REFUSED');
    expect((await query(host, port, d('caa-formerr'), 'CAA'))?.rcode).toBe('FORMERR');
    const started = Date.now();
    const slow = await query(host, port, d('slow-answers'), 'SOA');
    expect(slow?.rcode).toBe('NOERROR');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('truncates over UDP what is too large (TC set) and answers in full over TCP', async () => {
    const d = lab.world.domain(indexOfScenario(lab, 'large-txt-tcp'));
    const udp = await query(host, port, d, 'TXT', { edns: 4096 });
    expect(udp?.flag_tc).toBe(true);
    expect(udp?.answers).toHaveLength(0);
    const tcp = await query(host, port, d, 'TXT', { tcp: true });
    expect(tcp?.flag_tc).toBe(false);
    expect(tcp?.answers?.length).toBeGreaterThan(20);
    expect(tcp?.raw.length).toBeGreaterThan(4096);
    // Without EDNS the 512-byte limit applies to ordinary answers too.
    const dnssec = lab.world.domain(indexOfScenario(lab, 'dnssec-rsasha256'));
    expect((await query(host, port, dnssec, 'DNSKEY'))?.flag_tc).toBe(true);
    expect((await query(host, port, dnssec, 'DNSKEY', { edns: 1232 }))?.flag_tc).toBe(false);
  });

  it('answers garbage with FORMERR or silence, and keeps serving', async () => {
    const garbage = Buffer.from('0102030405060708090a0b0c0d', 'hex');
    const reply = await queryUdp(host, port, garbage, 500);
    expect(reply?.rcode).toBe('FORMERR');
    expect(reply?.id).toBe(0x0102);
    expect((await query(host, port, lab.world.domain(0), 'SOA'))?.rcode).toBe('NOERROR');
  });
});
