import { DEFAULT_SPF_WALK_LIMITS, plannedLookups, spfRecordsOf, walkSpfTree } from '../../../src/dns/spf-tree';
import type { QueryOutcome, RRType } from '../../../src/dns/types';

type Zone = Record<string, Partial<Record<RRType, string[] | 'NXDOMAIN' | 'SERVFAIL'>>>;

function txt(name: string, ...records: string[]): QueryOutcome {
  return {
    name,
    type: 'TXT',
    status: records.length ? 'NOERROR' : 'NODATA',
    records: records.map((r) => `"${r}"`),
    data: records.map((r) => ({ type: 'TXT' as const, strings: [r] })),
  };
}

/** A fake lookup over an in-memory zone, recording what was asked. */
function fakeDns(zone: Zone) {
  const asked: string[] = [];
  const lookup = async (name: string, type: RRType): Promise<QueryOutcome> => {
    asked.push(`${type} ${name}`);
    const entry = zone[name];
    const value = entry?.[type];
    if (entry === undefined || value === 'NXDOMAIN') return { name, type, status: 'NXDOMAIN', records: [], data: [] };
    if (value === 'SERVFAIL') return { name, type, status: 'SERVFAIL', records: [], data: [] };
    if (value === undefined || value.length === 0) return { name, type, status: 'NODATA', records: [], data: [] };
    if (type === 'TXT') return txt(name, ...value);
    if (type === 'MX') {
      return {
        name,
        type,
        status: 'NOERROR',
        records: value.map((host, i) => `${i} ${host}.`),
        data: value.map((host, i) => ({ type: 'MX' as const, preference: i, exchange: host })),
      };
    }
    return {
      name,
      type,
      status: 'NOERROR',
      records: value,
      data: value.map((address) => ({ type: type as 'A', address })),
    };
  };
  return { asked, lookup };
}

describe('spfRecordsOf', () => {
  test('finds v=spf1 records, joining character-strings, ignoring look-alikes', () => {
    const outcome: QueryOutcome = {
      name: 'example.com',
      type: 'TXT',
      status: 'NOERROR',
      records: [],
      data: [
        { type: 'TXT', strings: ['v=spf1 include:a.example ', '-all'] },
        { type: 'TXT', strings: ['v=spf10 -all'] },
        { type: 'TXT', strings: ['google-site-verification=x'] },
        { type: 'TXT', strings: ['V=SPF1'] },
      ],
    };
    expect(spfRecordsOf(outcome)).toEqual(['v=spf1 include:a.example -all', 'V=SPF1']);
  });
});

describe('plannedLookups', () => {
  test('include, a, mx, exists and redirect ask for names; ip4, ip6, all, ptr and exp do not', () => {
    const planned = plannedLookups(
      'v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:mail.example/24 -include:_spf.example.net ~exists:probe.example ptr exp=explain.example redirect=_spf.example.org ?all',
      'example.com',
      1,
    );
    expect(planned.map((p) => [p.kind, p.name])).toEqual([
      ['a', 'example.com'],
      ['mx', 'mail.example'],
      ['include', '_spf.example.net'],
      ['exists', 'probe.example'],
      ['redirect', '_spf.example.org'],
    ]);
  });

  test('macros and invalid names are planned but cannot be asked', () => {
    const planned = plannedLookups('v=spf1 exists:%{i}._spf.example.com include:bad..name -all', 'example.com', 1);
    expect(planned.map((p) => [p.name, p.skipReason])).toEqual([
      [null, expect.stringMatching(/macro/)],
      [null, expect.stringMatching(/not a valid/)],
    ]);
  });
});

