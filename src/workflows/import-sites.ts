import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { EmailActivities } from '../activities/email';
import type { ImportActivities } from '../activities/import';
import { TASK_QUEUES } from '../shared/names';
import { formatRejectedRow, type ImportFailureDetails, type ImportSitesInput, type ImportSitesResult } from '../import/types';

const INVALID_SITE_LIST = 'InvalidSiteListError'; // IMPORT_FAILURE_TYPES.invalid (activities are not imported here)

const { sendEmail } = proxyActivities<EmailActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

const { resolveSiteListSource } = proxyActivities<ImportActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: [INVALID_SITE_LIST] },
});

function failureOf(err: unknown, maximumAttempts: number): { message: string; details: Partial<ImportFailureDetails> } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  const details = cause instanceof ApplicationFailure ? { ...((cause.details?.[0] as Partial<ImportFailureDetails> | undefined) ?? {}) } : {};
  if (!details.status) details.status = cause instanceof ApplicationFailure && cause.type === INVALID_SITE_LIST ? 'refused' : 'failed';
  const gaveUp = err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' && maximumAttempts > 1;
  return { message: gaveUp ? `${message} (gave up after ${maximumAttempts} attempts)` : message, details };
}

/**
 * Imports the site list (the Tranco top 1M, or any list of `rank,domain` lines) into `sites`:
 * started daily by the `dnstats-daily-import` schedule, or by hand (`dnstats import SOURCE`).
 * One heartbeating activity does the work in Postgres; this workflow sees only counts.
 */
export async function importSites(input: ImportSitesInput = {}): Promise<ImportSitesResult> {
  const { workflowId } = workflowInfo();
  const emailKey = (kind: string) => `${workflowId}/${kind}`;
  const maximumAttempts = input.retry?.maximumAttempts ?? 5;
  const { importSiteList } = proxyActivities<ImportActivities>({
    taskQueue: TASK_QUEUES.process,
    // 1,000,000 rows take well under a minute; the margin is for a slow download.
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '1 minute',
    retry: {
      initialInterval: input.retry?.initialIntervalMs ?? 10_000,
      backoffCoefficient: 3,
      maximumInterval: '10 minutes',
      maximumAttempts,
      nonRetryableErrorTypes: [INVALID_SITE_LIST],
    },
  });
  const startedAt = new Date().toISOString();
  let source = input.source ?? 'the configured site list';
  try {
    const resolved = await resolveSiteListSource({ source: input.source });
    source = resolved.display;
    await sendEmail({ kind: 'import-starting', idempotencyKey: emailKey('import-starting'), workflowId, source, startedAt });
    const result = await importSiteList({ workflowId, source: resolved.source, rejectThreshold: input.rejectThreshold, startedAt });
    await sendEmail({
      kind: 'import-done',
      idempotencyKey: emailKey('import-done'),
      workflowId,
      source,
      status: 'completed',
      rowsRead: result.rowsRead,
      newSites: result.newSites,
      rerankedSites: result.rerankedSites,
      unrankedSites: result.unrankedSites,
      rejectedRows: result.rowsRejected,
      rejectedSample: result.rejectedSample.map(formatRejectedRow),
    });
    return { workflowId, ...result };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const { message, details } = failureOf(err, maximumAttempts);
    const status = details.status ?? 'failed';
    await sendEmail({
      kind: 'import-done',
      idempotencyKey: emailKey('import-done'),
      workflowId,
      source,
      status,
      error: `${message}. The previous site list is unchanged.`,
      rowsRead: details.rowsRead ?? 0,
      newSites: 0,
      rerankedSites: 0,
      unrankedSites: 0,
      rejectedRows: details.rowsRejected ?? 0,
      rejectedSample: (details.rejectedSample ?? []).map(formatRejectedRow),
    });
    throw ApplicationFailure.create({ type: status === 'refused' ? INVALID_SITE_LIST : 'SiteListImportFailed', message, nonRetryable: true, details: [{ ...details, status, source }] });
  }
}
