// A worker's own metrics endpoint (separate from the Temporal SDK's, which Runtime.install
// serves process-wide on DNSTATS_SDK_METRICS_ADDRESS): the DNS engine's counters on scan
// workers, sites and activities per stage on both, and a little about the process.
import type { ScannerStats } from '../dns/scanner';
import { Exposition } from './exposition';
import { writeScannerMetrics } from './scanner-metrics';
import { StageMetrics, STAGES_OF_QUEUE } from './stage-metrics';
import { startMetricsServer, parseBindAddress, type MetricsServer } from './server';

export { Exposition, parseExposition, sumSamples } from './exposition';
export { writeScannerMetrics } from './scanner-metrics';
export { StageMetrics } from './stage-metrics';
export { startMetricsServer, parseBindAddress, type MetricsServer, EXPOSITION_CONTENT_TYPE } from './server';

export interface WorkerMetricsSources {
  kind: 'scan' | 'process';
  identity: string;
  stages: StageMetrics;
  /** The scan worker's DNS engine (undefined until it exists). */
  scannerStats?: () => ScannerStats | undefined;
}

export function renderWorkerMetrics(sources: WorkerMetricsSources): string {
  const out = new Exposition();
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  out
    .gauge('dnstats_worker_info', 'Always 1; labels name the worker', [{ labels: { queue: sources.kind, identity: sources.identity }, value: 1 }])
    .gauge('process_resident_memory_bytes', 'Resident memory of the worker process', memory.rss)
    .gauge('nodejs_heap_used_bytes', 'V8 heap in use', memory.heapUsed)
    .counter('process_cpu_seconds_total', 'User and system CPU time of the worker process', (cpu.user + cpu.system) / 1e6);
  sources.stages.write(out, STAGES_OF_QUEUE[sources.kind]);
  const scanner = sources.scannerStats?.();
  if (scanner) writeScannerMetrics(out, scanner);
  return out.toString();
}

/** Serves renderWorkerMetrics on `bindAddress` (e.g. '0.0.0.0:9465'); `variable` names it in errors. */
export function startWorkerMetricsServer(bindAddress: string, variable: string, sources: WorkerMetricsSources): Promise<MetricsServer> {
  const { host, port } = parseBindAddress(bindAddress, variable);
  return startMetricsServer({ host, port, render: () => renderWorkerMetrics(sources) });
}
