// Cancelling a run cancels its batches, and the outcome is still recorded and emailed.
import { WorkflowFailedError } from '@temporalio/client';
import { createTestContext, startWorkers, type RunningWorkers, type TestContext } from '../support/harness';
import { startResendRecorder, type ResendRecorder } from '../support/resend-recorder';
import { labScanner, loadLabSites, startLab, type LabServer } from '../support/lab-pipeline';
import { createMailer } from '../../src/email/mailer';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { Scanner } from '../../src/dns/scanner';

const SITES = 4_000;

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
  const mailer = createMailer({ apiKey: 're_cancel', from: 'dnstats <worker@dnstats.invalid>', to: ['ops@dnstats.invalid'], log: () => undefined });
  workers = await startWorkers(ctx, { scanner, mailer });
}, 120_000);

afterAll(async () => {
  await workers?.stop();
  await scanner?.close();
  await lab?.stop();
  await resend?.stop();
  await ctx?.dispose();
});

it('cancels the batches, records the run as cancelled and sends the summary', async () => {
  const workflowId = `cancel-${Date.now()}`;
  // Small chunks, one at a time: the run is still scanning when it is cancelled.
  const handle = await ctx.client.workflow.start(WORKFLOW_TYPES.scanRun, {
    taskQueue: TASK_QUEUES.process,
    workflowId,
    args: [{ scope: { kind: 'top', count: SITES }, chunkSize: 50, maxChunksInFlight: 1 }],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const scanned = await ctx.db.selectFrom('site_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(scanned.n) >= 100) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.cancel();

  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  expect((await ctx.client.workflow.getHandle(`${workflowId}/batch-0`).describe()).status.name).toBe('CANCELLED');

  const run = await ctx.db.selectFrom('runs').selectAll().where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
  expect(run.outcome).toBe('cancelled');
  expect(run.end_time).not.toBeNull();
  expect(run.summary!.scanned).toBeGreaterThan(0);
  expect(run.summary!.scanned).toBeLessThan(SITES);

  const summary = resend.delivered().find((e) => e.idempotencyKey === `${workflowId}/scan-summary`);
  expect(summary?.subject).toBe(`[DNStats] Scan Ending: run ${run.id} cancelled`);
  expect(resend.delivered().some((e) => e.idempotencyKey === `${workflowId}/publish/published`)).toBe(false);
}, 180_000);
