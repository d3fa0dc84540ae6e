// A scan worker killed (SIGKILL) in the middle of a batch, and another started: the run still
// completes, and every site has exactly one site_runs row.
import { sql } from 'kysely';
import { createTestContext, startWorkers, type RunningWorkers, type TestContext } from '../support/harness';
import { labScannerEnv, loadLabSites, startLab, type LabServer } from '../support/lab-pipeline';
import { spawnWorkerProcess, type WorkerProcess } from '../../src/workers/spawn';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { ScanRunResult } from '../../src/shared/types';

const SITES = 3_000;

let ctx: TestContext;
let lab: LabServer;
let processWorker: RunningWorkers;
const scanWorkers: WorkerProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  lab = await startLab(SITES);
  await loadLabSites(ctx.db, lab.world);
  processWorker = await startWorkers(ctx, { processOnly: true });
}, 120_000);

afterAll(async () => {
  for (const w of scanWorkers) w.kill();
  await processWorker?.stop();
  await lab?.stop();
  await ctx?.dispose();
});

function startScanWorker(): WorkerProcess {
  const worker = spawnWorkerProcess('scan', {
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: ctx.namespace,
    DATABASE_URL: ctx.databaseUrl,
    DNSTATS_WORKFLOW_BUNDLE: ctx.workflowBundlePath,
    DNSTATS_SITES_IN_FLIGHT_PER_CHUNK: '16',
    DNSTATS_SCAN_ACTIVITY_SLOTS: '4',
    DNSTATS_LOG_LEVEL: 'warn',
    ...labScannerEnv(lab),
  });
  scanWorkers.push(worker);
  return worker;
}

async function scannedSoFar(runWorkflowId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM site_runs sr JOIN runs r ON r.id = sr.run_id
    WHERE r.workflow_id = ${runWorkflowId} AND sr.scanned_at IS NOT NULL`.execute(ctx.db);
  return rows[0].n;
}

it('survives a scan worker killed mid-batch', async () => {
  const first = startScanWorker();
  await first.ready;
  const workflowId = `kill-${Date.now()}`;
  const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.scanRun, {
    taskQueue: TASK_QUEUES.process,
    workflowId,
    args: [{ scope: { kind: 'top', count: SITES }, chunkSize: 100, maxChunksInFlight: 4, scanHeartbeatTimeout: '5s' }],
  });
  // Kill once a few chunks are written, well before the batch is done.
  const deadline = Date.now() + 120_000;
  let before = 0;
  while ((before = await scannedSoFar(workflowId)) < 300) {
    if (Date.now() > deadline) throw new Error(`the scan worker wrote only ${before} sites in 120 s:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  first.kill();
  await new Promise((r) => first.child.once('exit', r));
  expect(await scannedSoFar(workflowId)).toBeLessThan(SITES);

  const second = startScanWorker();
  await second.ready;
  const result = (await handle.result()) as ScanRunResult;
  expect(result).toMatchObject({ outcome: 'completed', sites: SITES, scanned: SITES, graded: SITES });

  const { rows } = await sql<{ rows: number; sites: number; graded: number }>`
    SELECT count(*)::int AS rows, count(DISTINCT site_id)::int AS sites, count(*) FILTER (WHERE graded_at IS NOT NULL)::int AS graded
    FROM site_runs WHERE run_id = ${result.runId}`.execute(ctx.db);
  expect(rows[0]).toEqual({ rows: SITES, sites: SITES, graded: SITES });
  // The chunks the killed worker held were retried (attempt ≥ 2) by the second one.
  const history = await ctx.client.workflow.getHandle(`${workflowId}/batch-0`).fetchHistory();
  const retried = (history.events ?? []).filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
  expect(retried.length).toBeGreaterThan(0);
}, 300_000);
