// Inputs, outputs and query results of the workflows: small commands and summaries only
// (DESIGN.md "Control plane vs data plane"). Never per-site data.

/** Which sites a run covers. `development` is the original's Development mode: the top 50. */
export type RunScope =
  | { kind: 'top'; count: number }
  | { kind: 'ranks'; from: number; to: number }
  | { kind: 'domains'; domains: string[] }
  | { kind: 'development' }
  | { kind: 'full' };

export interface ScanRunInput {
  /** Defaults to `{ kind: 'full' }` (the schedule's daily run of the whole list, 1..1,000,000). */
  scope?: RunScope;
  /** Batch child workflows in flight at once (default 4). */
  maxBatchesInFlight?: number;
  /** Sites per chunk activity (default 250). */
  chunkSize?: number;
  /** Chunks in flight per batch (default 4). */
  maxChunksInFlight?: number;
  /** How long a scan attempt may go without a heartbeat before it is retried elsewhere (default '30s'). */
  scanHeartbeatTimeout?: string;
  /** Run the publication (coverage guard, reports, site, email) when the run completes (default true). */
  publish?: boolean;
}

export interface ScanBatchInput {
  runId: number;
  batchIndex: number;
  /** Ordinals [firstOrdinal, endOrdinal) of the run's frozen snapshot. */
  firstOrdinal: number;
  endOrdinal: number;
  chunkSize: number;
  maxChunksInFlight: number;
  scanHeartbeatTimeout?: string;
}

export interface LookupFailureCounts {
  [status: string]: number;
}

export interface ChunkRef {
  runId: number;
  /** Ordinals [firstOrdinal, endOrdinal) of the run snapshot. */
  firstOrdinal: number;
  endOrdinal: number;
}

export interface ScanChunkResult {
  sites: number;
  scanned: number;
  queries: number;
  /** Per-query failure statuses (TIMEOUT, SERVFAIL, ...) across the chunk. */
  lookupFailures: LookupFailureCounts;
  /** Sites whose every query failed (counted, not an activity failure). */
  unreachableSites: number;
}

export interface ProcessChunkResult {
  processed: number;
}

export interface GradeChunkResult {
  graded: number;
  remarks: number;
}

/** How many sites went through each stage, and the queries (and failed ones) behind them. */
export interface StageTotals {
  sites: number;
  scanned: number;
  processed: number;
  graded: number;
  queries: number;
  lookupFailures: LookupFailureCounts;
}

export interface ScanBatchResult extends StageTotals {
  batchIndex: number;
}

export type RunOutcome = 'running' | 'completed' | 'partial' | 'cancelled' | 'failed' | 'botched';

export interface ScanRunResult extends StageTotals {
  runId: number;
  outcome: RunOutcome;
  failedBatches: number[];
  seconds: number;
  /** True when the publication child published the run's site. */
  published?: boolean;
  /** The published run page. */
  publishedUrl?: string;
  /** Why nothing was published when the publication child failed. */
  publishError?: string;
}

export interface Progress {
  runId: number | null;
  sites: number;
  scanned: number;
  processed: number;
  graded: number;
  batchesTotal: number;
  batchesDone: number;
  batchesFailed: number;
  /** Indices of the batch workflows running now (query `<run workflow id>/batch-<n>` for theirs). */
  runningBatches: number[];
  phase: string;
}

export interface CreateRunResult {
  runId: number;
  sites: number;
  startedAt: string;
}

export interface PublishRunInput {
  runId: number;
  /** Publish even under the coverage threshold (`dnstats publish RUN --force`). */
  ignoreCoverage?: boolean;
}

export interface PublishRunResult {
  runId: number;
  outcome: 'published' | 'botched';
  published: boolean;
  url?: string;
  folder?: string;
  sites: number;
  graded: number;
  /** Graded sites the coverage guard asked for. */
  required: number;
  reports?: number;
}
