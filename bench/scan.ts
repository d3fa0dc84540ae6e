// `npm run bench -- scan --sites 20000 [--concurrency 500] [--world lab|synthetic] [--max-in-flight N]
//   [--timeout-ms N] [--resolver-qps N] [--ns-qps N] [--seed N]`
// Scans lab sites with the DNS engine alone (no Temporal, no database) and prints the figures.
// The server runs in a worker thread so that it and the engine each get a core, as the lab
// server beside a scan worker would.
import os from 'node:os';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import dgram from 'node:dgram';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as dnsPacket from 'dns-packet';
import { createScanner } from '../src/dns/scanner';
import { queriesIn } from '../src/dns/site-queries';
import { startLabServer } from '../src/lab/server';
import { createLabWorld } from '../src/lab/world';
import { readFlags } from './_flags';

interface Flags {
  sites: number;
  concurrency: number;
  world: 'lab' | 'synthetic';
  maxInFlight: number;
  timeoutMs: number;
  resolverQps: number;
  nsQps: number;
  seed: number;
}

function parseFlags(argv: string[]): Flags {
  const f = readFlags(argv, ['sites', 'concurrency', 'world', 'max-in-flight', 'timeout-ms', 'resolver-qps', 'ns-qps', 'seed']);
  return {
    sites: f.int('sites', 20000),
    concurrency: f.int('concurrency', 500),
    world: f.choice('world', ['lab', 'synthetic'] as const, 'lab'),
    maxInFlight: f.int('max-in-flight', 1024),
    timeoutMs: f.int('timeout-ms', 1000),
    resolverQps: f.int('resolver-qps', 0),
    nsQps: f.int('ns-qps', 0),
    seed: f.int('seed', 1),
  };
}

interface ServerInfo {
  resolver: string;
  nameServerPort: number;
}

/**
 * CPU time of the calling thread in ns (Linux: /proc/thread-self/schedstat), or null elsewhere.
 * Wall-clock rates lie on a machine shared with other work; a thread's own CPU time does not, and
 * process.cpuUsage() cannot tell the engine's thread from the server thread beside it.
 */
function threadCpuNs(): number | null {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/** User and system CPU of the calling thread in ms (Linux /proc/thread-self/stat, 10 ms ticks), or null. */
function threadUserSystemMs(): { user: number; system: number } | null {
  try {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    return { user: Number(fields[11]) * tick, system: Number(fields[12]) * tick };
  } catch {
    return null;
  }
}

/** The domains to scan, made one at a time (a list of a million names is memory the engine would be blamed for). */
function* domainsOf(flags: Flags): Generator<string> {
  const world = flags.world === 'lab' ? createLabWorld({ sites: flags.sites, seed: flags.seed }) : undefined;
  for (let i = 0; i < flags.sites; i++) yield world ? world.domain(i) : syntheticDomain(i);
}

/** Heap still reachable after a full collection (the engine's retained memory: cache, sockets, in-flight state). */
function retainedHeapBytes(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  return process.memoryUsage().heapUsed;
}

function startServerThread(flags: Flags): Promise<{ info: ServerInfo; worker: Worker; serverCpuNs: () => Promise<number | null> }> {
  // This same file, run as the server thread (see the bottom of the file).
  // Worker threads do not inherit tsx's loader, so the thread registers tsx's CommonJS hook first.
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
    eval: true,
    workerData: { role: 'scan-bench-server', world: flags.world, sites: flags.sites, seed: flags.seed },
  });
  const serverCpuNs = () =>
    new Promise<number | null>((resolve) => {
      worker.once('message', (ns: number | null) => resolve(ns));
      worker.postMessage('cpu');
    });
  return new Promise((resolve, reject) => {
    worker.once('message', (info: ServerInfo) => resolve({ info, worker, serverCpuNs }));
    worker.once('error', reject);
  });
}

