// Scanner configuration: the documented defaults (polite to public resolvers and authoritative
// servers when scanning 1,000,000 sites a day) and how the environment overrides them.
// See src/dns/README.md for the reasoning behind each default and how to tune it.
import { systemResolvers } from './servers';
import { DEFAULT_SPF_WALK_LIMITS, type SpfWalkLimits } from './spf-tree';

export interface ScannerOptions {
  /** Recursive resolvers, 'host:port' (IP literals; '[v6]:port'). Default: /etc/resolv.conf. */
  resolvers: string[];
  /** Port used when asking a domain's name servers directly. Default 53; the lab uses a high port. */
  nameServerPort?: number;
  /** Per-attempt timeout. Default 2,000 ms. */
  timeoutMs: number;
  /** Tries per query, the first included, rotating across resolvers. Default 2. */
  attempts: number;
  /** Process-wide cap on queries in flight (the adaptive limit never exceeds it). Default 256. */
  maxInFlight: number;
  /** Floor of the adaptive limit when timeouts rise. Default 16. */
  minInFlight?: number;
  /** Share of timed-out attempts in a window that halves (×0.7) the in-flight limit. Default 0.05. */
  backoffTimeoutRatio?: number;
  /** Queries per second to each recursive resolver (0 = unlimited). Default 500. */
  perResolverQps: number;
  /** Queries per second to each name-server address asked directly (0 = unlimited). Default 50. */
  perNameServerQps: number;
  /** Back-to-back queries a destination may receive before its rate applies. Default 20. */
  rateBurst?: number;
  /** Entries of the shared-answer cache (NS/MX host addresses, SPF targets). Default 100,000. */
  cacheEntries: number;
  /** TTL cap of cached answers. Default 3,600 s. */
  cacheMaxTtlSeconds?: number;
  /** TTL cap of cached NXDOMAIN/NODATA answers. Default 300 s. */
  negativeCacheTtlSeconds?: number;
  /** Wall-clock budget of one site's scan; what has not been sent by then is recorded TIMEOUT. Default 20,000 ms. */
  siteDeadlineMs?: number;
  /** UDP sockets in the pool (per address family), each on a random source port. Default 4. */
  udpSockets?: number;
  /** EDNS0 UDP payload size advertised (DNS Flag Day 2020). Default 1232. */
  ednsUdpSize?: number;
  /** Kernel receive buffer asked for each UDP socket. Default 4 MiB. */
  receiveBufferBytes?: number;
  /** Name servers of one domain that are examined. Default 16. */
  maxNameServers?: number;
  /** Addresses (A then AAAA) of one name server asked directly. Default 8. */
  maxAddressesPerNameServer?: number;
  /** MX hosts whose addresses are fetched. Default 16. */
  maxMxHosts?: number;
  /** Bounds of the SPF include/redirect walk. */
  spfLimits?: Partial<SpfWalkLimits>;
}

export const DEFAULT_SCANNER_OPTIONS = {
  nameServerPort: 53,
  timeoutMs: 2000,
  attempts: 2,
  maxInFlight: 256,
  minInFlight: 16,
  backoffTimeoutRatio: 0.05,
  perResolverQps: 500,
  perNameServerQps: 50,
  rateBurst: 20,
  cacheEntries: 100_000,
  cacheMaxTtlSeconds: 3600,
  negativeCacheTtlSeconds: 300,
  siteDeadlineMs: 20_000,
  udpSockets: 4,
  ednsUdpSize: 1232,
  receiveBufferBytes: 4 * 1024 * 1024,
  maxNameServers: 16,
  maxAddressesPerNameServer: 8,
  maxMxHosts: 16,
  spfLimits: DEFAULT_SPF_WALK_LIMITS,
} as const;

export type ResolvedScannerOptions = Required<Omit<ScannerOptions, 'spfLimits'>> & { spfLimits: SpfWalkLimits };

export function withDefaults(options: ScannerOptions): ResolvedScannerOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ScannerOptions;
  return {
    ...DEFAULT_SCANNER_OPTIONS,
    ...defined,
    spfLimits: { ...DEFAULT_SPF_WALK_LIMITS, ...(options.spfLimits ?? {}) },
  };
}

