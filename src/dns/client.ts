// One DNS question in, one recorded QueryOutcome out: attempts with timeouts across servers,
// EDNS0 (DO where asked), TCP after truncation, a FORMERR retry without EDNS (RFC 6891 §7), all
// under the process-wide limits, plus a bounded cache for answers many sites share.
import { AdaptiveConcurrencyLimit, DestinationRateLimiter } from './limiter';
import { TtlLruCache } from './cache';
import { extractAnswers, type AnswerSection } from './present';
import { Transport, type DecodedMessage, type ExchangeRequest, type ExchangeResult, type TransportCounters } from './transport';
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

// Outcomes are built as object literals with their keys in one order, never with `{ ...base,
// more }`: in this V8 a spread followed by more properties costs ~0.7 µs per extra property,
// which made building an outcome cost more than decoding its answer.

/** A copy of `outcome` marked as served from the cache (records and data are shared, not copied). */
function cachedCopy(outcome: QueryOutcome): QueryOutcome {
  const copy: QueryOutcome = {
    name: outcome.name,
    type: outcome.type,
    server: outcome.server,
    transport: outcome.transport,
    rttMs: outcome.rttMs,
    attempts: outcome.attempts,
    status: outcome.status,
    rcode: outcome.rcode,
    records: outcome.records,
    data: outcome.data,
    flags: outcome.flags,
  };
  // Only answers are cached, and they always carry the keys above; optional ones follow.
  if (outcome.ttl !== undefined) copy.ttl = outcome.ttl;
  if (outcome.cnames !== undefined) copy.cnames = outcome.cnames;
  if (outcome.error !== undefined) copy.error = outcome.error;
  copy.cached = true;
  return copy;
}

function failureOutcome(
  request: QueryRequest,
  server: string,
  transport: 'udp' | 'tcp',
  rttMs: number,
  attempts: number,
  status: QueryStatus,
  error: string | undefined,
): QueryOutcome {
  const outcome: QueryOutcome = { name: request.name, type: request.type, server, transport, rttMs, attempts, status, records: [], data: [] };
  if (error !== undefined) outcome.error = error;
  return outcome;
}

/** Where execute() leaves what queryShared needs of the answer besides the outcome. */
interface AnswerDetails {
  negativeTtl?: number;
}

