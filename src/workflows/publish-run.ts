import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PublishActivities } from '../activities/publish';
import type { EmailActivities } from '../activities/email';
import { TASK_QUEUES } from '../shared/names';
import type { PublishRunInput, PublishRunResult } from '../shared/types';

const { checkPublicationCoverage, markRunBotched } = proxyActivities<PublishActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidInputError'] },
});

// 1,000,000 sites: ~30 reports of up to 1,000,000 lines each plus the remark lists, streamed from
// Postgres. Minutes, with a heartbeat after each report.
const { publishRunSite } = proxyActivities<PublishActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidInputError'] },
});

const { sendEmail } = proxyActivities<EmailActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/**
 * Publication of a finished run: the coverage guard, then the reports, statistics and site, then
 * the "published" email. Under the threshold the run is marked botched, the botched email goes
 * out, and nothing is published. Chained by scanRun as a child; `dnstats publish RUN` re-runs it.
 */
export async function publishRun(input: PublishRunInput): Promise<PublishRunResult> {
  const { workflowId } = workflowInfo();
  const coverage = await checkPublicationCoverage({ runId: input.runId });
  if (!coverage.ok && !input.ignoreCoverage) {
    await markRunBotched({ runId: input.runId });
    await sendEmail({
      kind: 'botched',
      idempotencyKey: `${workflowId}/botched`,
      runId: input.runId,
      target: coverage.required,
      actual: coverage.graded,
      startedAt: coverage.startedAt,
    });
    return { runId: input.runId, outcome: 'botched', published: false, sites: coverage.sites, graded: coverage.graded, required: coverage.required };
  }
  const published = await publishRunSite({ runId: input.runId });
  await sendEmail({ kind: 'published', idempotencyKey: `${workflowId}/published`, runId: input.runId, url: published.url });
  return {
    runId: input.runId,
    outcome: 'published',
    published: true,
    url: published.url,
    folder: published.folder,
    sites: coverage.sites,
    graded: coverage.graded,
    required: coverage.required,
    reports: published.reports,
  };
}
