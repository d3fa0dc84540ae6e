// The scan stage's engine: everything one site needs fetched (spec §5, with the defects of §25.1
// fixed), as one SiteScan, so that processing and grading never touch the network.
// One Scanner per process, shared by every concurrent scanSite call.
import { randomBytes } from 'node:crypto';
import { DnsClient, type ClientStats, type QueryRequest } from './client';
import { normaliseDomain, tryNormaliseQueryName, MAX_NAME_LENGTH } from './names';
import { withDefaults, type ResolvedScannerOptions, type ScannerOptions } from './options';
import { canonicalIPv6, parseServerAddress, type ServerAddress } from './servers';
import { walkSpfTree } from './spf-tree';
import type { HostAddresses, NameServerScan, QueryOutcome, RRType, SiteScan } from './types';

export { scannerOptionsFromEnv, DEFAULT_SCANNER_OPTIONS, SCANNER_ENV, type ScannerOptions } from './options';
export { InvalidDomainError, normaliseDomain } from './names';

export interface ScannerStats extends ClientStats {
  sitesScanned: number;
  sitesInProgress: number;
}

export interface ScanManyResult {
  scanned: number;
  invalid: number;
}

export interface Scanner {
  /**
   * Scans one site. Every DNS outcome (timeouts included) is recorded in the result; the promise
   * rejects only for an invalid name (InvalidDomainError, nothing sent) or a programming error.
   */
  scanSite(domain: string): Promise<SiteScan>;
  /**
   * Scans `domains` with at most `concurrency` sites in flight, handing each result to onResult
   * as it completes (and awaiting it: a slow consumer slows the scan instead of buffering).
   * An invalid name goes to onInvalid when given; otherwise it stops the scan and rejects.
   */
  scanMany(
    domains: Iterable<string> | AsyncIterable<string>,
    concurrency: number,
    onResult: (scan: SiteScan) => void | Promise<void>,
    onInvalid?: (domain: string, error: Error) => void | Promise<void>,
  ): Promise<ScanManyResult>;
  stats(): ScannerStats;
  /** Closes the sockets; queries still in flight end as NETWORK_ERROR. */
  close(): Promise<void>;
  readonly options: Readonly<ResolvedScannerOptions>;
}

const LABEL_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh 15-character label for the wildcard control query (spec DNS-7: never a fixed constant). */
function randomLabel(): string {
  let label = '';
  for (const byte of randomBytes(15)) label += LABEL_ALPHABET[byte % LABEL_ALPHABET.length];
  return label;
}

function skipped(name: string, type: RRType, error: string): QueryOutcome {
  return { name, type, status: 'SKIPPED', records: [], data: [], error };
}

function uniqueHosts(values: string[], max: number): string[] {
  return [...new Set(values)].slice(0, max);
}