export class DnsClient {
  readonly transport: Transport;
  readonly limit: AdaptiveConcurrencyLimit;
  /** Per-destination rate limits: one table per role, keyed by 'ip:port'. */
  readonly resolverRate = new DestinationRateLimiter();
  readonly nameServerRate = new DestinationRateLimiter();
  readonly cache: TtlLruCache<QueryOutcome>;
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
    const key = `${request.role === 'resolver' ? 'r' : 'n'}${request.recursionDesired ? 1 : 0}${request.dnssecOk === true ? 1 : 0}${request.type}|${request.name}`;
    const hit = this.cache.get(key);
    if (hit) return Promise.resolve(cachedCopy(hit));
    const inFlight = this.sharing.get(key);
    if (inFlight) {
      this.sharedInFlight++;
      return inFlight.then(cachedCopy);
    }
    const details: AnswerDetails = {};
    const query = this.execute(request, details).then((outcome) => {
      this.sharing.delete(key);
      const ttl =
        outcome.status === 'NOERROR'
          ? Math.min(outcome.ttl ?? 0, this.options.cacheMaxTtlSeconds)
          : outcome.status === 'NXDOMAIN' || outcome.status === 'NODATA'
            ? Math.min(details.negativeTtl ?? this.options.negativeCacheTtlSeconds, this.options.negativeCacheTtlSeconds)
            : 0;
      this.cache.set(key, outcome, ttl);
      return outcome;
    });
    this.sharing.set(key, query);
    return query;
  }

  query(request: QueryRequest): Promise<QueryOutcome> {
    return this.execute(request, undefined);
  }

  private async execute(request: QueryRequest, details: AnswerDetails | undefined): Promise<QueryOutcome> {
    const started = performance.now();
    const deadline = request.deadline ?? Infinity;
    const servers = request.servers;
    if (servers.length === 0) throw new Error(`no server to ask ${request.type} ${request.name}`);
    const distinctServers = servers.length === 1 ? 1 : distinctCount(servers);
    let serverIndex = this.rotation++ % servers.length;
    if (this.rotation > 1e9) this.rotation = 0;
    const isResolver = request.role === 'resolver';
    const qps = isResolver ? this.options.perResolverQps : this.options.perNameServerQps;
    const rate = isResolver ? this.resolverRate : this.nameServerRate;

    let attempts = 0;
    let edns = true;
    let last: ExchangeResult | undefined;
    let lastServer: ServerAddress | undefined;
    let lastTransport: 'udp' | 'tcp' = 'udp';
    let deadlineReached = false;

    for (let attempt = 0; attempt < this.options.attempts && !this.closed; attempt++) {
      const server = servers[serverIndex % servers.length]!;
      // An attempt with only a few ms left could not get an answer from anything but loopback.
      if (deadline - performance.now() < MIN_ATTEMPT_MS) {
        deadlineReached = true;
        break;
      }
      if (qps > 0) {
        const wait = rate.reserve(serverKey(server), qps, this.options.rateBurst, deadline);
        if (wait === null) {
          deadlineReached = true;
          break;
        }
        if (wait > 0) await sleep(wait);
      }
      const slot = this.limit.acquire();
      if (slot) await slot;
      let result: ExchangeResult | undefined;
      let transport: 'udp' | 'tcp' = 'udp';
      try {
        const exchange: ExchangeRequest = {
          server,
          name: request.name,
          type: request.type,
          recursionDesired: request.recursionDesired,
          edns,
          dnssecOk: edns && request.dnssecOk === true,
          timeoutMs: Math.ceil(Math.max(1, Math.min(this.options.timeoutMs, deadline - performance.now()))),
          // Only a shared answer's negative-caching TTL reads the authority section.
          authorities: details !== undefined,
        };
        attempts++;
        if (attempts > 1) this.counts.retries++;
        result = await this.transport.udp(exchange, isResolver);
        if (result.kind === 'response' && result.message.flag_tc) {
          this.counts.tcpFallbacks++;
          transport = 'tcp';
          exchange.timeoutMs = Math.ceil(Math.max(1, Math.min(this.options.timeoutMs, deadline - performance.now())));
          result = await this.transport.tcp(exchange);
        }
      } finally {
        this.limit.release(result?.kind === 'timeout');
      }
      last = result;
      lastServer = server;
      lastTransport = transport;
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
    if (last === undefined || lastServer === undefined) {
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
      outcome = this.buildOutcome(request, last, lastServer, lastTransport, attempts);
      if (details !== undefined && last.kind === 'response' && (outcome.status === 'NXDOMAIN' || outcome.status === 'NODATA')) {
        details.negativeTtl = negativeTtl(last.message);
      }
      if (deadlineReached && outcome.status === 'TIMEOUT') outcome.error = 'site deadline reached';
    }
    this.record(outcome, performance.now() - started);
    return outcome;
  }

  private buildOutcome(
    request: QueryRequest,
    result: ExchangeResult,
    server: ServerAddress,
    transport: 'udp' | 'tcp',
    attempts: number,
  ): QueryOutcome {
    const serverText = serverKey(server);
    const rttMs = Math.round(result.rttMs * 1000) / 1000;
    switch (result.kind) {
      case 'timeout':
        return failureOutcome(request, serverText, transport, rttMs, attempts, 'TIMEOUT', undefined);
      case 'network-error':
        return failureOutcome(request, serverText, transport, rttMs, attempts, 'NETWORK_ERROR', result.error);
      case 'malformed':
        return failureOutcome(request, serverText, transport, rttMs, attempts, 'MALFORMED', result.error);
      case 'response': {
        const message = result.message;
        const flags = { aa: message.flag_aa, tc: message.flag_tc, ad: message.flag_ad, ra: message.flag_ra };
        let section: AnswerSection;
        try {
          section = extractAnswers(request.name, request.type, message.answers);
        } catch (err) {
          return {
            name: request.name,
            type: request.type,
            server: serverText,
            transport,
            rttMs,
            attempts,
            status: 'MALFORMED',
            rcode: message.rcode,
            records: [],
            data: [],
            flags,
            error: `unreadable record data: ${(err as Error).message}`,
          };
        }
        let status: QueryStatus;
        if (message.rcode === 0) status = section.records.length > 0 ? 'NOERROR' : 'NODATA';
        else status = STATUS_BY_RCODE[message.rcode] ?? 'RCODE';
        const outcome: QueryOutcome = {
          name: request.name,
          type: request.type,
          server: serverText,
          transport,
          rttMs,
          attempts,
          status,
          rcode: message.rcode,
          records: section.records,
          data: section.data,
          flags,
        };
        if (section.ttl !== undefined) outcome.ttl = section.ttl;
        if (section.cnames) outcome.cnames = section.cnames;
        return outcome;
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
      rateLimit: {
        waits: this.resolverRate.waits + this.nameServerRate.waits,
        waitedMs: Math.round(this.resolverRate.waitedMs + this.nameServerRate.waitedMs),
        destinations: this.resolverRate.destinations + this.nameServerRate.destinations,
      },
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
