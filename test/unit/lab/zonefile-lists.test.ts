import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { createLabWorld } from '../../../src/lab/world';
import { writeZoneFiles } from '../../../src/lab/zonefile';
import { presentData, LabRRType } from '../../../src/lab/records';
import { changedList, trancoCsv } from '../../../src/lab/tranco';
import { startListServer } from '../../../src/lab/http';
import { startLabServer } from '../../../src/lab/server';
import { hostPort, query } from './dns-client';

/** A small RFC 1035 master-file reader for what the exporter writes: absolute owners, one record per line. */
function readZone(text: string): Map<string, string[]> {
  const rrsets = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(';') || line.startsWith('$')) continue;
    const [owner, ttl, klass, type, ...rest] = line.split('\t');
    expect(klass).toBe('IN');
    expect(Number(ttl)).toBeGreaterThan(0);
    const key = `${owner.replace(/\.$/, '')} ${type}`;
    rrsets.set(key, [...(rrsets.get(key) ?? []), rest.join('\t')]);
  }
  return rrsets;
}

describe('zone-file export', () => {
  const world = createLabWorld({ sites: 200 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-zones-'));
  const zones = writeZoneFiles(world, dir, { from: 0, to: 200 });

  it('writes one master file per zone and configs listing them all', () => {
    const named = fs.readFileSync(path.join(dir, 'named.conf'), 'utf8');
    const nsd = fs.readFileSync(path.join(dir, 'nsd.conf'), 'utf8');
    for (const zone of zones) {
      expect(fs.existsSync(path.join(dir, zone.file))).toBe(true);
      expect(named).toContain(`zone "${zone.origin}" {`);
      expect(nsd).toContain(`name: "${zone.origin}"`);
      const text = fs.readFileSync(path.join(dir, zone.file), 'utf8');
      expect(text).toContain(`$ORIGIN ${zone.origin}.`);
      expect(text.split('\n').find((l) => l && !l.startsWith(';') && !l.startsWith('$'))).toMatch(/\tSOA\t/); // SOA first
    }
    expect(zones.map((z) => z.origin)).toEqual(expect.arrayContaining(['test', 'example', 'google.com', 'outlook.com']));
  });

  it('holds exactly the records the lab server serves, for every fault-free site', () => {
    const byOrigin = new Map(zones.map((z) => [z.origin, readZone(z.text)]));
    let compared = 0;
    for (let i = 0; i < world.size; i++) {
      const site = world.site(i);
      if (site.nonexistent || site.faults.length > 0) continue;
      const read = byOrigin.get(site.domain) as Map<string, string[]>;
      const parent = byOrigin.get(site.domain.split('.').slice(1).join('.')) as Map<string, string[]>;
      const names = new Set(site.zone.records.map((r) => `${r.name} ${r.type}`));
      for (const key of names) {
        const [name, type] = key.split(' ');
        const served = world.resolve(name, type as LabRRType).answers.filter((r) => r.type === type);
        const rendered = served.map((r) => (r.type === 'CAA' && r.data.tag === '') || (r.type === 'DNSKEY' && r.data.key.length === 0) ? null : presentData(r));
        const inFile = read.get(key) ?? [];
        const expected = rendered.filter((x): x is string => x !== null);
        expect(inFile.filter((x) => !x.startsWith('\\#')).sort()).toEqual(expected.sort());
        compared++;
      }
      const ds = world.resolve(site.domain, 'DS').answers.map(presentData);
      expect((parent.get(`${site.domain} DS`) ?? []).sort()).toEqual(ds.sort());
      const delegation = parent.get(`${site.domain} NS`) ?? [];
      expect(delegation.sort()).toEqual(site.nameServers.map((s) => `${s.host}.`).sort());
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('matches the wire answers of the running server (round trip through dns-packet)', async () => {
    const lab = await startLabServer({ sites: 200, world });
    try {
      const [host, port] = hostPort(lab.resolver);
      const read = new Map<string, string[]>();
      for (const zone of zones) for (const [k, v] of readZone(zone.text)) read.set(k, v);
      for (const i of [0, 1, 2, 3]) {
        const d = world.domain(i);
        const mx = await query(host, port, d, 'MX', { edns: 1232 });
        expect(mx?.answers?.map((a) => { const m = a.data as { preference: number; exchange: string }; return `${m.preference} ${m.exchange}.`; }).sort()).toEqual((read.get(`${d} MX`) ?? []).sort());
        const txt = await query(host, port, d, 'TXT', { tcp: true });
        expect(txt?.answers?.map((a) => (a.data as Buffer[]).map((b) => `"${b.toString()}"`).join(' ')).sort()).toEqual((read.get(`${d} TXT`) ?? []).sort());
      }
    } finally {
      await lab.stop();
    }
  });
});

describe('Tranco-format lists', () => {
  const world = createLabWorld({ sites: 1500 });

  it('lists rank,domain lines with no header, in rank order', () => {
    const lines = trancoCsv(world).trimEnd().split('\n');
    expect(lines).toHaveLength(1500);
    expect(lines[0]).toBe(`1,${world.domain(0)}`);
    expect(lines[1499]).toBe(`1500,${world.domain(1499)}`);
  });

  it('the changed list drops, re-ranks and adds sites and carries malformed rows', () => {
    const changed = changedList(world);
    expect(changed.dropped.length).toBeGreaterThan(5);
    expect(changed.added.length).toBeGreaterThan(5);
    expect(changed.reranked.length).toBeGreaterThan(5);
    expect(changed.malformed.length).toBeGreaterThanOrEqual(2);
    const lines = changed.csv.trimEnd().split('\n');
    expect(lines).toHaveLength(changed.rows.length + changed.malformed.length);
    for (const m of changed.malformed) expect(lines).toContain(m);
    const ranks = lines.filter((l) => !changed.malformed.includes(l)).map((l) => Number(l.split(',')[0]));
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    const listed = new Set(changed.rows.map((r) => r.domain));
    for (const d of changed.dropped) expect(listed.has(d)).toBe(false);
    for (const d of changed.added) expect(world.indexOf(d)).toBeUndefined();
  });

  it('serves the CSV and a zip holding top-1m.csv over local HTTP', async () => {
    const lists = await startListServer(world);
    try {
      const csv = await (await fetch(lists.url)).text();
      expect(csv).toBe(trancoCsv(world));
      const zipped = Buffer.from(await (await fetch(lists.zipUrl)).arrayBuffer());
      const entries = await new Promise<Record<string, string>>((resolve, reject) => {
        yauzl.fromBuffer(zipped, { lazyEntries: true }, (err, zip) => {
          if (err || !zip) return reject(err);
          const out: Record<string, string> = {};
          zip.on('entry', (entry: yauzl.Entry) => {
            zip.openReadStream(entry, (e, stream) => {
              if (e || !stream) return reject(e);
              const chunks: Buffer[] = [];
              stream.on('data', (c: Buffer) => chunks.push(c));
              stream.on('end', () => {
                out[entry.fileName] = Buffer.concat(chunks).toString();
                zip.readEntry();
              });
            });
          });
          zip.on('end', () => resolve(out));
          zip.readEntry();
        });
      });
      expect(Object.keys(entries)).toEqual(['top-1m.csv']);
      expect(entries['top-1m.csv']).toBe(csv);
      expect(await (await fetch(lists.changedUrl)).text()).toBe(changedList(world).csv);
      expect((await fetch(lists.url.replace('top-1m.csv', 'nope'))).status).toBe(404);
      expect(lists.requests()['/top-1m.csv']).toBe(1);
    } finally {
      await lists.stop();
    }
  });
});
