import { WorkflowFailedError } from '@temporalio/client';
import { createTestContext, startWorkers, type TestContext } from '../support/harness';
import { startResendRecorder, type ResendRecorder } from '../support/resend-recorder';
import { createRunActivities } from '../../src/activities/runs';
import { createMailer } from '../../src/email/mailer';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { ScanRunResult } from '../../src/shared/types';

let ctx: TestContext;
let resend: ResendRecorder;

beforeAll(async () => {
  ctx = await createTestContext();
  resend = await startResendRecorder();
  await ctx.db
    .insertInto('sites')
    .values(Array.from({ length: 30 }, (_, i) => ({ domain: `site-${i + 1}.example`, current_rank: i + 1 })))
    .execute();
});

afterAll(async () => {
  await resend?.stop();
  await ctx?.dispose();
});

describe('createRun', () => {
  const runs = () => createRunActivities({ db: ctx.db });

  it('snapshots the scope once, in rank order, and returns the same run when called again', async () => {
    const first = await runs().createRun({ workflowId: 'wf-top-20', scope: { kind: 'top', count: 20 }, startedAt: '2026-12-03T08:00:00Z' });
    // The list changes during the run: the snapshot must not.
    await ctx.db.updateTable('sites').set({ current_rank: 0 }).where('domain', '=', 'site-3.example').execute();
    const again = await runs().createRun({ workflowId: 'wf-top-20', scope: { kind: 'top', count: 20 }, startedAt: '2026-12-03T08:00:05Z' });
    expect(again).toEqual(first);
    expect(first.sites).toBe(20);
    const snapshot = await ctx.db.selectFrom('run_sites').select(['ordinal', 'domain', 'rank']).where('run_id', '=', first.runId).orderBy('ordinal').execute();
    expect(snapshot).toHaveLength(20);
    expect(snapshot[0]).toEqual({ ordinal: 0, domain: 'site-1.example', rank: 1 });
    expect(snapshot[19]).toEqual({ ordinal: 19, domain: 'site-20.example', rank: 20 });
    await ctx.db.updateTable('sites').set({ current_rank: 3 }).where('domain', '=', 'site-3.example').execute();
  });

  it('takes explicit domains, normalised, adding unknown ones as unranked sites', async () => {
    const run = await runs().createRun({ workflowId: 'wf-domains', scope: { kind: 'domains', domains: ['Site-2.Example.', 'new-one.example'] }, startedAt: '2026-12-03T08:00:00Z' });
    expect(run.sites).toBe(2);
    const snapshot = await ctx.db.selectFrom('run_sites').select(['domain', 'rank']).where('run_id', '=', run.runId).orderBy('ordinal').execute();
    expect(snapshot).toEqual([
      { domain: 'site-2.example', rank: 2 },
      { domain: 'new-one.example', rank: 0 },
    ]);
  });

  it('refuses an invalid domain with an error that names it, and creates nothing', async () => {
    await expect(
      runs().createRun({ workflowId: 'wf-bad', scope: { kind: 'domains', domains: ['fine.example', 'bad_domain!.example'] }, startedAt: '2026-12-03T08:00:00Z' }),
    ).rejects.toThrow(/bad_domain!\.example/);
    expect(await ctx.db.selectFrom('runs').select('id').where('workflow_id', '=', 'wf-bad').execute()).toHaveLength(0);
  });

  it('refuses an empty rank range', async () => {
    await expect(runs().createRun({ workflowId: 'wf-empty', scope: { kind: 'ranks', from: 10, to: 5 }, startedAt: '2026-12-03T08:00:00Z' })).rejects.toThrow(/10-5 is empty/);
  });
});

describe('scanRun on the real Temporal server', () => {
  it('runs a scope with no sites to completion, recording the outcome and sending each email once', async () => {
    process.env.RESEND_BASE_URL = resend.url;
    const mailer = createMailer({ apiKey: 're_test_key', from: 'dnstats <worker@dnstats.invalid>', to: ['ops@dnstats.invalid'], log: () => undefined });
    const workers = await startWorkers(ctx, { mailer, processOnly: true });
    try {
      const workflowId = `run-empty-${Date.now()}`;
      const result = (await ctx.client.workflow.execute(WORKFLOW_TYPES.scanRun, {
        taskQueue: TASK_QUEUES.process,
        workflowId,
        args: [{ scope: { kind: 'ranks', from: 500, to: 600 } }],
      })) as ScanRunResult;
      expect(result).toMatchObject({ outcome: 'completed', sites: 0, scanned: 0, graded: 0, failedBatches: [] });
      const run = await ctx.db.selectFrom('runs').selectAll().where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
      expect(run.outcome).toBe('completed');
      expect(run.end_time).not.toBeNull();
      const mine = resend.delivered().filter((e) => e.idempotencyKey?.startsWith(workflowId));
      expect(mine.map((e) => e.subject)).toEqual(['[DNStats] Scan Starting', '[DNStats] All Scans In Queue', `[DNStats] Scan Ending: run ${run.id} completed`]);
      expect(mine.every((e) => e.authorization === 'Bearer re_test_key' && e.to[0] === 'ops@dnstats.invalid')).toBe(true);
    } finally {
      await workers.stop();
    }
  });

  it('fails a run whose scope is invalid without retrying, naming the input', async () => {
    const workers = await startWorkers(ctx, { processOnly: true });
    try {
      const err = await ctx.client.workflow
        .execute(WORKFLOW_TYPES.scanRun, { taskQueue: TASK_QUEUES.process, workflowId: `run-bad-${Date.now()}`, args: [{ scope: { kind: 'top', count: -3 } }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      // WorkflowFailedError ← ActivityFailure ← ApplicationFailure (InvalidInputError, not retried)
      const activityFailure = (err as WorkflowFailedError).cause as Error & { cause?: Error & { type?: string } };
      expect(activityFailure.cause?.type).toBe('InvalidInputError');
      expect(activityFailure.cause?.message).toMatch(/top count must be a positive integer, got -3/);
    } finally {
      await workers.stop();
    }
  });
});
