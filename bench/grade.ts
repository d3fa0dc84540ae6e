// `npm run bench -- grade [--sites N] [--pool P] [--runs R]`: processSite + gradeSite over lab scan
// results held in memory, on one core. P distinct lab sites are scanned offline (the lab world
// answering in memory, see test/unit/checks/lab-scans.ts), then N sites are graded, each a fresh
// copy of a pool scan so no cached analysis is reused. Timing excludes building the scans.
import { createLabWorld } from '../src/lab/world';
import { gradeSite, processSite } from '../src/checks';
import type { SiteScan } from '../src/dns/types';
import { labScan } from '../test/unit/checks/lab-scans';

function flag(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(argv[index + 1])}`);
  return value;
}

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const sites = flag(argv, 'sites', 100_000);
  const poolSize = Math.min(flag(argv, 'pool', 5_000), sites);
  const runs = flag(argv, 'runs', 3);
  const world = createLabWorld({ sites: poolSize });
  const pool: SiteScan[] = [];
  for (let i = 0; i < poolSize; i++) pool.push(await labScan(world, i));

  let checksum = 0;
  const timings: number[] = [];
  const cpuTimings: number[] = [];
  for (let r = 0; r < runs; r++) {
    const batch = Array.from({ length: sites }, (_, i) => ({ ...pool[i % poolSize]! }));
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (const scan of batch) {
      const grades = gradeSite(scan, processSite(scan));
      checksum += grades.spf.grade ?? 0;
    }
    const cpu = process.cpuUsage(cpuStart);
    timings.push(Number(process.hrtime.bigint() - start) / 1e9);
    cpuTimings.push((cpu.user + cpu.system) / 1e6);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const seconds = median(timings);
  // On a shared machine wall time includes waiting for a core; CPU time is what the grading costs.
  const cpuSeconds = median(cpuTimings);
  return {
    sites,
    seconds: Number(seconds.toFixed(3)),
    sitesPerSecond: Math.round(sites / seconds),
    cpuSeconds: Number(cpuSeconds.toFixed(3)),
    sitesPerCpuSecond: Math.round(sites / cpuSeconds),
    runs,
    distinctLabSites: poolSize,
    allRunsSeconds: timings.map((t) => Number(t.toFixed(3))),
    checksum,
  };
}