/** Environment variables read by scannerOptionsFromEnv, and the option each sets. */
export const SCANNER_ENV = {
  DNSTATS_RESOLVERS: 'resolvers',
  DNSTATS_NS_PORT: 'nameServerPort',
  DNSTATS_DNS_TIMEOUT_MS: 'timeoutMs',
  DNSTATS_DNS_ATTEMPTS: 'attempts',
  DNSTATS_DNS_MAX_IN_FLIGHT: 'maxInFlight',
  DNSTATS_DNS_MIN_IN_FLIGHT: 'minInFlight',
  DNSTATS_DNS_RESOLVER_QPS: 'perResolverQps',
  DNSTATS_DNS_NS_QPS: 'perNameServerQps',
  DNSTATS_DNS_RATE_BURST: 'rateBurst',
  DNSTATS_DNS_CACHE_ENTRIES: 'cacheEntries',
  DNSTATS_DNS_SITE_DEADLINE_MS: 'siteDeadlineMs',
  DNSTATS_DNS_UDP_SOCKETS: 'udpSockets',
} as const;

function integerFromEnv(env: NodeJS.ProcessEnv, variable: string, min: number, max: number): number | undefined {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`invalid ${variable}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
  }
  return Number(text);
}

/**
 * Scanner options from the environment (see SCANNER_ENV), defaults for everything unset.
 * DNSTATS_RESOLVERS is a comma- or space-separated list of 'host:port'; unset means the system's
 * resolvers from /etc/resolv.conf.
 */
export function scannerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, resolvConfPath?: string): ScannerOptions {
  const list = env.DNSTATS_RESOLVERS?.trim();
  const resolvers = list ? list.split(/[\s,]+/).filter(Boolean) : systemResolvers(resolvConfPath);
  const options: ScannerOptions = {
    resolvers,
    nameServerPort: integerFromEnv(env, 'DNSTATS_NS_PORT', 1, 65535) ?? DEFAULT_SCANNER_OPTIONS.nameServerPort,
    timeoutMs: integerFromEnv(env, 'DNSTATS_DNS_TIMEOUT_MS', 1, 60_000) ?? DEFAULT_SCANNER_OPTIONS.timeoutMs,
    attempts: integerFromEnv(env, 'DNSTATS_DNS_ATTEMPTS', 1, 10) ?? DEFAULT_SCANNER_OPTIONS.attempts,
    maxInFlight: integerFromEnv(env, 'DNSTATS_DNS_MAX_IN_FLIGHT', 1, 100_000) ?? DEFAULT_SCANNER_OPTIONS.maxInFlight,
    perResolverQps: integerFromEnv(env, 'DNSTATS_DNS_RESOLVER_QPS', 0, 10_000_000) ?? DEFAULT_SCANNER_OPTIONS.perResolverQps,
    perNameServerQps: integerFromEnv(env, 'DNSTATS_DNS_NS_QPS', 0, 10_000_000) ?? DEFAULT_SCANNER_OPTIONS.perNameServerQps,
    cacheEntries: integerFromEnv(env, 'DNSTATS_DNS_CACHE_ENTRIES', 0, 10_000_000) ?? DEFAULT_SCANNER_OPTIONS.cacheEntries,
  };
  const minInFlight = integerFromEnv(env, 'DNSTATS_DNS_MIN_IN_FLIGHT', 1, 100_000);
  if (minInFlight !== undefined) options.minInFlight = minInFlight;
  const rateBurst = integerFromEnv(env, 'DNSTATS_DNS_RATE_BURST', 1, 1_000_000);
  if (rateBurst !== undefined) options.rateBurst = rateBurst;
  const deadline = integerFromEnv(env, 'DNSTATS_DNS_SITE_DEADLINE_MS', 1, 600_000);
  if (deadline !== undefined) options.siteDeadlineMs = deadline;
  const sockets = integerFromEnv(env, 'DNSTATS_DNS_UDP_SOCKETS', 1, 256);
  if (sockets !== undefined) options.udpSockets = sockets;
  return options;
}
