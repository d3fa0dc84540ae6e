// The whole pipeline on real parts: Temporal dev server, Postgres, both workers, the DNS engine
// scanning the lab world on loopback, the checks library grading it.
import { sql } from 'kysely';
import { createTestContext, startWorkers, type RunningWorkers, type TestContext } from '../support/harness';
import { startResendRecorder, type ResendRecorder } from '../support/resend-recorder';
import { compareRunWithExpectations, labScanner, loadLabSites, startLab, type LabServer } from '../support/lab-pipeline';
import { createMailer } from '../../src/email/mailer';
import { BATCH_SIZE, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { ScanRunResult } from '../../src/shared/types';
import type { Scanner } from '../../src/dns/scanner';

// Three batches (10,000 + 10,000 + 5,000); DNSTATS_E2E_SITES makes a quicker local run.
const SITES = Number(process.env.DNSTATS_E2E_SITES ?? 25_000);
const BATCHES = Math.ceil(SITES / BATCH_SIZE);

let ctx: TestContext;
let resend: ResendRecorder;
let lab: LabServer;
let scanner: Scanner;
let workers: RunningWorkers;

beforeAll(async () => {
  ctx = await createTestContext();
  resend = await startResendRecorder();
  lab = await startLab(SITES);
  await loadLabSites(ctx.db, lab.world);
  scanner = labScanner(lab);
  process.env.RESEND_BASE_URL = resend.url;
  const mailer = createMailer({ apiKey: 're_e2e', from: 'dnstats <worker@dnstats.invalid>', to: ['ops@dnstats.invalid'], log: () => undefined });
  workers = await startWorkers(ctx, { scanner, mailer });
}, 300_000);

afterAll(async () => {
  await workers?.stop();
  await scanner?.close();
  await lab?.stop();
  await resend?.stop();
  await ctx?.dispose();
});

describe(`a run of ${SITES} lab sites`, () => {
  let result: ScanRunResult;
  const workflowId = `e2e-${Date.now()}`;

  beforeAll(async () => {
    result = (await ctx.client.workflow.execute(WORKFLOW_TYPES.scanRun, {
      taskQueue: TASK_QUEUES.process,
      workflowId,
      args: [{ scope: { kind: 'top', count: SITES }, maxBatchesInFlight: 3 }],
    })) as ScanRunResult;
  }, 900_000);

  it('completes, with every site of the snapshot scanned, processed and graded, and publishes', () => {
    expect(result).toMatchObject({ outcome: 'completed', sites: SITES, scanned: SITES, processed: SITES, graded: SITES, failedBatches: [] });
    expect(result.publishError).toBeUndefined();
    expect(result.published).toBe(true);
  });

  it('leaves exactly one graded site_runs row per snapshot site', async () => {
    const { rows } = await sql<{ snapshot: number; rows: number; sites: number; graded: number; orphans: number }>`
      SELECT (SELECT count(*) FROM run_sites WHERE run_id = ${result.runId})::int AS snapshot,
             count(*)::int AS rows, count(DISTINCT site_id)::int AS sites,
             count(*) FILTER (WHERE graded_at IS NOT NULL)::int AS graded,
             (SELECT count(*) FROM run_sites rs WHERE rs.run_id = ${result.runId}
                AND NOT EXISTS (SELECT 1 FROM site_runs s WHERE s.run_id = rs.run_id AND s.site_id = rs.site_id))::int AS orphans
      FROM site_runs WHERE run_id = ${result.runId}`.execute(ctx.db);
    expect(rows[0]).toEqual({ snapshot: SITES, rows: SITES, sites: SITES, graded: SITES, orphans: 0 });
  });

  it('grades every site as the lab world says it must', async () => {
    const { compared, mismatches } = await compareRunWithExpectations(ctx.db, result.runId, lab.world);
    expect(compared).toBe(SITES);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(mismatches).toHaveLength(0);
  });

  it('counts the lookup failures the lab injects, by kind', () => {
    expect(result.queries).toBeGreaterThan(SITES * 10);
    expect(result.lookupFailures.TIMEOUT ?? 0).toBeGreaterThan(0);
    expect(result.lookupFailures.SERVFAIL ?? 0).toBeGreaterThan(0);
  });

  it('ran one batch workflow per 10,000 sites, found by the run id search attribute', async () => {
    const batches: string[] = [];
    // Visibility is eventually consistent: poll briefly.
    for (let i = 0; i < 50 && batches.length < BATCHES; i++) {
      batches.length = 0;
      for await (const wf of ctx.client.workflow.list({ query: `WorkflowType='scanBatch' AND DnstatsRunId='${result.runId}'` })) batches.push(wf.workflowId);
      if (batches.length < BATCHES) await new Promise((r) => setTimeout(r, 200));
    }
    expect(batches.sort()).toEqual(Array.from({ length: BATCHES }, (_, b) => `${workflowId}/batch-${b}`).sort());
  });

  it('sent the start, queued, summary and published emails once each, with the counts', () => {
    // What the recipients got: one email per idempotency key (a retried send carries the same key,
    // which Resend delivers once).
    const mine = resend.delivered().filter((e) => e.idempotencyKey?.startsWith(`${workflowId}/`));
    const keys = mine.map((e) => e.idempotencyKey);
    expect(keys.sort()).toEqual([
      `${workflowId}/all-batches-queued`,
      `${workflowId}/publish/published`,
      `${workflowId}/scan-starting`,
      `${workflowId}/scan-summary`,
    ]);
    const summary = mine.find((e) => e.idempotencyKey === `${workflowId}/scan-summary`)!;
    expect(summary.subject).toBe(`[DNStats] Scan Ending: run ${result.runId} completed`);
    expect(summary.text).toContain(`Sites: ${SITES}; scanned: ${SITES}; graded: ${SITES}`);
    expect(summary.text).toMatch(/TIMEOUT: \d+/);
  });

  it('answers the progress query with the final counts', async () => {
    const progress = await ctx.client.workflow.getHandle(workflowId).query('progress');
    expect(progress).toMatchObject({ runId: result.runId, sites: SITES, graded: SITES, batchesTotal: BATCHES, batchesDone: BATCHES, batchesFailed: 0, phase: 'completed' });
  });
});
