import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { ScanActivities } from '../activities/scan';
import type { AnalysisActivities } from '../activities/analysis';
import { TASK_QUEUES } from '../shared/names';
import type { LookupFailureCounts, Progress, ScanBatchInput, ScanBatchResult } from '../shared/types';
import { progressQuery } from './queries';

// Timeouts sized from measurements: a 250-site chunk scans in a few seconds against the lab and
// well under a minute against the Internet; the per-site DNS deadline (~20 s) bounds the worst
// case. The activity heartbeats every 2 s, so a dead worker's attempt is retried elsewhere after
// the heartbeat timeout.
function scanActivities(heartbeatTimeout: string) {
  return proxyActivities<ScanActivities>({
    taskQueue: TASK_QUEUES.scan,
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: heartbeatTimeout as Duration,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8, nonRetryableErrorTypes: ['InvalidInputError'] },
  });
}

const { processChunk, gradeChunk } = proxyActivities<AnalysisActivities>({
  taskQueue: TASK_QUEUES.process,
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8, nonRetryableErrorTypes: ['InvalidInputError', 'CheckFailure', 'MissingRemarkError'] },
});

/**
 * One batch of a run (normally 10,000 sites): its ordinals split into chunks, each chunk
 * scanned, then processed, then graded, with several chunks in flight so the stages overlap.
 */
export async function scanBatch(input: ScanBatchInput): Promise<ScanBatchResult> {
  const { runId, batchIndex, firstOrdinal, endOrdinal, chunkSize, maxChunksInFlight } = input;
  const { scanChunk } = scanActivities(input.scanHeartbeatTimeout ?? '30s');
  const sites = endOrdinal - firstOrdinal;
  const lookupFailures: LookupFailureCounts = {};
  const state = { scanned: 0, processed: 0, graded: 0, queries: 0, chunksDone: 0 };
  const chunks: Array<{ firstOrdinal: number; endOrdinal: number }> = [];
  for (let first = firstOrdinal; first < endOrdinal; first += chunkSize) {
    chunks.push({ firstOrdinal: first, endOrdinal: Math.min(first + chunkSize, endOrdinal) });
  }
  setHandler(progressQuery, (): Progress => ({
    runId,
    sites,
    scanned: state.scanned,
    processed: state.processed,
    graded: state.graded,
    batchesTotal: 1,
    batchesDone: state.chunksDone === chunks.length ? 1 : 0,
    batchesFailed: 0,
    phase: `batch ${batchIndex}: ${state.chunksDone}/${chunks.length} chunks`,
    runningBatches: [],
  }));

  let nextChunk = 0;
  const pipeline = async () => {
    while (nextChunk < chunks.length) {
      const chunk = { runId, ...chunks[nextChunk++] };
      const scanned = await scanChunk(chunk);
      state.scanned += scanned.scanned;
      state.queries += scanned.queries;
      for (const [status, n] of Object.entries(scanned.lookupFailures)) lookupFailures[status] = (lookupFailures[status] ?? 0) + n;
      state.processed += (await processChunk(chunk)).processed;
      state.graded += (await gradeChunk(chunk)).graded;
      state.chunksDone++;
    }
  };
  // A chunk that fails after its retries fails the batch; the parent records it as failed.
  await Promise.all(Array.from({ length: Math.max(1, Math.min(maxChunksInFlight, chunks.length)) }, pipeline));
  return { batchIndex, sites, scanned: state.scanned, processed: state.processed, graded: state.graded, queries: state.queries, lookupFailures };
}