/** Site latencies as a histogram of whole milliseconds, so the bench itself holds nothing per site. */
class LatencyHistogram {
  private readonly counts = new Uint32Array(60_001); // the last bucket holds everything ≥ 60 s
  count = 0;
  add(ms: number): void {
    this.counts[Math.min(this.counts.length - 1, Math.max(0, Math.round(ms)))]!++;
    this.count++;
  }
  percentile(p: number): number {
    const rank = Math.min(this.count - 1, Math.floor((p / 100) * this.count));
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms]!;
      if (seen > rank) return ms;
    }
    return 0;
  }
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const flags = parseFlags(argv);
  const { info, worker, serverCpuNs } = await startServerThread(flags);
  const scanner = createScanner({
    resolvers: [info.resolver],
    nameServerPort: info.nameServerPort,
    timeoutMs: flags.timeoutMs,
    attempts: 2,
    maxInFlight: flags.maxInFlight,
    perResolverQps: flags.resolverQps,
    perNameServerQps: flags.nsQps,
    cacheEntries: 100_000,
    udpSockets: 8,
  });
  const latencies = new LatencyHistogram();
  const byStatus: Record<string, number> = {};
  let queries = 0;
  let maxRss = process.memoryUsage().rss;
  let maxEngineHeap = process.memoryUsage().heapUsed; // this thread's heap: the engine's, not the server thread's
  const rssTimer = setInterval(() => {
    const usage = process.memoryUsage();
    maxRss = Math.max(maxRss, usage.rss);
    maxEngineHeap = Math.max(maxEngineHeap, usage.heapUsed);
  }, 250);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const engineCpuBefore = threadCpuNs();
  const engineTicksBefore = threadUserSystemMs();
  let engineSystemShare: number | null = null;
  const serverCpuBefore = await serverCpuNs();
  let engineCpuNs: number | null = null;
  let serverCpu: number | null = null;
  let retainedHeap = 0;
  try {
    await scanner.scanMany(domainsOf(flags), flags.concurrency, (scan) => {
      latencies.add(Date.parse(scan.endedAt) - Date.parse(scan.startedAt));
      for (const outcome of queriesIn(scan)) {
        queries++;
        const key = outcome.cached ? 'CACHED' : outcome.status;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
      }
    });
    const engineCpuAfter = threadCpuNs();
    const engineTicksAfter = threadUserSystemMs();
    if (engineTicksBefore && engineTicksAfter) {
      const user = engineTicksAfter.user - engineTicksBefore.user;
      const system = engineTicksAfter.system - engineTicksBefore.system;
      engineSystemShare = round(system / Math.max(1, user + system), 2);
    }
    if (engineCpuBefore !== null && engineCpuAfter !== null) engineCpuNs = engineCpuAfter - engineCpuBefore;
    const serverCpuAfter = await serverCpuNs();
    if (serverCpuBefore !== null && serverCpuAfter !== null) serverCpu = serverCpuAfter - serverCpuBefore;
    retainedHeap = retainedHeapBytes(); // the scanner still open: its cache and sockets count
  } finally {
    clearInterval(rssTimer);
    await scanner.close();
    await worker.terminate();
  }
  const seconds = (performance.now() - started) / 1000;
  // The engine's thread busy time (event-loop utilisation): its CPU cost, apart from the server thread's.
  const engineBusyMs = performance.eventLoopUtilization(eluBefore).active;
  const cpu = process.cpuUsage(cpuBefore);
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
  const stats = scanner.stats();
  const sites = latencies.count;
  const processCpuUs = cpu.user + cpu.system;
  return {
    world: flags.world,
    sites,
    queries,
    queriesSent: stats.queries,
    seconds: Math.round(seconds * 100) / 100,
    sitesPerSecond: Math.round(sites / seconds),
    queriesPerSecond: Math.round(queries / seconds),
    sentPerSecond: Math.round(stats.queries / seconds),
    p50SiteMs: latencies.percentile(50),
    p99SiteMs: latencies.percentile(99),
    // The engine thread's own CPU time: the figure that stays meaningful under load.
    engineCpuSeconds: engineCpuNs === null ? null : round(engineCpuNs / 1e9, 3),
    engineCpuUsPerSentQuery: engineCpuNs === null ? null : round(engineCpuNs / 1000 / Math.max(1, stats.queries)),
    /** Share of the engine thread's CPU spent in the kernel (sendmsg, recvmsg, epoll). */
    engineSystemCpuShare: engineSystemShare,
    engineCpuUsPerSite: engineCpuNs === null ? null : Math.round(engineCpuNs / 1000 / Math.max(1, sites)),
    /** Sites per second the engine would scan with a core to itself (sites / engine CPU seconds). */
    engineCpuSitesPerSecond: engineCpuNs === null ? null : Math.round(sites / (engineCpuNs / 1e9)),
    serverCpuSeconds: serverCpu === null ? null : round(serverCpu / 1e9, 3),
    serverCpuUsPerSentQuery: serverCpu === null ? null : round(serverCpu / 1000 / Math.max(1, stats.queries)),
    /** Both threads plus V8's and libuv's helper threads. */
    processCpuUsPerSentQuery: round(processCpuUs / Math.max(1, stats.queries)),
    maxRssMb: Math.round(maxRss / 1024 / 1024),
    maxEngineHeapMb: Math.round(maxEngineHeap / 1024 / 1024),
    retainedEngineHeapMb: Math.round(retainedHeap / 1024 / 1024),
    cacheEntries: stats.cache.entries,
    engineBusySeconds: Math.round(engineBusyMs) / 1000,
    engineBusyUsPerSentQuery: Math.round((engineBusyMs * 1000) / Math.max(1, stats.queries)),
    processCpuSeconds: Math.round(processCpuUs / 1000) / 1000,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    byStatus,
    sentByStatus: stats.queriesByStatus,
    tcpFallbacks: stats.tcpFallbacks,
    retries: stats.retries,
    cacheHits: stats.cache.hits + stats.cache.sharedInFlight,
    inFlightLimit: stats.inFlightLimit,
    concurrencyBackoffs: stats.concurrencyBackoffs,
    ignoredAnswers: stats.transport.unmatchedAnswers + stats.transport.wrongSourceAnswers + stats.transport.wrongQuestionAnswers,
    concurrency: flags.concurrency,
  };
}

