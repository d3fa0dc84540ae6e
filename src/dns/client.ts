// One DNS question in, one recorded QueryOutcome out: attempts with timeouts across servers,
// EDNS0 (DO where asked), TCP after truncation, a FORMERR retry without EDNS (RFC 6891 §7), all
// under the process-wide limits, plus a bounded cache for answers many sites share.
import { AdaptiveConcurrencyLimit, DestinationRateLimiter } from './limiter';
import { TtlLruCache } from './cache';
import { extractAnswers } from './present';
import { Transport, type DecodedMessage, type ExchangeResult, type TransportCounters } from './transport';
import { formatServer, type ServerAddress } from './servers';
import type { QueryOutcome, QueryStatus, RRType } from './types';

export interface ClientOptions {
  timeoutMs: number;
  attempts: number;
  maxInFlight: number;
  minInFlight: number;
  initialInFlight: number;
  backoffTimeoutRatio: number;
  perResolverQps: number;
  perNameServerQps: number;
  rateBurst: number;
  udpSockets: number;
  ednsUdpSize: number;
  receiveBufferBytes: number;
  cacheEntries: number;
  cacheMaxTtlSeconds: number;
  negativeCacheTtlSeconds: number;
}

export type DestinationRole = 'resolver' | 'nameserver';

export interface QueryRequest {
  name: string; // normalised
  type: RRType;
  /** Tried in rotation, one per attempt. */
  servers: readonly ServerAddress[];
  role: DestinationRole;
  recursionDesired: boolean;
  dnssecOk?: boolean;
  /** performance.now() instant after which nothing more is sent. */
  deadline?: number;
}

/** Upper bounds (ms) of the latency histogram; the last bucket is +Inf. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000] as const;

export interface ClientStats {
  /** Queries answered from the network (cache hits excluded), by type then status. */
  queriesByType: Record<string, Partial<Record<QueryStatus, number>>>;
  queriesByStatus: Partial<Record<QueryStatus, number>>;
  queries: number;
  attempts: number;
  retries: number;
  tcpFallbacks: number;
  ednsFallbacks: number;
  /** Queries not sent at all because the site's deadline had passed. */
  deadlineSkips: number;
  latency: { bucketsMs: readonly number[]; cumulativeCounts: number[]; count: number; sumMs: number };
  inFlight: number;
  inFlightLimit: number;
  queuedForSlot: number;
  concurrencyBackoffs: number;
  concurrencyIncreases: number;
  rateLimit: { waits: number; waitedMs: number; destinations: number };
  cache: { hits: number; misses: number; entries: number; evictions: number; sharedInFlight: number };
  transport: TransportCounters;
}

const STATUS_BY_RCODE: Record<number, QueryStatus> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

const MIN_ATTEMPT_MS = 10;

// 'ip:port' of a server, built once per address object (a hot path: every query records it).
const serverKeys = new WeakMap<ServerAddress, string>();
function serverKey(server: ServerAddress): string {
  let key = serverKeys.get(server);
  if (key === undefined) {
    key = formatServer(server);
    serverKeys.set(server, key);
  }
  return key;
}

