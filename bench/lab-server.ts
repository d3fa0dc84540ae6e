// `npm run bench -- lab-server --sites 100000 [--seed N] [--concurrency 500] [--timeout-ms 1000]
//   [--precompute on|off] [--client engine|replay] [--rounds N] [--window 512] [--profile out.cpuprofile]`
// The lab DNS server's cost per query. The server runs in this process, the client in a child
// process, so this process's CPU time (process.cpuUsage: user + system, which stays meaningful on a
// loaded machine where wall-clock figures do not) is the server's alone.
//
// Clients: `engine` (default) is the real DNS engine scanning every site, so the mix is exactly the
// product's (≈16 queries per site, name servers asked directly, SPF trees, faults, TCP fallbacks);
// `replay` first records the engine's questions for the sites (one scan, not measured) and then sends
// them all again from a cheap pre-encoded client, to see what the server can take when the client
// costs little. `--rounds` repeats the measured part (default 3 for replay, 1 for engine) and the
// figures are the median round's (by server CPU per query); every round's figure is listed too.
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import dgram from 'node:dgram';
import { fork, type ChildProcess } from 'node:child_process';
import { createScanner, type ScannerOptions } from '../src/dns/scanner';
import { createLabWorld } from '../src/lab/world';
import { startLabServer, type LabServerStats } from '../src/lab/server';
import { readFlags } from './_flags';

interface Flags {
  sites: number;
  seed: number;
  concurrency: number;
  timeoutMs: number;
  precompute: boolean | undefined;
  client: 'engine' | 'replay';
  window: number;
  profile: string | undefined;
  rounds: number | undefined;
}

function parseFlags(argv: string[]): Flags {
  const f = readFlags(argv, ['sites', 'seed', 'concurrency', 'timeout-ms', 'window', 'rounds', 'precompute', 'profile', 'client']);
  const precompute = f.optionalChoice('precompute', ['on', 'off'] as const);
  return {
    sites: f.int('sites', 100_000, 1),
    seed: f.int('seed', 1),
    concurrency: f.int('concurrency', 500),
    timeoutMs: f.int('timeout-ms', 1000),
    window: f.int('window', 512),
    rounds: f.optionalInt('rounds', 1),
    precompute: precompute === undefined ? undefined : precompute === 'on',
    profile: f.text('profile'),
    client: f.choice('client', ['engine', 'replay'] as const, 'engine'),
  };
}

// ---------------------------------------------------------------------------------------------
// Messages between this process (server) and the client process.

interface ClientJob {
  role: 'lab-server-bench-client';
  client: Flags['client'];
  resolver: string;
  nameServerPort: number;
  sites: number;
  seed: number;
  concurrency: number;
  timeoutMs: number;
  window: number;
  rounds: number;
}

type ClientMessage =
  | { kind: 'measure-start' }
  | { kind: 'measure-end'; sent: number; answered: number; seconds: number; clientCpuSeconds: number }
  | { kind: 'done' }
  | { kind: 'failed'; error: string };

interface Round {
  client: Extract<ClientMessage, { kind: 'measure-end' }>;
  cpu: NodeJS.CpuUsage;
  elu: EventLoopUtilization;
  before: LabServerStats;
  after: LabServerStats;
  usPerQuery: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const flags = parseFlags(argv);
  const memoryAtStart = process.memoryUsage();
  const startCpu = process.cpuUsage();
  const startedAt = performance.now();
  // Precomputing (the default for worlds of this size) happens inside startLabServer.
  const server = await startLabServer({ sites: flags.sites, seed: flags.seed, precompute: flags.precompute });
  const setupCpu = process.cpuUsage(startCpu);
  const setupSeconds = (performance.now() - startedAt) / 1000;
  global.gc?.();
  const memoryAfterSetup = process.memoryUsage();

