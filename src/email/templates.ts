// Subjects kept from the original (spec §22) so inbox filters keep working; bodies say more.
import type { LookupFailureCounts } from '../shared/types';

export type EmailMessage =
  | { kind: 'scan-starting'; runId: number; workflowId: string; sites: number; startedAt: string; scope: string; uiUrl?: string }
  | { kind: 'all-batches-queued'; runId: number; workflowId: string; batches: number; startedAt: string }
  | {
      kind: 'scan-summary';
      runId: number;
      workflowId: string;
      outcome: string;
      sites: number;
      scanned: number;
      graded: number;
      queries: number;
      lookupFailures: LookupFailureCounts;
      failedBatches: number[];
      seconds: number;
      uiUrl?: string;
    }
  | { kind: 'import-starting'; workflowId: string; source: string; startedAt: string }
  | {
      kind: 'import-done';
      workflowId: string;
      source: string;
      status: string;
      rowsRead: number;
      newSites: number;
      rerankedSites: number;
      unrankedSites: number;
      rejectedRows: number;
      rejectedSample: string[];
      error?: string;
    }
  | { kind: 'published'; runId: number; url: string }
  | { kind: 'botched'; runId: number; target: number; actual: number; startedAt: string };

export function renderEmail(message: EmailMessage): { subject: string; text: string } {
  switch (message.kind) {
    case 'scan-starting':
      return {
        subject: '[DNStats] Scan Starting',
        text: lines(
          `Run ${message.runId} (${message.workflowId}) started at ${message.startedAt}.`,
          `Scope: ${message.scope}; ${message.sites} sites. Starting to queue sites.`,
          message.uiUrl && `Follow it in Temporal: ${message.uiUrl}`,
        ),
      };
    case 'all-batches-queued':
      return {
        subject: '[DNStats] All Scans In Queue',
        text: lines(
          `Run ${message.runId} (${message.workflowId}), started at ${message.startedAt}, is in progress; queuing is done.`,
          `${message.batches} batches started.`,
        ),
      };
    case 'scan-summary': {
      const failures = Object.entries(message.lookupFailures)
        .sort((a, b) => b[1] - a[1])
        .map(([status, count]) => `  ${status}: ${count}`);
      return {
        subject: `[DNStats] Scan Ending: run ${message.runId} ${message.outcome}`,
        text: lines(
          `Run ${message.runId} (${message.workflowId}) ended: ${message.outcome}.`,
          `Sites: ${message.sites}; scanned: ${message.scanned}; graded: ${message.graded}; queries: ${message.queries}.`,
          `Duration: ${formatSeconds(message.seconds)}.`,
          failures.length ? `Lookup failures by kind:\n${failures.join('\n')}` : 'No lookup failures.',
          message.failedBatches.length ? `Failed batches: ${message.failedBatches.join(', ')}` : undefined,
          message.uiUrl && `History: ${message.uiUrl}`,
        ),
      };
    }
    case 'import-starting':
      return {
        subject: '[DNStats] Site List Update Started',
        text: lines(`Site list import ${message.workflowId} started at ${message.startedAt} from ${message.source}.`),
      };
    case 'import-done':
      return {
        subject: message.status === 'completed' ? '[DNStats] Site List Update Is Done' : `[DNStats] Site List Update ${message.status}`,
        text: lines(
          `Site list import ${message.workflowId} from ${message.source}: ${message.status}.`,
          message.error && `Error: ${message.error}`,
          `Rows read: ${message.rowsRead}; new sites: ${message.newSites}; re-ranked: ${message.rerankedSites}; unranked: ${message.unrankedSites}; rejected rows: ${message.rejectedRows}.`,
          message.rejectedSample.length ? `Rejected rows (first ${message.rejectedSample.length}):\n${message.rejectedSample.join('\n')}` : undefined,
        ),
      };
    case 'published':
      return {
        subject: `[DNStats] Scan id ${message.runId} Has Been Published`,
        text: lines(`The statistics of run ${message.runId} are published at ${message.url}.`),
      };
    case 'botched':
      return {
        subject: '[DNStats] CRITICAL Botched Website Deploy',
        text: lines(
          `Run ${message.runId}, started ${message.startedAt}, graded ${message.actual} sites; the target was ${message.target} (short by ${message.target - message.actual}).`,
          'Refusing to publish. Please investigate.',
        ),
      };
  }
}

function lines(...parts: Array<string | undefined | false | null>): string {
  return parts.filter(Boolean).join('\n') + '\n';
}

export function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}
