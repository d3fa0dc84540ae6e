// The lab world: N synthetic sites computed on demand from (seed, index), the shared provider
// infrastructure they point at, and the two views the server answers from: the recursive view
// (what a resolver returns) and each name server's authoritative view.
import { applyBaseline, BaselineContext, DnsHosting, MailHosting } from './baseline';
import {
  LAB_DNS_PROVIDERS,
  LAB_EMAIL_PROVIDERS,
  UNKNOWN_DNS_HOSTS,
  UNKNOWN_MAIL_EXCHANGES,
} from './providers';
import { Rng } from './random';
import { LabAnswer, LabRRType, LabRecord, LabZone, rr } from './records';
import { SCENARIOS, Scenario } from './scenarios';
import { LabSite, SiteBuilder } from './site-builder';

export interface LabWorldOptions {
  sites: number;
  seed?: number;
}

export interface LabWorld {
  readonly size: number;
  readonly seed: number;
  readonly scenarios: readonly Scenario[];
  /** Loopback addresses of every name server the world has (each a distinct host). */
  readonly nameServerAddresses: readonly string[];
  /** Top-level domains the sites live under (reserved TLDs, RFC 2606 / RFC 6761). */
  readonly siteTlds: readonly string[];
  domain(index: number): string;
  site(index: number): LabSite;
  scenarioOf(index: number): Scenario;
  /** Index of the site whose zone holds `name` (the domain or a name below it), if any. */
  indexOf(name: string): number | undefined;
  /** The recursive resolver's answer (RA, never AA), including injected faults. */
  resolve(name: string, type: LabRRType): LabAnswer;
  /** What the name server at `address` answers when asked directly (AA when it serves the zone). */
  authoritative(address: string, name: string, type: LabRRType): LabAnswer;
  /** site(index) without keeping the site in the (bounded) site cache: for one pass over many sites. */
  buildSite(index: number): LabSite;
  /** resolve() for a name (lower case, no final dot) known to be `site`'s domain or below it. */
  resolveInSite(site: LabSite, name: string, type: LabRRType): LabAnswer;
  /** authoritative() for a name (lower case, no final dot) known to be `site`'s domain or below it. */
  authoritativeInSite(site: LabSite, address: string, name: string, type: LabRRType): LabAnswer;
  /** The provider infrastructure zones (name-server hosts, mail hosts, SPF include targets). */
  infrastructureZones(): LabZone[];
  /** SOA of a site TLD zone (parent of every site). */
  tldSoa(tld: string): LabRecord;
}

export const DEFAULT_SEED = 1;
const SITE_TLDS = ['test', 'example'] as const;
const SELF_HOSTED_POOL_SIZE = 24;
const SITE_CACHE_LIMIT = 5000;
/** Sites [0, FORCED_PROVIDER_SITES) cycle through every DNS and mail hosting choice, so small worlds cover the tables. */
const FORCED_PROVIDER_SITES = 400;

const WORDS_A = [
  'blue', 'bright', 'cedar', 'clear', 'cloud', 'coral', 'crisp', 'daily', 'delta', 'ember', 'fair', 'fern', 'fresh', 'golden',
  'grand', 'green', 'harbor', 'iron', 'jade', 'keen', 'lake', 'lunar', 'maple', 'metro', 'misty', 'noble', 'north', 'oak',
  'ocean', 'olive', 'pine', 'pixel', 'prime', 'quick', 'rapid', 'red', 'river', 'royal', 'rustic', 'silver', 'smart', 'solar',
  'stone', 'summit', 'sunny', 'swift', 'terra', 'urban', 'valley', 'vivid', 'west', 'wild', 'zen', 'amber', 'bold', 'civic',
];
const WORDS_B = [
  'academy', 'apps', 'arts', 'bank', 'bazaar', 'books', 'cafe', 'cart', 'clinic', 'cloud', 'codes', 'daily', 'deals', 'design',
  'farm', 'films', 'foods', 'forum', 'games', 'garden', 'gear', 'guide', 'hub', 'labs', 'law', 'life', 'link', 'mail', 'market',
  'media', 'motors', 'music', 'news', 'notes', 'online', 'press', 'radio', 'shop', 'sports', 'studio', 'systems', 'tech',
  'times', 'tools', 'travel', 'tv', 'ventures', 'wiki', 'works', 'world', 'zone', 'post', 'club', 'data', 'gallery', 'health',
];