describe('walkSpfTree', () => {
  test('walks includes and redirects recursively and fetches what a/mx/exists need', async () => {
    const { lookup } = fakeDns({
      'example.com': { A: ['192.0.2.1'], AAAA: [] },
      '_spf.provider.example': { TXT: ['v=spf1 include:_netblocks.provider.example mx:provider.example ~all'] },
      '_netblocks.provider.example': { TXT: ['v=spf1 ip4:198.51.100.0/24 ~all'] },
      'provider.example': { MX: ['mx1.provider.example'] },
      'mx1.provider.example': { A: ['198.51.100.25'], AAAA: ['2001:db8::25'] },
    });
    const apex = txt('example.com', 'v=spf1 a include:_spf.provider.example -all');
    const lookups = await walkSpfTree('example.com', apex, lookup);
    expect(lookups.map((o) => `${o.type} ${o.name} ${o.status}`)).toEqual([
      'A example.com NOERROR',
      'AAAA example.com NODATA',
      'TXT _spf.provider.example NOERROR',
      'TXT _netblocks.provider.example NOERROR',
      'MX provider.example NOERROR',
      'A mx1.provider.example NOERROR',
      'AAAA mx1.provider.example NOERROR',
    ]);
  });

  test('an include loop is walked once; a repeated target is not asked twice', async () => {
    const { lookup, asked } = fakeDns({
      'a.example': { TXT: ['v=spf1 include:b.example -all'] },
      'b.example': { TXT: ['v=spf1 include:a.example include:a.example -all'] },
    });
    const lookups = await walkSpfTree('example.com', txt('example.com', 'v=spf1 include:a.example -all'), lookup);
    expect(lookups.map((o) => `${o.type} ${o.name}`)).toEqual(['TXT a.example', 'TXT b.example']);
    expect(asked).toEqual(['TXT a.example', 'TXT b.example']);
  });

  test('stops well past the 10-lookup limit with a SKIPPED entry, so the grader can see "too many"', async () => {
    const zone: Zone = {};
    const includes = Array.from({ length: 50 }, (_, i) => `i${i}.example`);
    for (const name of includes) zone[name] = { TXT: ['v=spf1 -all'] };
    const { lookup } = fakeDns(zone);
    const lookups = await walkSpfTree('example.com', txt('example.com', `v=spf1 ${includes.map((n) => `include:${n}`).join(' ')} -all`), lookup);
    const made = lookups.filter((o) => o.status !== 'SKIPPED');
    expect(made).toHaveLength(DEFAULT_SPF_WALK_LIMITS.maxLookups);
    expect(made.length).toBeGreaterThan(10);
    expect(lookups[lookups.length - 1]).toMatchObject({ status: 'SKIPPED', name: `i${DEFAULT_SPF_WALK_LIMITS.maxLookups}.example` });
  });

  test('stops after too many void lookups, past the RFC limit of 2', async () => {
    const levels = Array.from({ length: 20 }, (_, i) => `l${i}.example`);
    const zone: Zone = {};
    // Each level has two voids (missing `a` targets) and an include of the next level.
    levels.forEach((name, i) => (zone[name] = { TXT: [`v=spf1 a:void${i}.example a:other${i}.example include:${levels[i + 1] ?? 'end.example'} -all`] }));
    const { lookup } = fakeDns(zone);
    const lookups = await walkSpfTree('example.com', txt('example.com', `v=spf1 include:${levels[0]} -all`), lookup);
    const voids = lookups.filter((o) => o.type === 'A' && o.status === 'NXDOMAIN');
    expect(voids.length).toBeGreaterThan(2);
    // Voids are counted per level, so the walk may finish the level it crossed the bound in.
    expect(voids.length).toBeLessThanOrEqual(DEFAULT_SPF_WALK_LIMITS.maxVoidLookups + 2);
    expect(lookups[lookups.length - 1]).toMatchObject({ status: 'SKIPPED', error: expect.stringMatching(/void/) });
  });

  test('stops at the include depth bound with a SKIPPED entry', async () => {
    const levels = Array.from({ length: 20 }, (_, i) => `d${i}.example`);
    const zone: Zone = {};
    levels.forEach((name, i) => (zone[name] = { TXT: [`v=spf1 include:${levels[i + 1] ?? 'end.example'} -all`] }));
    const { lookup } = fakeDns(zone);
    const lookups = await walkSpfTree('example.com', txt('example.com', `v=spf1 include:${levels[0]} -all`), lookup);
    expect(lookups.filter((o) => o.status === 'NOERROR')).toHaveLength(DEFAULT_SPF_WALK_LIMITS.maxDepth);
    expect(lookups[lookups.length - 1]).toMatchObject({ status: 'SKIPPED', error: expect.stringMatching(/depth/) });
  });

  test('a failed lookup is recorded as it is (never as "no record") and not walked into', async () => {
    const { lookup } = fakeDns({ 'broken.example': { TXT: 'SERVFAIL' } });
    const lookups = await walkSpfTree('example.com', txt('example.com', 'v=spf1 include:broken.example -all'), lookup);
    expect(lookups).toEqual([expect.objectContaining({ name: 'broken.example', type: 'TXT', status: 'SERVFAIL' })]);
  });

  test('no SPF record, no lookups', async () => {
    const { lookup, asked } = fakeDns({});
    expect(await walkSpfTree('example.com', txt('example.com', 'hello'), lookup)).toEqual([]);
    expect(asked).toEqual([]);
  });
});