const distinctCounts = new WeakMap<readonly ServerAddress[], number>();
function distinctCount(servers: readonly ServerAddress[]): number {
  let count = distinctCounts.get(servers);
  if (count === undefined) {
    count = new Set(servers.map(serverKey)).size;
    distinctCounts.set(servers, count);
  }
  return count;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Negative-caching TTL of RFC 2308 §5: the smaller of the authority SOA's TTL and its MINIMUM. */
function negativeTtl(message: DecodedMessage | undefined): number | undefined {
  const soa = message?.authorities.find((record) => record.type === 'SOA');
  const minimum = (soa?.data as { minimum?: number } | undefined)?.minimum;
  if (soa === undefined || typeof soa.ttl !== 'number' || typeof minimum !== 'number') return undefined;
  return Math.min(soa.ttl, minimum);
}

export class DnsClient {
  readonly transport: Transport;
  readonly limit: AdaptiveConcurrencyLimit;
  readonly rate = new DestinationRateLimiter();
  readonly cache: TtlLruCache<{ outcome: QueryOutcome }>;
  private readonly sharing = new Map<string, Promise<QueryOutcome>>();
  private sharedInFlight = 0;
  private rotation = 0;
  private closed = false;
  private readonly counts = {
    byType: {} as Record<string, Partial<Record<QueryStatus, number>>>,
    byStatus: {} as Partial<Record<QueryStatus, number>>,
    queries: 0,
    attempts: 0,
    retries: 0,
    tcpFallbacks: 0,
    ednsFallbacks: 0,
    deadlineSkips: 0,
    latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
    latencySumMs: 0,
  };

  constructor(private readonly options: ClientOptions) {
    if (!(options.attempts >= 1)) throw new Error(`attempts must be at least 1 (got ${options.attempts})`);
    if (!(options.timeoutMs > 0)) throw new Error(`timeoutMs must be positive (got ${options.timeoutMs})`);
    this.transport = new Transport({
      udpSockets: options.udpSockets,
      ednsUdpSize: options.ednsUdpSize,
      receiveBufferBytes: options.receiveBufferBytes,
    });
    this.limit = new AdaptiveConcurrencyLimit({
      max: options.maxInFlight,
      min: options.minInFlight,
      initial: options.initialInFlight,
      backoffTimeoutRatio: options.backoffTimeoutRatio,
      growTimeoutRatio: options.backoffTimeoutRatio / 5,
      windowCompletions: 100,
    });
    this.cache = new TtlLruCache(options.cacheEntries);
  }

  /**
   * Like query(), but answers shared by many sites come from the per-process cache (for their
   * TTL, capped), and concurrent identical questions share one query. Failures are not cached.
   */
  queryShared(request: QueryRequest): Promise<QueryOutcome> {
    const key = `${request.role}|${request.recursionDesired ? 1 : 0}|${request.type}|${request.name}`;
    const hit = this.cache.get(key);
    if (hit) return Promise.resolve({ ...hit.outcome, cached: true });
    const inFlight = this.sharing.get(key);
    if (inFlight) {
      this.sharedInFlight++;
      return inFlight.then((outcome) => ({ ...outcome, cached: true }));
    }
    const query = this.queryWithMessage(request).then(({ outcome, message }) => {
      this.sharing.delete(key);
      const ttl =
        outcome.status === 'NOERROR'
          ? Math.min(outcome.ttl ?? 0, this.options.cacheMaxTtlSeconds)
          : outcome.status === 'NXDOMAIN' || outcome.status === 'NODATA'
            ? Math.min(negativeTtl(message) ?? this.options.negativeCacheTtlSeconds, this.options.negativeCacheTtlSeconds)
            : 0;
      this.cache.set(key, { outcome }, ttl);
      return outcome;
    });
    this.sharing.set(key, query);
    return query;
  }

  async query(request: QueryRequest): Promise<QueryOutcome> {
    return (await this.queryWithMessage(request)).outcome;
  }

  private async queryWithMessage(request: QueryRequest): Promise<{ outcome: QueryOutcome; message?: DecodedMessage }> {
    const started = performance.now();
    const deadline = request.deadline ?? Infinity;
    const servers = request.servers;
    if (servers.length === 0) throw new Error(`no server to ask ${request.type} ${request.name}`);
    const distinctServers = servers.length === 1 ? 1 : distinctCount(servers);
    let serverIndex = this.rotation++ % servers.length;
    if (this.rotation > 1e9) this.rotation = 0;
    const qps = request.role === 'resolver' ? this.options.perResolverQps : this.options.perNameServerQps;

    let attempts = 0;
    let edns = true;
    let last: { result: ExchangeResult; server: ServerAddress; transport: 'udp' | 'tcp' } | undefined;
    let deadlineReached = false;

    for (let attempt = 0; attempt < this.options.attempts && !this.closed; attempt++) {
      const server = servers[serverIndex % servers.length]!;
      // An attempt with only a few ms left could not get an answer from anything but loopback.
      if (deadline - performance.now() < MIN_ATTEMPT_MS) {
        deadlineReached = true;
        break;
      }
      const wait = qps > 0 ? this.rate.reserve(`${request.role}|${serverKey(server)}`, qps, this.options.rateBurst, deadline) : 0;
      if (wait === null) {
        deadlineReached = true;
        break;
      }
      if (wait > 0) await sleep(wait);
      const slot = this.limit.acquire();
      if (slot) await slot;
      let result: ExchangeResult | undefined;
      let transport: 'udp' | 'tcp' = 'udp';
      try {
        const timeoutMs = Math.ceil(Math.max(1, Math.min(this.options.timeoutMs, deadline - performance.now())));
        const exchange = {
          server,
          name: request.name,
          type: request.type,
          recursionDesired: request.recursionDesired,
          edns,
          dnssecOk: edns && request.dnssecOk === true,
          timeoutMs,
        };
        attempts++;
        if (attempts > 1) this.counts.retries++;
        result = await this.transport.udp(exchange, request.role === 'resolver');
        if (result.kind === 'response' && result.message.flag_tc) {
          this.counts.tcpFallbacks++;
          transport = 'tcp';
          result = await this.transport.tcp({
            ...exchange,
            timeoutMs: Math.ceil(Math.max(1, Math.min(this.options.timeoutMs, deadline - performance.now()))),
          });
        }
      } finally {
        this.limit.release(result?.kind === 'timeout');
      }
      last = { result, server, transport };
      if (result.kind === 'response') {
        const rcode = result.message.rcode;
        if (rcode === 1 && edns) {
          // An old server that rejects EDNS: ask the same server again without it.
          edns = false;
          this.counts.ednsFallbacks++;
          continue;
        }
        if ((rcode === 2 || rcode === 5) && distinctServers > 1) {
          serverIndex++;
          continue;
        }
        break;
      }
      serverIndex++; // timeout, network error or malformed answer: the next attempt goes elsewhere
    }
    this.counts.attempts += attempts;

    let outcome: QueryOutcome;
    let message: DecodedMessage | undefined;
    if (!last) {
      this.counts.deadlineSkips++;
      outcome = {
        name: request.name,
        type: request.type,
        status: this.closed ? 'NETWORK_ERROR' : 'TIMEOUT',
        records: [],
        data: [],
        server: serverKey(servers[serverIndex % servers.length]!),
        attempts: 0,
        error: this.closed ? 'scanner closed' : 'site deadline reached before the query was sent',
      };
    } else {
      if (last.result.kind === 'response') message = last.result.message;
      outcome = this.buildOutcome(request, last.result, last.server, last.transport, attempts);
      if (deadlineReached && outcome.status === 'TIMEOUT') outcome.error = 'site deadline reached';
    }
    this.record(outcome, performance.now() - started);
    return { outcome, message };
  }

  private buildOutcome(
    request: QueryRequest,
    result: ExchangeResult,
    server: ServerAddress,
    transport: 'udp' | 'tcp',
    attempts: number,
  ): QueryOutcome {
    const base = {
      name: request.name,
      type: request.type,
      server: serverKey(server),
      transport,
      rttMs: Math.round(result.rttMs * 1000) / 1000,
      attempts,
    };
    switch (result.kind) {
      case 'timeout':
        return { ...base, status: 'TIMEOUT', records: [], data: [] };
      case 'network-error':
        return { ...base, status: 'NETWORK_ERROR', records: [], data: [], error: result.error };
      case 'malformed':
        return { ...base, status: 'MALFORMED', records: [], data: [], error: result.error };
      case 'response': {
        const message = result.message;
        const flags = { aa: message.flag_aa, tc: message.flag_tc, ad: message.flag_ad, ra: message.flag_ra };
        try {
          const section = extractAnswers(request.name, request.type, message.answers);
          let status: QueryStatus;
          if (message.rcode === 0) status = section.records.length > 0 ? 'NOERROR' : 'NODATA';
          else status = STATUS_BY_RCODE[message.rcode] ?? 'RCODE';
          const outcome: QueryOutcome = { ...base, status, rcode: message.rcode, records: section.records, data: section.data, flags };
          if (section.ttl !== undefined) outcome.ttl = section.ttl;
          if (section.cnames) outcome.cnames = section.cnames;
          return outcome;
        } catch (err) {
          return { ...base, status: 'MALFORMED', rcode: message.rcode, records: [], data: [], flags, error: `unreadable record data: ${(err as Error).message}` };
        }
      }
    }
  }

  private record(outcome: QueryOutcome, elapsedMs: number): void {
    const counts = this.counts;
    counts.queries++;
    const byType = (counts.byType[outcome.type] ??= {});
    byType[outcome.status] = (byType[outcome.status] ?? 0) + 1;
    counts.byStatus[outcome.status] = (counts.byStatus[outcome.status] ?? 0) + 1;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS_MS.length && elapsedMs > LATENCY_BUCKETS_MS[bucket]!) bucket++;
    counts.latencyCounts[bucket]!++;
    counts.latencySumMs += elapsedMs;
  }

  stats(): ClientStats {
    const counts = this.counts;
    const cumulativeCounts: number[] = [];
    let running = 0;
    for (const count of counts.latencyCounts) cumulativeCounts.push((running += count));
    return {
      queriesByType: structuredClone(counts.byType),
      queriesByStatus: { ...counts.byStatus },
      queries: counts.queries,
      attempts: counts.attempts,
      retries: counts.retries,
      tcpFallbacks: counts.tcpFallbacks,
      ednsFallbacks: counts.ednsFallbacks,
      deadlineSkips: counts.deadlineSkips,
      latency: { bucketsMs: LATENCY_BUCKETS_MS, cumulativeCounts, count: running, sumMs: counts.latencySumMs },
      inFlight: this.limit.inFlight,
      inFlightLimit: this.limit.limit,
      queuedForSlot: this.limit.queued,
      concurrencyBackoffs: this.limit.backoffs,
      concurrencyIncreases: this.limit.increases,
      rateLimit: { waits: this.rate.waits, waitedMs: Math.round(this.rate.waitedMs), destinations: this.rate.destinations },
      cache: {
        hits: this.cache.hits,
        misses: this.cache.misses,
        entries: this.cache.size,
        evictions: this.cache.evictions,
        sharedInFlight: this.sharedInFlight,
      },
      transport: { ...this.transport.counters },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.transport.close();
  }
}