const DNS_CHOICES: DnsHosting[] = [
  ...LAB_DNS_PROVIDERS.filter((p) => p.hosts.length > 0).map((provider): DnsHosting => ({ kind: 'provider', provider })),
  { kind: 'self' },
  { kind: 'unknown', hosts: UNKNOWN_DNS_HOSTS },
];
const MAIL_CHOICES: MailHosting[] = [
  ...LAB_EMAIL_PROVIDERS.filter((p) => p.exchanges.length > 0).map((provider): MailHosting => ({ kind: 'provider', provider })),
  { kind: 'self' },
  { kind: 'unknown', exchanges: UNKNOWN_MAIL_EXCHANGES },
  { kind: 'none' },
];
const providerById = (id: number) => DNS_CHOICES.find((c) => c.kind === 'provider' && c.provider.id === id) as DnsHosting;
const mailById = (id: number) => MAIL_CHOICES.find((c) => c.kind === 'provider' && c.provider.id === id) as MailHosting;

// Realistic mix for sites past the forced range (rough shares of the 2021 top million).
const DNS_WEIGHTS: ReadonlyArray<readonly [DnsHosting, number]> = [
  [providerById(4), 24],
  [providerById(5), 12],
  [providerById(8), 10],
  [{ kind: 'self' }, 8],
  [{ kind: 'unknown', hosts: UNKNOWN_DNS_HOSTS }, 6],
  [providerById(12), 4],
  [providerById(17), 3],
  [providerById(19), 3],
  [providerById(6), 3],
  ...DNS_CHOICES.filter((c) => c.kind === 'provider' && ![4, 5, 8, 12, 17, 19, 6].includes(c.provider.id)).map(
    (c) => [c, 0.35] as const,
  ),
];
const MAIL_WEIGHTS: ReadonlyArray<readonly [MailHosting, number]> = [
  [mailById(1), 28],
  [mailById(2), 22],
  [{ kind: 'none' }, 14],
  [{ kind: 'self' }, 8],
  [{ kind: 'unknown', exchanges: UNKNOWN_MAIL_EXCHANGES }, 5],
  ...MAIL_CHOICES.filter((c) => c.kind === 'provider' && ![1, 2].includes(c.provider.id)).map((c) => [c, 0.9] as const),
];