  const job: ClientJob = {
    role: 'lab-server-bench-client',
    client: flags.client,
    resolver: server.resolver,
    nameServerPort: server.nameServerPort,
    sites: flags.sites,
    seed: flags.seed,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeoutMs,
    window: flags.window,
    rounds: flags.rounds ?? (flags.client === 'replay' ? 3 : 1),
  };
  // The client is this same file run as a script with tsx's loader (see the bottom of the file).
  const child: ChildProcess = fork(__filename, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const memoryTimer = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 250);
  // --profile: a V8 CPU profile of the server over the measured window (open it in Chrome DevTools).
  const profiler = flags.profile ? new Session() : undefined;
  profiler?.connect();
  let cpuAtStart = process.cpuUsage();
  let eluAtStart = performance.eventLoopUtilization();
  let statsAtStart = server.stats();
  const rounds: Round[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: ClientMessage) => {
        if (message.kind === 'measure-start') {
          if (profiler && rounds.length === 0) void profiler.post('Profiler.enable').then(() => profiler!.post('Profiler.start'));
          cpuAtStart = process.cpuUsage();
          eluAtStart = performance.eventLoopUtilization();
          statsAtStart = server.stats();
        } else if (message.kind === 'measure-end') {
          const cpu = process.cpuUsage(cpuAtStart);
          const elu = performance.eventLoopUtilization(eluAtStart);
          const after = server.stats();
          const queries = Math.max(1, after.queries - statsAtStart.queries);
          rounds.push({ client: message, cpu, elu, before: statsAtStart, after, usPerQuery: (cpu.user + cpu.system) / queries });
        } else if (message.kind === 'done') resolve();
        else reject(new Error(`bench client: ${message.error}`));
      });
      child.once('exit', (code) => reject(new Error(`bench client exited with code ${code}`)));
      child.send(job);
    });
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      fs.writeFileSync(flags.profile!, JSON.stringify(profile));
      profiler.disconnect();
    }
  } finally {
    clearInterval(memoryTimer);
    child.kill();
    await server.stop();
  }
  const median = [...rounds].sort((a, b) => a.usPerQuery - b.usPerQuery)[Math.floor((rounds.length - 1) / 2)]!;
  const { client: result, cpu, elu, before: queriesAtStart, after: stats } = median;
  const queries = stats.queries - queriesAtStart.queries;
  const cpuMicros = cpu.user + cpu.system;
  return {
    client: flags.client,
    sites: flags.sites,
    precompute: flags.precompute ?? 'default',
    ...server.memory(),
    queries,
    clientSent: result.sent,
    clientAnswered: result.answered,
    seconds: Math.round(result.seconds * 100) / 100,
    queriesPerSecond: Math.round(queries / result.seconds),
    sitesPerSecond: flags.client === 'engine' ? Math.round(flags.sites / result.seconds) : undefined,
    rounds: rounds.length,
    serverCpuUsPerQuery: Math.round((cpuMicros / Math.max(1, queries)) * 10) / 10,
    serverCpuUsPerQueryByRound: rounds.map((r) => Math.round(r.usPerQuery * 10) / 10),
    serverUserUsPerQuery: Math.round((cpu.user / Math.max(1, queries)) * 10) / 10,
    serverSystemUsPerQuery: Math.round((cpu.system / Math.max(1, queries)) * 10) / 10,
    serverBusyUsPerQuery: Math.round(((elu.active * 1000) / Math.max(1, queries)) * 10) / 10,
    serverCpuSeconds: Math.round(cpuMicros / 1000) / 1000,
    clientCpuUsPerQuery: Math.round(((result.clientCpuSeconds * 1e6) / Math.max(1, result.sent)) * 10) / 10,
    setupSeconds: Math.round(setupSeconds * 100) / 100,
    setupCpuSeconds: Math.round((setupCpu.user + setupCpu.system) / 1000) / 1000,
    heapAfterSetupMb: mb(memoryAfterSetup.heapUsed),
    rssAfterSetupMb: mb(memoryAfterSetup.rss),
    setupHeapGrowthMb: mb(memoryAfterSetup.heapUsed - memoryAtStart.heapUsed),
    peakHeapMb: mb(peakHeap),
    peakRssMb: mb(peakRss),
    udp: stats.udp - queriesAtStart.udp,
    tcp: stats.tcp - queriesAtStart.tcp,
    truncated: stats.truncated - queriesAtStart.truncated,
    dropped: stats.dropped - queriesAtStart.dropped,
    cacheHits: stats.cacheHits - queriesAtStart.cacheHits,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    cores: os.cpus().length,
  };
}

type EventLoopUtilization = ReturnType<typeof performance.eventLoopUtilization>;

// ---------------------------------------------------------------------------------------------
// The client process.

function domainsOf(job: ClientJob): string[] {
  const world = createLabWorld({ sites: job.sites, seed: job.seed });
  return Array.from({ length: job.sites }, (_, i) => world.domain(i));
}

function scannerOptionsFor(job: ClientJob, resolver: string, nameServerPort: number): ScannerOptions {
  return {
    resolvers: [resolver],
    nameServerPort,
    timeoutMs: job.timeoutMs,
    attempts: 2,
    maxInFlight: 1024,
    perResolverQps: 0,
    perNameServerQps: 0,
    cacheEntries: 100_000,
    udpSockets: 8,
  };
}

