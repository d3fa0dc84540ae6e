// `npm run bench -- e2e --sites 100000`: the whole pipeline over the lab on this machine — a
// Temporal dev server (SQLite file), embedded Postgres, the lab's authoritative server, one
// process worker and N scan workers as separate processes (as deployed) — and one JSON line of
// figures: throughput, per-stage seconds, history and payload sizes, worker memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWorkflowBundle } from '../src/scripts/build-workflow-bundle';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import { resolveTemporalCli, startDevServer } from '../src/temporal/dev-server';
import { startEmbeddedPostgres, freePort, connectDatabase, prepareDatabase } from '../src/db';
import { spawnWorkerProcess, processCpuSeconds, type WorkerProcess } from '../src/workers/spawn';
import { TASK_QUEUES, WORKFLOW_TYPES, BATCH_SIZE } from '../src/shared/names';
import type { ScanRunResult } from '../src/shared/types';
import { labScannerEnv, loadLabSites, startLab } from '../test/support/lab-pipeline';
import { readFlags } from './_flags';

/** The largest payload an event carries (sum of one `payloads` array's data). */
function largestPayload(value: unknown): number {
  let max = 0;
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const obj = v as Record<string, unknown>;
    if (Array.isArray(obj.payloads)) {
      const size = (obj.payloads as Array<{ data?: Uint8Array | null; metadata?: Record<string, Uint8Array> }>).reduce(
        (n, p) => n + (p.data?.length ?? 0) + Object.values(p.metadata ?? {}).reduce((m, b) => m + (b?.length ?? 0), 0),
        0,
      );
      max = Math.max(max, size);
    }
    for (const child of Object.values(obj)) walk(child);
  };
  walk(value);
  return max;
}

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const flags = readFlags(argv, ['sites', 'scan-workers', 'batches-in-flight', 'chunk-size']);
  const sites = flags.int('sites', 100_000, 1);
  const scanWorkerCount = flags.int('scan-workers', 1, 1);
  const batchesInFlight = flags.int('batches-in-flight', 4, 1);
  const chunkSize = flags.int('chunk-size', 250, 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-bench-e2e-'));
  fs.chmodSync(dir, 0o755);
  const cleanups: Array<() => Promise<unknown>> = [];
  const workers: WorkerProcess[] = [];
  try {
    const log = (line: string) => process.stderr.write(`[bench e2e] ${line}\n`);
    const [temporalServer, postgres, bundle] = await Promise.all([
      freePort().then((port) => startDevServer({ cliPath: resolveTemporalCli({ log }), port, headless: true, dbFilename: path.join(dir, 'temporal.sqlite') })),
      startEmbeddedPostgres({ dataDir: path.join(dir, 'pg', 'data'), persistent: false }),
      buildWorkflowBundle(path.join(dir, 'workflows.js')),
    ]);
    cleanups.push(() => temporalServer.stop(), () => postgres.stop());
    const bundlePath = bundle.path;
    const db = connectDatabase({ url: postgres.url });
    cleanups.push(() => db.destroy());
    await prepareDatabase(db);
    log(`lab world of ${sites} sites`);
    const lab = await startLab(sites);
    cleanups.push(() => lab.stop());
    await loadLabSites(db, lab.world);

    const env = {
      TEMPORAL_ADDRESS: temporalServer.address,
      DATABASE_URL: postgres.url,
      DNSTATS_WORKFLOW_BUNDLE: bundlePath,
      DNSTATS_LOG_LEVEL: 'warn',
      ...labScannerEnv(lab),
    };
    workers.push(spawnWorkerProcess('process', env));
    for (let i = 0; i < scanWorkerCount; i++) workers.push(spawnWorkerProcess('scan', env));
    await Promise.all(workers.map((w) => w.ready));

    const client = new Client({ connection: await Connection.connect({ address: temporalServer.address }) });
    cleanups.push(() => client.connection.close());
    const workflowId = `bench-e2e-${sites}`;
    log(`run of ${sites} sites: ${workers.length} worker processes`);
    const started = Date.now();
    const handle = await client.workflow.start(WORKFLOW_TYPES.scanRun, {
      taskQueue: TASK_QUEUES.process,
      workflowId,
      args: [{ scope: { kind: 'top', count: sites }, maxBatchesInFlight: batchesInFlight, chunkSize }],
    });
    const cpuBefore = { bench: process.cpuUsage(), temporal: processCpuSeconds(temporalServer.process.pid) ?? 0 };
    const sampler = setInterval(() => workers.forEach((w) => (w.peakRssMb(), w.cpuSeconds())), 1000);
    let result: ScanRunResult;
    try {
      result = (await handle.result()) as ScanRunResult;
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    const rss = workers.map((w) => ({ kind: w.kind, peakRssMb: w.peakRssMb() }));
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    const cpuSeconds = {
      ...Object.fromEntries(workers.map((w, i) => [`${w.kind}${w.kind === 'scan' ? i : ''}`, w.cpuSeconds()])),
      labServer: Math.round((benchCpu.user + benchCpu.system) / 1e5) / 10,
      temporal: Math.round(((processCpuSeconds(temporalServer.process.pid) ?? 0) - cpuBefore.temporal) * 10) / 10,
    };

    const stages = await sql<{ scan: number; process: number; grade: number }>`
      SELECT extract(epoch FROM max(scanned_at) - min(start_time))::float AS scan,
             extract(epoch FROM max(processed_at) - min(scanned_at))::float AS process,
             extract(epoch FROM max(graded_at) - min(processed_at))::float AS grade
      FROM site_runs WHERE run_id = ${result.runId}`.execute(db);
    const perSite = await sql<{ p50: number; p99: number }>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM end_time - start_time))::float AS p50,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM end_time - start_time))::float AS p99
      FROM site_runs WHERE run_id = ${result.runId}`.execute(db);

    const ids = [workflowId, ...Array.from({ length: Math.ceil(sites / BATCH_SIZE) }, (_, b) => `${workflowId}/batch-${b}`)];
    let maxHistoryEvents = 0;
    let maxHistoryBytes = 0;
    let maxPayloadBytes = 0;
    for (const id of ids) {
      const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(id).fetchHistory();
      maxHistoryEvents = Math.max(maxHistoryEvents, history.events?.length ?? 0);
      maxPayloadBytes = Math.max(maxPayloadBytes, ...(history.events ?? []).map(largestPayload));
      const description = await client.workflow.getHandle(id).describe();
      maxHistoryBytes = Math.max(maxHistoryBytes, Number(description.raw.workflowExecutionInfo?.historySizeBytes ?? 0));
    }
    return {
      sites,
      seconds: Math.round(seconds * 10) / 10,
      sitesPerSecond: Math.round(sites / seconds),
      outcome: result.outcome,
      published: result.published ?? false,
      graded: result.graded,
      queries: result.queries,
      queriesPerSecond: Math.round(result.queries / seconds),
      stageSeconds: Object.fromEntries(Object.entries(stages.rows[0]).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      siteLatencySeconds: { p50: Math.round(perSite.rows[0].p50 * 1000) / 1000, p99: Math.round(perSite.rows[0].p99 * 1000) / 1000 },
      batches: ids.length - 1,
      maxHistoryEvents,
      maxHistoryBytes,
      maxPayloadBytes,
      cpuSeconds,
      maxRssMb: Object.fromEntries(rss.map((r, i) => [`${r.kind}${r.kind === 'scan' ? i : ''}`, r.peakRssMb])),
      lookupFailures: result.lookupFailures,
      cores: os.cpus().length,
    };
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop(5000)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
