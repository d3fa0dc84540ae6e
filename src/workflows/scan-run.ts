import {
  CancellationScope,
  ParentClosePolicy,
  executeChild,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  upsertMemo,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { RunActivities } from '../activities/runs';
import type { EmailActivities } from '../activities/email';
import { BATCH_SIZE, SEARCH_ATTRIBUTES, TASK_QUEUES } from '../shared/names';
import type { LookupFailureCounts, Progress, RunOutcome, RunScope, ScanBatchResult, ScanRunInput, ScanRunResult } from '../shared/types';
import { progressQuery } from './queries';
import { scopeLabel } from '../shared/scope';
import { scanBatch } from './scan-batch';
import { publishRun } from './publish-run';

const { createRun, finishRun } = proxyActivities<RunActivities>({
  taskQueue: TASK_QUEUES.process,
  // Snapshotting 1,000,000 sites is one INSERT ... SELECT: seconds, not minutes.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidInputError'] },
});

const { sendEmail } = proxyActivities<EmailActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/**
 * A run: snapshot the sites, scan them in batches of 10,000 (one child workflow each, a few in
 * flight), record the outcome, and report by email. Started daily by the `dnstats-daily-run`
 * schedule, or ad hoc with a scope.
 */
export async function scanRun(input: ScanRunInput = {}): Promise<ScanRunResult> {
  const info = workflowInfo();
  const scope: RunScope = input.scope ?? { kind: 'full' };
  const maxBatchesInFlight = input.maxBatchesInFlight ?? 4;
  const chunkSize = input.chunkSize ?? 250;
  const maxChunksInFlight = input.maxChunksInFlight ?? 4;
  const started = Date.now();
  const label = scopeLabel(scope);

  const progress: Progress = {
    runId: null,
    sites: 0,
    scanned: 0,
    processed: 0,
    graded: 0,
    batchesTotal: 0,
    batchesDone: 0,
    batchesFailed: 0,
    runningBatches: [],
    phase: 'creating run',
  };
  setHandler(progressQuery, () => ({ ...progress, runningBatches: [...progress.runningBatches] }));
  upsertMemo({ scope });

  const run = await createRun({ workflowId: info.workflowId, scope, startedAt: new Date(started).toISOString() });
  progress.runId = run.runId;
  progress.sites = run.sites;
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.runId, value: String(run.runId) },
    { key: SEARCH_ATTRIBUTES.scope, value: label },
    { key: SEARCH_ATTRIBUTES.status, value: 'running' },
  ]);
  const emailKey = (kind: string) => `${info.workflowId}/${kind}`;
  await sendEmail({
    kind: 'scan-starting',
    idempotencyKey: emailKey('scan-starting'),
    runId: run.runId,
    workflowId: info.workflowId,
    sites: run.sites,
    startedAt: run.startedAt,
    scope: label,
  });

  const batchCount = Math.ceil(run.sites / BATCH_SIZE);
  progress.batchesTotal = batchCount;
  progress.phase = 'scanning';
  const lookupFailures: LookupFailureCounts = {};
  const failedBatches: number[] = [];
  let queries = 0;
  let cancellation: unknown = null;
  let queuedEmail: Promise<unknown> = Promise.resolve();

  const runBatch = async (batchIndex: number, handle: ChildWorkflowHandle<typeof scanBatch>) => {
    progress.runningBatches.push(batchIndex);
    try {
      const result: ScanBatchResult = await handle.result();
      progress.scanned += result.scanned;
      progress.processed += result.processed;
      progress.graded += result.graded;
      queries += result.queries;
      for (const [status, n] of Object.entries(result.lookupFailures)) lookupFailures[status] = (lookupFailures[status] ?? 0) + n;
      progress.batchesDone++;
    } catch (err) {
      if (isCancellation(err)) throw err;
      failedBatches.push(batchIndex);
      progress.batchesFailed++;
    } finally {
      progress.runningBatches = progress.runningBatches.filter((b) => b !== batchIndex);
    }
  };

  try {
    // A sliding window of batches; each child's id is derived from the run's, so a retried
    // parent (or a replay) never starts a batch twice.
    let nextBatch = 0;
    const lane = async () => {
      while (nextBatch < batchCount) {
        const batchIndex = nextBatch++;
        const firstOrdinal = batchIndex * BATCH_SIZE;
        const handle = await startChild(scanBatch, {
          workflowId: `${info.workflowId}/batch-${batchIndex}`,
          taskQueue: TASK_QUEUES.scan,
          args: [{ runId: run.runId, batchIndex, firstOrdinal, endOrdinal: Math.min(firstOrdinal + BATCH_SIZE, run.sites), chunkSize, maxChunksInFlight, scanHeartbeatTimeout: input.scanHeartbeatTimeout }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTES.runId, value: String(run.runId) },
            { key: SEARCH_ATTRIBUTES.scope, value: label },
          ],
          staticSummary: `run ${run.runId} batch ${batchIndex}`,
        });
        if (nextBatch >= batchCount) {
          progress.phase = 'all batches queued';
          // Sent while the last batches run; a failure (after its retries) is logged, never left
          // as an unhandled rejection that would fail the workflow task.
          queuedEmail = sendEmail({
            kind: 'all-batches-queued',
            idempotencyKey: emailKey('all-batches-queued'),
            runId: run.runId,
            workflowId: info.workflowId,
            batches: batchCount,
            startedAt: run.startedAt,
          }).catch((err: unknown) => log.warn('the "all batches queued" email was not sent', { error: String(err) }));
        }
        await runBatch(batchIndex, handle);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(maxBatchesInFlight, batchCount)) }, lane));
    if (batchCount === 0) {
      await sendEmail({ kind: 'all-batches-queued', idempotencyKey: emailKey('all-batches-queued'), runId: run.runId, workflowId: info.workflowId, batches: 0, startedAt: run.startedAt });
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    cancellation = err;
  }

  // Record the outcome even when the run was cancelled: these steps must not be cancelled too.
  const outcome: RunOutcome = cancellation ? 'cancelled' : failedBatches.length > 0 ? 'partial' : 'completed';
  const summary = await CancellationScope.nonCancellable(async () => {
    await queuedEmail;
    progress.phase = 'recording outcome';
    const recorded = await finishRun({ runId: run.runId, outcome, failedBatches: [...failedBatches].sort((a, b) => a - b) });
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: outcome }]);
    await sendEmail({
      kind: 'scan-summary',
      idempotencyKey: emailKey('scan-summary'),
      runId: run.runId,
      workflowId: info.workflowId,
      outcome,
      sites: recorded.sites,
      scanned: recorded.scanned,
      graded: recorded.graded,
      queries: recorded.queries,
      lookupFailures: recorded.lookupFailures,
      failedBatches,
      seconds: recorded.seconds,
    });
    return recorded;
  });
  progress.phase = outcome;
  progress.scanned = summary.scanned;
  progress.processed = summary.processed;
  progress.graded = summary.graded;
  // Rethrown so the execution closes as Cancelled, as operators expect in the Web UI.
  if (cancellation) throw cancellation;

  // Publication: chained here, when the batches are done, rather than guessed by a second schedule.
  let finalOutcome: RunOutcome = outcome;
  const publication: Pick<ScanRunResult, 'published' | 'publishedUrl' | 'publishError'> = {};
  // An empty run (a rank range with no listed site) has nothing to publish: it must not replace
  // the site's latest statistics.
  if ((outcome === 'completed' || outcome === 'partial') && input.publish !== false && run.sites > 0) {
    progress.phase = 'publishing';
    try {
      const published = await executeChild(publishRun, {
        workflowId: `${info.workflowId}/publish`,
        taskQueue: TASK_QUEUES.process,
        args: [{ runId: run.runId }],
        staticSummary: `publish run ${run.runId}`,
      });
      publication.published = published.published;
      if (published.url) publication.publishedUrl = published.url;
      if (published.outcome === 'botched') {
        finalOutcome = 'botched';
        upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: 'botched' }]);
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The scan's data is safe in Postgres: a failed publication is reported, and `dnstats publish` re-runs it.
      publication.published = false;
      publication.publishError = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
    }
    progress.phase = finalOutcome;
  }
  return {
    ...publication,
    runId: run.runId,
    outcome: finalOutcome,
    sites: summary.sites,
    scanned: summary.scanned,
    processed: summary.processed,
    graded: summary.graded,
    queries: summary.queries || queries,
    lookupFailures: summary.lookupFailures,
    failedBatches,
    seconds: summary.seconds,
  };
}
