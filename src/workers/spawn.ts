// Standalone worker processes started from code: the benchmark and the tests that kill a worker
// or mirror a multi-worker deployment run workers exactly as production does, one per process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stopChild } from '../temporal/dev-server';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  kind: 'scan' | 'process';
  child: ChildProcess;
  /** Resolves once the worker reports (over IPC) that it is polling. */
  ready: Promise<void>;
  /** Peak resident memory so far (VmHWM), in MB; null once the process is gone. */
  peakRssMb(): number | null;
  /** CPU time used so far (user + system), in seconds; the last reading once the process is gone. */
  cpuSeconds(): number | null;
  /** SIGTERM, then SIGKILL after the grace time. */
  stop(graceMs?: number): Promise<void>;
  kill(): void;
  output(): string;
}

export function spawnWorkerProcess(kind: 'scan' | 'process', env: NodeJS.ProcessEnv, options: { logFile?: string } = {}): WorkerProcess {
  const entry = path.join(ROOT, 'src', 'workers', `${kind}-worker.ts`);
  // node itself with tsx's loader, not the tsx CLI (which runs node as a grandchild): a SIGKILL
  // must reach the worker, and the memory read must be the worker's.
  // The heap cap keeps RSS near the live set: uncapped, V8 collects lazily and a worker's RSS grows
  // with the run (measured: 666 MB at 100,000 sites uncapped; 286 MB at 20,000 capped at 320 MB).
  const heapMb = env.DNSTATS_WORKER_MAX_HEAP_MB ?? process.env.DNSTATS_WORKER_MAX_HEAP_MB ?? '384';
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : null;
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      log?.write(text);
    };
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'dnstats-worker-ready') resolve();
    });
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${kind} worker exited before polling (${code ?? signal}):\n${output.slice(-4000)}`)));
  });
  ready.catch(() => undefined);
  let lastPeak: number | null = null;
  let lastCpu: number | null = null;
  return {
    kind,
    child,
    ready,
    peakRssMb() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) lastPeak = Math.round(Number(match[1]) / 1024);
      } catch {
        /* exited: keep the last reading */
      }
      return lastPeak;
    },
    cpuSeconds() {
      lastCpu = processCpuSeconds(child.pid) ?? lastCpu;
      return lastCpu;
    },
    stop: (graceMs = 15_000) => stopChild(child, graceMs),
    kill: () => {
      child.kill('SIGKILL');
    },
    output: () => output,
  };
}

/** utime + stime of a process from /proc (Linux), in seconds. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