// ---------------------------------------------------------------------------------------------
// The server thread. 'lab' serves the lab world (src/lab/server.ts); 'synthetic' is a small
// fault-free stand-in world (20 DNS providers, each site with MX, SPF include, CAA, DNSSEC,
// DMARC), to measure the engine against a cheap server.

interface SyntheticAnswer {
  rcode: number;
  aa: boolean;
  answers: dnsPacket.Answer[];
}

const PROVIDERS = 20;

function syntheticDomain(index: number): string {
  return `s${index}.test`;
}

function syntheticResolve(name: string, type: string): SyntheticAnswer {
  const ok = (answers: dnsPacket.Answer[]): SyntheticAnswer => ({ rcode: 0, aa: false, answers });
  const record = (data: unknown, ttl = 3600) => ({ name, type, ttl, data }) as dnsPacket.Answer;
  let m = /^ns([12])\.p([0-9]+)\.example$/.exec(name);
  if (m) return ok(type === 'A' ? [record(`127.0.2.${Number(m[2]) * 2 + Number(m[1])}`)] : []);
  m = /^mx\.p([0-9]+)\.example$/.exec(name);
  if (m) return ok(type === 'A' ? [record(`192.0.2.${Number(m[1]) + 1}`)] : []);
  m = /^_spf\.p([0-9]+)\.example$/.exec(name);
  if (m) return ok(type === 'TXT' ? [record(['v=spf1 ip4:192.0.2.0/24 ~all'])] : []);
  m = /^(?:(_dmarc|default\._bimi|_msdcs|[a-z0-9]{15})\.)?s([0-9]+)\.test$/.exec(name);
  if (!m) return { rcode: 3, aa: false, answers: [] };
  const provider = Number(m[2]) % PROVIDERS;
  if (m[1] === '_dmarc') return ok(type === 'TXT' ? [record(['v=DMARC1; p=reject; rua=mailto:d@' + name.slice(7)])] : []);
  if (m[1] !== undefined) return { rcode: 3, aa: false, answers: [] };
  switch (type) {
    case 'MX':
      return ok([record({ preference: 10, exchange: `mx.p${provider}.example` })]);
    case 'TXT':
      return ok([record([`v=spf1 include:_spf.p${provider}.example -all`]), record(['site-verification=' + m[2]])]);
    case 'CAA':
      return ok([record({ flags: 0, tag: 'issue', value: 'letsencrypt.org' })]);
    case 'DS':
      return ok([record({ keyTag: 12345, algorithm: 13, digestType: 2, digest: Buffer.alloc(32, provider) })]);
    case 'DNSKEY':
      return ok([record({ flags: 257, algorithm: 13, key: Buffer.alloc(64, provider) })]);
    case 'NS':
      return ok([record(`ns1.p${provider}.example`), record(`ns2.p${provider}.example`)]);
    case 'SOA':
      return ok([record({ mname: `ns1.p${provider}.example`, rname: `hostmaster.${name}`, serial: 2024010101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 })]);
    default:
      return ok([]);
  }
}

async function serveSynthetic(): Promise<ServerInfo> {
  const answerTo = (socket: dgram.Socket, authoritative: boolean) => (bytes: Buffer, rinfo: dgram.RemoteInfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(bytes);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    let answer = syntheticResolve(name, question.type);
    if (authoritative) {
      answer = /^s[0-9]+\.test$/.test(name) && (question.type === 'NS' || question.type === 'SOA') ? { ...answer, aa: true } : { rcode: 5, aa: false, answers: [] };
    }
    const flags =
      (authoritative ? 0 : dnsPacket.RECURSION_AVAILABLE) |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      (answer.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
      answer.rcode;
    const reply = dnsPacket.encode({ type: 'response', id: query.id, flags, questions: [question], answers: answer.answers });
    socket.send(reply, rinfo.port, rinfo.address);
  };
  const bind = (address: string, port: number, authoritative: boolean) =>
    new Promise<dgram.Socket>((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.on('message', answerTo(socket, authoritative));
      socket.once('error', reject);
      socket.bind(port, address, () => {
        try {
          socket.setRecvBufferSize(8 * 1024 * 1024);
        } catch {
          // kernel limit
        }
        resolve(socket);
      });
    });
  const resolver = await bind('127.0.0.1', 0, false);
  const first = await bind('127.0.2.1', 0, true);
  const nameServerPort = first.address().port;
  for (let address = 2; address <= PROVIDERS * 2 + 2; address++) await bind(`127.0.2.${address}`, nameServerPort, true);
  return {
    resolver: `127.0.0.1:${resolver.address().port}`,
    nameServerPort,
  };
}

async function serveLab(sites: number, seed: number): Promise<ServerInfo> {
  const server = await startLabServer({ sites, seed });
  return { resolver: server.resolver, nameServerPort: server.nameServerPort };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'scan-bench-server') {
  const { world, sites, seed } = workerData as { world: 'lab' | 'synthetic'; sites: number; seed: number };
  void (world === 'lab' ? serveLab(sites, seed) : serveSynthetic()).then((info) => {
    parentPort!.postMessage(info);
    parentPort!.on('message', () => parentPort!.postMessage(threadCpuNs()));
  });
}
