// Inputs and results of the site-list import. Workflow code imports this module (types and pure
// code only): the workflow receives counts and a bounded sample of rejected rows, never the list.

export interface ImportSitesInput {
  /** An http(s) URL or a local path / file: URL, zipped or plain CSV. Default: config.tranco.url. */
  source?: string;
  /** Fraction of bad rows above which the whole list is refused (default 0.01, i.e. 1 %). */
  rejectThreshold?: number;
  /** Retries of the import activity for retryable faults (an unreachable URL, the database down). */
  retry?: { maximumAttempts?: number; initialIntervalMs?: number };
}

/** A row of the list that was not imported, with its 1-based line number in the CSV. */
export interface RejectedRow {
  line: number;
  content: string;
  reason: string;
}

export interface ImportCounts {
  /** Non-empty lines of the CSV. */
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  newSites: number;
  rerankedSites: number;
  unrankedSites: number;
}

export interface ImportSiteListInput {
  workflowId: string;
  source: string;
  rejectThreshold?: number;
  startedAt?: string;
}

export interface SiteListImportResult extends ImportCounts {
  importId: number;
  source: string;
  status: 'completed';
  /** The first rejected rows by line number (at most REJECTED_SAMPLE_SIZE). */
  rejectedSample: RejectedRow[];
  /** SHA-256 of the file as downloaded (the zip, or the CSV): which list this was. */
  sha256: string;
  seconds: number;
}

export interface ImportSitesResult extends SiteListImportResult {
  workflowId: string;
}

/** What a refused or failed import reports (the details of its ApplicationFailure). */
export interface ImportFailureDetails extends Partial<ImportCounts> {
  status: 'refused' | 'failed';
  source: string;
  rejectedSample?: RejectedRow[];
}

export const REJECTED_SAMPLE_SIZE = 100;
export const DEFAULT_REJECT_THRESHOLD = 0.01;

/** One line of an email or log per rejected row. */
export function formatRejectedRow(row: RejectedRow): string {
  return `line ${row.line}: ${JSON.stringify(row.content)}: ${row.reason}`;
}