export function createLabWorld(options: LabWorldOptions): LabWorld {
  const size = options.sites;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(size) || size < 1 || size > 10_000_000) {
    throw new Error(`createLabWorld: sites must be an integer from 1 to 10,000,000, got ${String(options.sites)}`);
  }
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`createLabWorld: seed must be a non-negative integer, got ${String(options.seed)}`);

  const infra = buildInfrastructure();
  const cache = new Map<number, LabSite>();
  const scenarioWeights = SCENARIOS.map((s) => [s, s.weight] as const);

  function domain(index: number): string {
    const rng = new Rng(seed, index, 'name');
    return `${rng.pick(WORDS_A)}${rng.pick(WORDS_B)}${index}.${SITE_TLDS[index % 7 === 3 ? 1 : 0]}`;
  }

  function scenarioOf(index: number): Scenario {
    if (index < SCENARIOS.length) return SCENARIOS[index];
    return new Rng(seed, index, 'scenario').weighted(scenarioWeights);
  }

  function buildSite(index: number): LabSite {
    const rng = new Rng(seed, index, 'site');
    const name = domain(index);
    const poolStart = new Rng(seed, index, 'pool').int(0, SELF_HOSTED_POOL_SIZE - 1);
    const b = new SiteBuilder(index, name, seed, rng, (slot) => selfHostedAddress((poolStart + slot) % SELF_HOSTED_POOL_SIZE));
    const forced = index < FORCED_PROVIDER_SITES;
    const ctx: BaselineContext = {
      dns: forced ? DNS_CHOICES[index % DNS_CHOICES.length] : rng.weighted(DNS_WEIGHTS),
      mail: forced ? MAIL_CHOICES[index % MAIL_CHOICES.length] : rng.weighted(MAIL_WEIGHTS),
      addressOfHost: (host) => {
        const address = infra.hostAddress.get(host);
        if (!address) throw new Error(`lab: no address for name-server host ${host}`);
        return address;
      },
    };
    applyBaseline(b, ctx);
    const scenario = scenarioOf(index);
    scenario.apply(b);
    return b.build(index + 1, scenario.id);
  }

  function site(index: number): LabSite {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`lab site index ${String(index)} is outside 0..${size - 1}`);
    }
    let s = cache.get(index);
    if (s) return s;
    s = buildSite(index);
    if (cache.size >= SITE_CACHE_LIMIT) cache.delete(cache.keys().next().value as number);
    cache.set(index, s);
    return s;
  }

  function indexOf(name: string): number | undefined {
    const labels = normalise(name).split('.');
    if (labels.length < 2) return undefined;
    const tld = labels[labels.length - 1];
    if (!(SITE_TLDS as readonly string[]).includes(tld)) return undefined;
    const match = /^[a-z]+(\d+)$/.exec(labels[labels.length - 2]);
    if (!match || match[1].length > 8 || (match[1].length > 1 && match[1][0] === '0')) return undefined;
    const index = Number(match[1]);
    if (index >= size) return undefined;
    return domain(index) === `${labels[labels.length - 2]}.${tld}` ? index : undefined;
  }

  const zoneIndexCache = new WeakMap<LabZone, Map<string, Map<LabRRType, LabRecord[]>>>();
  function zoneIndex(zone: LabZone): Map<string, Map<LabRRType, LabRecord[]>> {
    let index = zoneIndexCache.get(zone);
    if (!index) {
      index = new Map();
      for (const record of zone.records) {
        let byType = index.get(record.name);
        if (!byType) index.set(record.name, (byType = new Map()));
        const list = byType.get(record.type);
        if (list) list.push(record);
        else byType.set(record.type, [record]);
      }
      zoneIndexCache.set(zone, index);
    }
    return index;
  }

  function tldSoa(tld: string): LabRecord {
    return rr(tld, 'SOA', {
      mname: 'a.lab-tld-servers.example.net',
      rname: 'hostmaster.lab-tld-servers.example.net',
      serial: 2024010100,
      refresh: 1800,
      retry: 900,
      expire: 604800,
      minimum: 86400,
    }, 86400);
  }

  /** Answer from one zone's data: NOERROR, NODATA or NXDOMAIN with the SOA as authority. */
  function answerFromZone(zone: LabZone, name: string, type: LabRRType, aa: boolean): LabAnswer {
    const index = zoneIndex(zone);
    const soa = index.get(zone.origin)?.get('SOA') ?? [];
    const atName = index.get(name);
    if (atName) {
      const records = atName.get(type);
      if (records) return { rcode: 'NOERROR', aa, answers: records, authorities: [] };
      const cname = atName.get('CNAME');
      if (cname && type !== 'CNAME') {
        const target = (cname[0].data as string).toLowerCase();
        const chased = target === zone.origin || target.endsWith('.' + zone.origin) ? index.get(target)?.get(type) ?? [] : [];
        return { rcode: 'NOERROR', aa, answers: [...cname, ...chased], authorities: chased.length ? [] : soa.slice(0, 1) };
      }
      return { rcode: 'NOERROR', aa, answers: [], authorities: soa.slice(0, 1) };
    }
    for (const owner of index.keys()) {
      if (owner.endsWith('.' + name)) return { rcode: 'NOERROR', aa, answers: [], authorities: soa.slice(0, 1) }; // empty non-terminal
    }
    return { rcode: 'NXDOMAIN', aa, answers: [], authorities: soa.slice(0, 1) };
  }

  function zoneFor(s: LabSite, name: string): LabZone {
    let best = s.zone;
    for (const child of s.childZones) {
      if ((name === child.origin || name.endsWith('.' + child.origin)) && child.origin.length > best.origin.length) best = child;
    }
    return best;
  }

  function siteData(s: LabSite, name: string, type: LabRRType, aa: boolean): LabAnswer {
    const tld = s.domain.slice(s.domain.indexOf('.') + 1);
    if (s.nonexistent) return { rcode: 'NXDOMAIN', aa, answers: [], authorities: [tldSoa(tld)] };
    if (type === 'DS' && name === s.domain && !aa) {
      // The parent side of the zone cut: a resolver asks the TLD for DS.
      return { rcode: 'NOERROR', aa: false, answers: s.ds, authorities: s.ds.length ? [] : [tldSoa(tld)] };
    }
    return answerFromZone(zoneFor(s, name), name, type, aa);
  }

  function resolve(rawName: string, type: LabRRType): LabAnswer {
    const name = normalise(rawName);
    const index = indexOf(name);
    if (index === undefined) {
      if ((SITE_TLDS as readonly string[]).includes(name)) {
        const soa = tldSoa(name);
        return type === 'SOA' ? { rcode: 'NOERROR', aa: false, answers: [soa], authorities: [] } : { rcode: 'NOERROR', aa: false, answers: [], authorities: [soa] };
      }
      return infra.resolve(name, type);
    }
    return resolveInSite(site(index), name, type);
  }

  function resolveInSite(s: LabSite, name: string, type: LabRRType): LabAnswer {
    const fault = s.faults.find((f) => (f.name === '*' || f.name === name) && (f.type === '*' || f.type === type));
    if (fault?.action.kind === 'rcode') return { rcode: fault.action.rcode, aa: false, answers: [], authorities: [] };
    if (fault?.action.kind === 'drop') return { rcode: 'NOERROR', aa: false, answers: [], authorities: [], action: fault.action };
    const answer = siteData(s, name, type, false);
    return fault ? { ...answer, action: fault.action } : answer;
  }

  function authoritative(address: string, rawName: string, type: LabRRType): LabAnswer {
    const name = normalise(rawName);
    const index = indexOf(name);
    if (index === undefined) return { rcode: 'REFUSED', aa: false, answers: [], authorities: [] };
    return authoritativeInSite(site(index), address, name, type);
  }

  function authoritativeInSite(s: LabSite, address: string, name: string, type: LabRRType): LabAnswer {
    const refused: LabAnswer = { rcode: 'REFUSED', aa: false, answers: [], authorities: [] };
    if (s.nonexistent) return refused;
    const server = s.nameServers.find((ns) => ns.address === address);
    if (!server) return refused;
    const behaviour = server.behaviour;
    switch (behaviour.kind) {
      case 'drop':
        return { ...refused, rcode: 'NOERROR', action: { kind: 'drop' } };
      case 'servfail':
        return { ...refused, rcode: 'SERVFAIL' };
      case 'refused':
        return refused;
      case 'not-authoritative':
        return siteData(s, name, type, false);
      case 'ns-set':
        if (type === 'NS' && name === s.domain) {
          return { rcode: 'NOERROR', aa: true, answers: behaviour.hosts.map((h) => rr(s.domain, 'NS', h)), authorities: [] };
        }
        break;
      case 'soa-serial':
        if (type === 'SOA' && name === s.domain) {
          const answer = siteData(s, name, type, true);
          return { ...answer, answers: answer.answers.map((r) => (r.type === 'SOA' ? { ...r, data: { ...r.data, serial: behaviour.serial } } : r)) };
        }
        break;
      case 'ok':
        break;
    }
    return siteData(s, name, type, true);
  }

  /** A site as site(index) builds it, without keeping it in the site cache (for one pass over many). */
  function buildUncached(index: number): LabSite {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`lab site index ${String(index)} is outside 0..${size - 1}`);
    }
    return cache.get(index) ?? buildSite(index);
  }

  return {
    size,
    seed,
    scenarios: SCENARIOS,
    nameServerAddresses: [...new Set([...infra.hostAddress.values()]), ...Array.from({ length: SELF_HOSTED_POOL_SIZE }, (_, k) => selfHostedAddress(k))],
    siteTlds: SITE_TLDS,
    domain,
    site,
    scenarioOf,
    indexOf,
    resolve,
    authoritative,
    buildSite: buildUncached,
    resolveInSite,
    authoritativeInSite,
    infrastructureZones: () => infra.zones(),
    tldSoa,
  };
}

