// Every name that workflows, workers, the CLI and operators' `temporal` commands share.
// Workflow code imports this module, so it must stay free of side-effecting imports.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TASK_QUEUES = {
  /** Network-bound: scanBatch workflows and scanChunk activities. */
  scan: 'dnstats-scan',
  /** CPU/DB-bound: scanRun, importSites, publication; process, grade, email, database activities. */
  process: 'dnstats-process',
} as const;

export const WORKFLOW_TYPES = {
  scanRun: 'scanRun',
  scanBatch: 'scanBatch',
  importSites: 'importSites',
} as const;

export const SCHEDULE_IDS = {
  dailyRun: 'dnstats-daily-run',
  dailyImport: 'dnstats-daily-import',
} as const;

export const NAMESPACE_DEFAULT = 'default';

/** Custom search attributes; the dev server registers them at start (`--search-attribute`). */
export const SEARCH_ATTRIBUTES = {
  runId: defineSearchAttributeKey('DnstatsRunId', SearchAttributeType.KEYWORD),
  scope: defineSearchAttributeKey('DnstatsScope', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('DnstatsStatus', SearchAttributeType.KEYWORD),
} as const;

/** `Name=Type` pairs in the form `temporal server start-dev --search-attribute` takes. */
export const SEARCH_ATTRIBUTE_FLAGS: string[] = Object.values(SEARCH_ATTRIBUTES).map((key) => `${key.name}=Keyword`);

/** Sites per batch child workflow (DESIGN.md "Frozen membership"). */
export const BATCH_SIZE = 10_000;