export function createScanner(input: ScannerOptions): Scanner {
  const options = withDefaults(input);
  if (options.resolvers.length === 0) throw new Error('no resolvers configured (set DNSTATS_RESOLVERS or /etc/resolv.conf)');
  const resolvers: ServerAddress[] = options.resolvers.map((r) => parseServerAddress(r, 53, 'resolver'));
  if (!Number.isInteger(options.nameServerPort) || options.nameServerPort < 1 || options.nameServerPort > 65535) {
    throw new Error(`invalid nameServerPort ${options.nameServerPort}: expected 1..65535`);
  }
  const client = new DnsClient({
    timeoutMs: options.timeoutMs,
    attempts: options.attempts,
    maxInFlight: options.maxInFlight,
    minInFlight: Math.min(options.minInFlight, options.maxInFlight),
    initialInFlight: Math.max(Math.min(options.minInFlight, options.maxInFlight), Math.ceil(options.maxInFlight / 4)),
    backoffTimeoutRatio: options.backoffTimeoutRatio,
    perResolverQps: options.perResolverQps,
    perNameServerQps: options.perNameServerQps,
    rateBurst: options.rateBurst,
    udpSockets: options.udpSockets,
    ednsUdpSize: options.ednsUdpSize,
    receiveBufferBytes: options.receiveBufferBytes,
    cacheEntries: options.cacheEntries,
    cacheMaxTtlSeconds: options.cacheMaxTtlSeconds,
    negativeCacheTtlSeconds: options.negativeCacheTtlSeconds,
  });
  let sitesScanned = 0;
  let sitesInProgress = 0;
  let closed = false;

  async function scanSite(input: string): Promise<SiteScan> {
    const domain = normaliseDomain(input);
    if (closed) throw new Error('scanner is closed');
    sitesInProgress++;
    try {
      return await scanNormalised(domain);
    } finally {
      sitesInProgress--;
      sitesScanned++;
    }
  }

  async function scanNormalised(domain: string): Promise<SiteScan> {
    const startedAt = new Date().toISOString();
    const deadline = performance.now() + options.siteDeadlineMs;

    const ask = (name: string, type: RRType, via: 'recursive' | 'shared', dnssecOk = false): Promise<QueryOutcome> => {
      if (name.length > MAX_NAME_LENGTH) return Promise.resolve(skipped(name, type, `name longer than ${MAX_NAME_LENGTH} characters`));
      const request: QueryRequest = { name, type, servers: resolvers, role: 'resolver', recursionDesired: true, dnssecOk, deadline };
      return via === 'shared' ? client.queryShared(request) : client.query(request);
    };
    const askDirect = (server: ServerAddress, type: RRType): Promise<QueryOutcome> =>
      client.query({ name: domain, type, servers: [server], role: 'nameserver', recursionDesired: false, deadline });
    const hostAddresses = async (rawHost: string): Promise<HostAddresses> => {
      if (rawHost === '') {
        const reason = 'the target is the root, not a host';
        return { host: '', a: skipped('', 'A', reason), aaaa: skipped('', 'AAAA', reason) };
      }
      const host = tryNormaliseQueryName(rawHost);
      if (host === null) {
        const reason = 'not a valid host name';
        return { host: rawHost, a: skipped(rawHost, 'A', reason), aaaa: skipped(rawHost, 'AAAA', reason) };
      }
      const [a, aaaa] = await Promise.all([ask(host, 'A', 'shared'), ask(host, 'AAAA', 'shared')]);
      return { host, a, aaaa };
    };

    const mx = ask(domain, 'MX', 'recursive');
    const txt = ask(domain, 'TXT', 'recursive');
    const caa = ask(domain, 'CAA', 'recursive');
    const ds = ask(domain, 'DS', 'recursive', true);
    const dnskey = ask(domain, 'DNSKEY', 'recursive', true);
    const ns = ask(domain, 'NS', 'recursive');
    const soa = ask(domain, 'SOA', 'recursive');
    const dmarc = ask(`_dmarc.${domain}`, 'TXT', 'recursive');
    const bimi = ask(`default._bimi.${domain}`, 'TXT', 'recursive');
    const msdcsSoa = ask(`_msdcs.${domain}`, 'SOA', 'recursive');
    const msdcsControlSoa = msdcsSoa.then((answer) =>
      answer.status === 'NOERROR' ? ask(`${randomLabel()}.${domain}`, 'SOA', 'recursive') : undefined,
    );

    const nameServers = ns.then(async (answer): Promise<NameServerScan[]> => {
      if (answer.status !== 'NOERROR') return [];
      const hosts = uniqueHosts(answer.data.flatMap((d) => (d.type === 'NS' ? [d.target] : [])), options.maxNameServers);
      return Promise.all(
        hosts.map(async (rawHost) => {
          const addresses = await hostAddresses(rawHost);
          const servers: ServerAddress[] = [
            ...addresses.a.data.flatMap((d) => (d.type === 'A' ? [{ address: d.address, port: options.nameServerPort, family: 4 as const }] : [])),
            ...addresses.aaaa.data.flatMap((d) =>
              d.type === 'AAAA' ? [{ address: canonicalIPv6(d.address), port: options.nameServerPort, family: 6 as const }] : [],
            ),
          ].slice(0, options.maxAddressesPerNameServer);
          const direct = await Promise.all(
            servers.map(async (server) => {
              const [nsAnswer, soaAnswer] = await Promise.all([askDirect(server, 'NS'), askDirect(server, 'SOA')]);
              return { address: server.address, ns: nsAnswer, soa: soaAnswer };
            }),
          );
          return { host: addresses.host, a: addresses.a, aaaa: addresses.aaaa, direct };
        }),
      );
    });

    const mxHosts = mx.then((answer): Promise<HostAddresses[]> => {
      if (answer.status !== 'NOERROR') return Promise.resolve([]);
      // The null MX (RFC 7505, exchange '.') names no host.
      const hosts = uniqueHosts(answer.data.flatMap((d) => (d.type === 'MX' && d.exchange !== '' ? [d.exchange] : [])), options.maxMxHosts);
      return Promise.all(hosts.map(hostAddresses));
    });

    const spfLookups = txt.then((answer) =>
      walkSpfTree(domain, answer, (name, type) => ask(name, type, 'shared'), options.spfLimits),
    );

    const scan: SiteScan = {
      domain,
      startedAt,
      endedAt: '',
      mx: await mx,
      txt: await txt,
      caa: await caa,
      ds: await ds,
      dnskey: await dnskey,
      ns: await ns,
      soa: await soa,
      dmarc: await dmarc,
      bimi: await bimi,
      msdcsSoa: await msdcsSoa,
      nameServers: await nameServers,
      mxHosts: await mxHosts,
      spfLookups: await spfLookups,
    };
    const control = await msdcsControlSoa;
    if (control) scan.msdcsControlSoa = control;
    scan.endedAt = new Date().toISOString();
    return scan;
  }

  async function scanMany(
    domains: Iterable<string> | AsyncIterable<string>,
    concurrency: number,
    onResult: (scan: SiteScan) => void | Promise<void>,
    onInvalid?: (domain: string, error: Error) => void | Promise<void>,
  ): Promise<ScanManyResult> {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`scanMany concurrency must be a positive integer (got ${concurrency})`);
    const iterator: Iterator<string> | AsyncIterator<string> =
      Symbol.asyncIterator in domains ? (domains as AsyncIterable<string>)[Symbol.asyncIterator]() : (domains as Iterable<string>)[Symbol.iterator]();
    const result: ScanManyResult = { scanned: 0, invalid: 0 };
    let failure: unknown;
    let exhausted = false;
    const worker = async (): Promise<void> => {
      while (!exhausted && failure === undefined) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        const domain = next.value;
        try {
          let scan: SiteScan;
          try {
            scan = await scanSite(domain);
          } catch (err) {
            if (onInvalid && err instanceof Error && err.name === 'InvalidDomainError') {
              result.invalid++;
              await onInvalid(domain, err);
              continue;
            }
            throw err;
          }
          result.scanned++;
          await onResult(scan);
        } catch (err) {
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failure !== undefined) throw failure;
    return result;
  }

  return {
    options,
    scanSite,
    scanMany,
    stats: () => ({ ...client.stats(), sitesScanned, sitesInProgress }),
    async close() {
      closed = true;
      await client.close();
    },
  };
}