function normalise(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function selfHostedAddress(k: number): string {
  return `127.54.0.${k + 1}`;
}

// ---------------------------------------------------------------- provider infrastructure

interface Infrastructure {
  hostAddress: Map<string, string>;
  resolve(name: string, type: LabRRType): LabAnswer;
  zones(): LabZone[];
}

/** Registrable domain of an infrastructure name (enough of the public suffix list for these names). */
export function registrableDomain(name: string): string {
  const labels = name.split('.');
  const twoLevelSuffixes = ['co.uk'];
  const take = twoLevelSuffixes.some((s) => name.endsWith('.' + s)) ? 3 : 2;
  return labels.slice(-take).join('.');
}

let infrastructureSingleton: Infrastructure | undefined;

function buildInfrastructure(): Infrastructure {
  if (infrastructureSingleton) return infrastructureSingleton;
  const records: LabRecord[] = [];
  const hostAddress = new Map<string, string>();
  let n = 0;
  const nsHosts = [...LAB_DNS_PROVIDERS.flatMap((p) => p.hosts), ...UNKNOWN_DNS_HOSTS];
  for (const host of nsHosts) {
    const address = `127.53.${Math.floor(n / 200)}.${(n % 200) + 1}`;
    n++;
    hostAddress.set(host, address);
    records.push(rr(host, 'A', address, 86400));
  }
  let m = 0;
  const mailAddress = (): [string, string] => {
    m++;
    return [`198.51.100.${(m % 250) + 1}`, `2001:db8:25::${m.toString(16)}`];
  };
  for (const provider of LAB_EMAIL_PROVIDERS) {
    for (const exchange of provider.exchanges) {
      const owner = exchange.includes('{label}') ? exchange.replace(/^[^.]*\{label\}[^.]*/, '*') : exchange;
      const [v4, v6] = mailAddress();
      records.push(rr(owner, 'A', v4, 3600), rr(owner, 'AAAA', v6, 3600));
    }
  }
  for (const exchange of UNKNOWN_MAIL_EXCHANGES) {
    const [v4] = mailAddress();
    records.push(rr(exchange, 'A', v4, 3600));
  }
  // An exchange under a TLD nobody delegates (scenario mx-not-public).
  records.push(rr('mailhost.lan', 'A', '198.51.100.250'));

  // SPF include targets: what the providers really publish, trimmed to a few networks each.
  const spf = (name: string, text: string) => records.push(rr(name, 'TXT', [text], 3600));
  spf('_spf.google.com', 'v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all');
  spf('_netblocks.google.com', 'v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ip4:66.102.0.0/20 ip4:66.249.80.0/20 ~all');
  spf('_netblocks2.google.com', 'v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ip6:2607:f8b0:4000::/36 ~all');
  spf('_netblocks3.google.com', 'v=spf1 ip4:172.217.0.0/19 ip4:172.217.32.0/20 ip4:108.177.8.0/21 ~all');
  spf('spf.protection.outlook.com', 'v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/14 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 include:spfd.protection.outlook.com -all');
  spf('spfd.protection.outlook.com', 'v=spf1 ip4:51.4.72.0/24 ip4:51.5.72.0/24 ip4:51.5.80.0/27 -all');
  let net = 0;
  for (const provider of LAB_EMAIL_PROVIDERS) {
    const mechanism = provider.spfMechanism;
    if (!mechanism) continue;
    const target = mechanism.slice(mechanism.indexOf(':') + 1);
    if (records.some((r) => r.name === target && r.type === (mechanism.startsWith('a:') ? 'A' : 'TXT'))) continue;
    net++;
    if (mechanism.startsWith('a:')) records.push(rr(target, 'A', `185.${100 + net}.10.1`, 3600));
    else spf(target, `v=spf1 ip4:185.${100 + net}.0.0/16 ip4:185.${100 + net}.128.0/17 ~all`);
  }

  const byName = new Map<string, Map<LabRRType, LabRecord[]>>();
  for (const record of records) {
    let byType = byName.get(record.name);
    if (!byType) byName.set(record.name, (byType = new Map()));
    byType.set(record.type, [...(byType.get(record.type) ?? []), record]);
  }
  const origins = new Set(records.map((r) => registrableDomain(r.name.replace(/^\*\./, ''))));
  const soaFor = (origin: string) =>
    rr(origin, 'SOA', {
      mname: `ns1.${origin}`,
      rname: `hostmaster.${origin}`,
      serial: 2024010101,
      refresh: 7200,
      retry: 3600,
      expire: 1209600,
      minimum: 3600,
    }, 3600);

  const resolveInfra = (name: string, type: LabRRType): LabAnswer => {
    const origin = registrableDomain(name);
    const soa = origins.has(origin) ? [soaFor(origin)] : [];
    if (type === 'SOA' && origins.has(name)) return { rcode: 'NOERROR', aa: false, answers: soa, authorities: [] };
    let byType = byName.get(name);
    if (!byType) {
      const wildcard = `*.${name.slice(name.indexOf('.') + 1)}`;
      const wild = byName.get(wildcard);
      if (wild) {
        byType = new Map([...wild].map(([t, list]) => [t, list.map((r) => ({ ...r, name }) as LabRecord)]));
      }
    }
    if (byType) {
      const answers = byType.get(type);
      return answers ? { rcode: 'NOERROR', aa: false, answers, authorities: [] } : { rcode: 'NOERROR', aa: false, answers: [], authorities: soa };
    }
    if (origins.has(name)) return { rcode: 'NOERROR', aa: false, answers: [], authorities: soa };
    for (const owner of byName.keys()) if (owner.endsWith('.' + name)) return { rcode: 'NOERROR', aa: false, answers: [], authorities: soa };
    return { rcode: 'NXDOMAIN', aa: false, answers: [], authorities: soa };
  };

  const zones = (): LabZone[] =>
    [...origins].sort().map((origin) => ({
      origin,
      records: [
        soaFor(origin),
        rr(origin, 'NS', 'a.lab-infra-ns.example.net', 86400),
        ...records.filter((r) => registrableDomain(r.name.replace(/^\*\./, '')) === origin),
      ],
    }));

  infrastructureSingleton = { hostAddress, resolve: resolveInfra, zones };
  return infrastructureSingleton;
}