async function engineClient(job: ClientJob, send: (message: ClientMessage) => void): Promise<void> {
  const domains = domainsOf(job);
  for (let round = 0; round < job.rounds; round++) {
    const scanner = createScanner(scannerOptionsFor(job, job.resolver, job.nameServerPort));
    send({ kind: 'measure-start' });
    const cpu = process.cpuUsage();
    const started = performance.now();
    let answered = 0;
    await scanner.scanMany(domains, job.concurrency, () => {
      answered++;
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const sent = scanner.stats().attempts;
    await scanner.close();
    send({ kind: 'measure-end', sent, answered, seconds, clientCpuSeconds: (used.user + used.system) / 1e6 });
  }
  send({ kind: 'done' });
}

/**
 * Records the engine's questions by scanning every site once against a private lab server in this
 * process (so the measured server stays cold), then replays them to the measured server over UDP
 * with `window` queries outstanding. Queries the server drops (injected timeouts) are given up
 * after a short wait so they do not stall the replay. TCP retries are not replayed.
 */
async function replayClient(job: ClientJob, send: (message: ClientMessage) => void): Promise<void> {
  const resolverPort = Number(job.resolver.slice(job.resolver.lastIndexOf(':') + 1));
  const recorder = await startLabServer({ sites: job.sites, seed: job.seed });
  const recorderResolver = recorder.resolver.slice(0, recorder.resolver.lastIndexOf(':'));
  const recorderResolverPort = Number(recorder.resolver.slice(recorder.resolver.lastIndexOf(':') + 1));
  const recorded: Array<{ wire: Buffer; address: string; port: number }> = [];
  const record = (msg: unknown, address: string, port: number) => {
    // Only the engine's queries, not the recording server's own answers (sent to the engine's ports).
    if (!Buffer.isBuffer(msg) || (port !== recorder.nameServerPort && port !== recorderResolverPort)) return;
    // Same addresses in both servers; only the ports differ.
    recorded.push({ wire: Buffer.from(msg), address, port: port === recorder.nameServerPort ? job.nameServerPort : resolverPort });
  };
  const originalSend = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function recordingSend(this: dgram.Socket, ...args: unknown[]) {
    const [msg, port, address] = args;
    // The engine's resolver sockets are connected: send(msg, callback) goes to the resolver.
    if (typeof port === 'number' && typeof address === 'string') record(msg, address, port);
    else record(msg, recorderResolver, recorderResolverPort);
    return (originalSend as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.send;
  const domains = domainsOf(job);
  const scanner = createScanner(scannerOptionsFor(job, recorder.resolver, recorder.nameServerPort));
  try {
    await scanner.scanMany(domains, job.concurrency, () => undefined);
  } finally {
    dgram.Socket.prototype.send = originalSend;
    await scanner.close();
    await recorder.stop();
  }

  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 23, sendBufferSize: 1 << 23 });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const waiting = new Map<number, NodeJS.Timeout>();
  let next = 0;
  let answered = 0;
  let finish: () => void = () => undefined;
  const settle = (id: number) => {
    const timer = waiting.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    waiting.delete(id);
    pump();
  };
  // IDs are the query's index modulo 65536; `window` stays far below that, so they never collide.
  const pump = () => {
    while (waiting.size < job.window && next < recorded.length) {
      const query = recorded[next]!;
      const id = next & 0xffff;
      next++;
      query.wire.writeUInt16BE(id, 0);
      waiting.set(id, setTimeout(() => settle(id), 200));
      socket.send(query.wire, query.port, query.address);
    }
    if (waiting.size === 0 && next >= recorded.length) finish();
  };
  socket.on('message', (msg) => {
    answered++;
    settle(msg.readUInt16BE(0));
  });
  for (let round = 0; round < job.rounds; round++) {
    next = 0;
    answered = 0;
    const done = new Promise<void>((resolve) => (finish = resolve));
    send({ kind: 'measure-start' });
    const cpu = process.cpuUsage();
    const started = performance.now();
    pump();
    await done;
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    send({ kind: 'measure-end', sent: recorded.length, answered, seconds, clientCpuSeconds: (used.user + used.system) / 1e6 });
  }
  socket.close();
  send({ kind: 'done' });
}

if (require.main === module && process.send) {
  process.once('message', (job: ClientJob) => {
    const send = (message: ClientMessage) => process.send!(message);
    const client = job.client === 'replay' ? replayClient : engineClient;
    client(job, send).catch((err: unknown) => send({ kind: 'failed', error: err instanceof Error ? err.stack ?? err.message : String(err) }));
  });
}
