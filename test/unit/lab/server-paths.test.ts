// The lab server answers a query in one of three ways — a precomputed wire, a wire encoded on first
// demand, or dns-packet's full decode and encode (anything unusual). They must give the same bytes.
// Also: the warm()/precompute API and what it counts.
import dnsPacket from 'dns-packet';
import { startLabServer, LabServer } from '../../../src/lab/server';
import { createLabWorld } from '../../../src/lab/world';
import { siteQuestions } from '../../../src/lab/precompute';
import { hostPort, queryUdp, query } from './dns-client';

const SITES = 140; // every scenario once (the first sites of a world)

function wireFor(name: string, type: string, id: number, options: { edns?: boolean; cookie?: boolean; rd?: boolean } = {}): Buffer {
  const opt = { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: options.cookie ? [{ code: 10, data: Buffer.alloc(8, 7) }] : [] };
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: options.rd === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
    additionals: options.edns === false ? [] : [opt as unknown as dnsPacket.Answer],
  } as dnsPacket.Packet);
}

describe('lab server: precomputed, on-demand and full-path answers agree byte for byte', () => {
  const world = createLabWorld({ sites: SITES, seed: 5 });
  let precomputed: LabServer;
  let onDemand: LabServer;
  beforeAll(async () => {
    precomputed = await startLabServer({ sites: SITES, world, precompute: true });
    onDemand = await startLabServer({ sites: SITES, world, precompute: false });
  });
  afterAll(async () => {
    await precomputed?.stop();
    await onDemand?.stop();
  });

  it('for every question the engine asks of every scenario, in every view, with and without EDNS, in any case', async () => {
    const before = { pre: precomputed.stats(), lazy: onDemand.stats() };
    const mismatches: string[] = [];
    let compared = 0;
    let id = 1;
    const ask = async (lab: LabServer, address: string | null, wire: Buffer) => {
      const [host, port] = address === null ? hostPort(lab.resolver) : [address, lab.nameServerPort];
      return (await queryUdp(host, port, wire, 1000))?.raw ?? null;
    };
    const askAbout = async (index: number) => {
      const site = world.site(index);
      const questions = [
        ...siteQuestions(site),
        { address: null, name: `nothing-here.${site.domain}`, type: 'A' as const }, // never precomputed
        { address: null, name: 'ns1.not-in-the-lab.example.org', type: 'AAAA' as const },
      ];
      await Promise.all(
        questions.map(async ({ address, name, type }, k) => {
          const asked = k % 3 === 0 ? name.toUpperCase() : k % 3 === 1 ? name.replace(/^./, (c) => c.toUpperCase()) : name;
          const edns = k % 4 !== 3;
          const qid = id++;
          const plain = wireFor(asked, type, qid, { edns, rd: address === null });
          const [fromStore, fromDemand, fromDemandAgain, inFull] = await Promise.all([
            ask(precomputed, address, plain),
            ask(onDemand, address, plain),
            ask(onDemand, address, plain), // now from the on-demand cache, or encoded twice: same bytes either way
            // An EDNS option makes the query unusual: dns-packet decodes it and encodes the answer.
            edns ? ask(precomputed, address, wireFor(asked, type, qid, { cookie: true, rd: address === null })) : ask(precomputed, address, plain),
          ]);
          compared++;
          const same = (a: Buffer | null, b: Buffer | null) => (a === null ? b === null : b !== null && a.equals(b));
          if (!same(fromStore, fromDemand) || !same(fromStore, fromDemandAgain) || !same(fromStore, inFull)) {
            mismatches.push(`${site.scenario}: ${asked} ${type} @${address ?? 'resolver'} edns=${edns}`);
          }
          if (fromStore) {
            const decoded = dnsPacket.decode(fromStore);
            if (decoded.id !== qid || decoded.questions?.[0]?.name !== asked) mismatches.push(`${asked} ${type}: ID or question not echoed`);
          }
        }),
      );
    };
    // Thirty-five sites at a time: dropped queries wait for their timeout.
    for (let from = 0; from < SITES; from += 35) await Promise.all(Array.from({ length: Math.min(35, SITES - from) }, (_, k) => askAbout(from + k)));
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(SITES * 12);
    const after = { pre: precomputed.stats(), lazy: onDemand.stats() };
    expect(after.pre.precomputedHits - before.pre.precomputedHits).toBeGreaterThan(SITES * 10);
    expect(after.pre.fullDecodes - before.pre.fullDecodes).toBeGreaterThan(SITES * 8); // the EDNS-option queries
    expect(after.lazy.precomputedHits - before.lazy.precomputedHits).toBe(0);
  }, 60_000);
});

describe('lab server: warm() and the precompute option', () => {
  let lab: LabServer;
  beforeAll(async () => {
    lab = await startLabServer({ sites: 300, seed: 2, precompute: false });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('precomputes a range once, and serves it from the store', async () => {
    expect(lab.memory()).toMatchObject({ precomputedSites: 0, precomputedAnswers: 0, arenaAllocatedBytes: 0 });
    const first = await lab.warm({ from: 100, to: 150 });
    expect(first.sites).toBe(50);
    expect(first.answers).toBeGreaterThan(50 * 10);
    const memory = lab.memory();
    expect(memory.precomputedSites).toBe(50);
    expect(memory.arenaUsedBytes).toBeGreaterThan(first.answers * 40);
    expect((await lab.warm({ from: 100, to: 150 })).answers).toBe(0); // already warm
    expect(lab.memory().precomputedAnswers).toBe(memory.precomputedAnswers);

    const [host, port] = hostPort(lab.resolver);
    const hits = () => lab.stats().precomputedHits;
    let before = hits();
    expect((await query(host, port, lab.world.domain(120), 'SOA', { edns: 1232 }))?.rcode).toBeDefined();
    expect(hits()).toBe(before + 1);
    before = hits();
    await query(host, port, lab.world.domain(200), 'SOA', { edns: 1232 }); // not warmed
    expect(hits()).toBe(before);
  });

  it('warms everything by default, and rejects a range outside the world naming it', async () => {
    const all = await lab.warm();
    expect(all.sites).toBe(300);
    expect(lab.memory().precomputedSites).toBe(300);
    await expect(lab.warm({ from: -1, to: 10 })).rejects.toThrow(/range -1\.\.10 is not within 0\.\.300/);
    await expect(lab.warm({ from: 0, to: 301 })).rejects.toThrow(/range 0\.\.301/);
  });

  it('precomputes small worlds unless told not to', async () => {
    const small = await startLabServer({ sites: 20, seed: 2 });
    try {
      expect(small.memory().precomputedSites).toBe(20);
    } finally {
      await small.stop();
    }
  });
});
