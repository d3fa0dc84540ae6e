// Starting, watching and describing runs from the command line.
import fs from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { BATCH_SIZE, SEARCH_ATTRIBUTES, TASK_QUEUES, WORKFLOW_TYPES } from '../shared/names';
import { scopeLabel } from '../shared/scope';
import type { Progress, RunScope, ScanRunInput, ScanRunResult } from '../shared/types';
import { progressQuery } from '../workflows/queries';
import { formatSeconds } from '../email/templates';
import type { Db } from '../db';
import { stageCounts } from '../db/run-counts';

export function parseScope(options: { top?: string; ranks?: string; domains?: string; development?: boolean; full?: boolean }): RunScope {
  const given = [options.top, options.ranks, options.domains, options.development, options.full].filter((o) => o !== undefined && o !== false);
  if (given.length !== 1) throw new Error('give exactly one scope: --top N, --ranks A-B, --domains FILE, --development or --full');
  if (options.top !== undefined) {
    const count = Number(options.top);
    if (!Number.isInteger(count) || count < 1) throw new Error(`--top ${options.top}: expected a positive integer`);
    return { kind: 'top', count };
  }
  if (options.ranks !== undefined) {
    const match = /^(\d+)-(\d+)$/.exec(options.ranks);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < Number(match[1])) throw new Error(`--ranks ${options.ranks}: expected A-B with 1 ≤ A ≤ B`);
    return { kind: 'ranks', from: Number(match[1]), to: Number(match[2]) };
  }
  if (options.domains !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(options.domains, 'utf8');
    } catch (err) {
      throw new Error(`--domains ${options.domains}: ${(err as Error).message}`);
    }
    // One domain a line, or a Tranco-style "rank,domain" line; blank lines and # comments skipped.
    const domains = text
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean)
      .map((line) => (line.includes(',') ? line.split(',').pop()!.trim() : line));
    if (domains.length === 0) throw new Error(`--domains ${options.domains}: the file lists no domain`);
    return { kind: 'domains', domains };
  }
  return options.development ? { kind: 'development' } : { kind: 'full' };
}

export function workflowUiUrl(uiUrl: string | null | undefined, namespace: string, workflowId: string): string | null {
  return uiUrl ? `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}` : null;
}

export async function startRun(client: Client, input: ScanRunInput, workflowId?: string): Promise<WorkflowHandle> {
  const scope = input.scope ?? { kind: 'full' };
  const id = workflowId ?? `dnstats-run-${scopeLabel(scope)}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return client.workflow.start(WORKFLOW_TYPES.scanRun, {
    taskQueue: TASK_QUEUES.process,
    workflowId: id,
    args: [input],
    memo: { scope },
    typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.scope, value: scopeLabel(scope) }],
  });
}

/** The run's progress: the parent's batch counts plus the live counts of its running batches. */
export async function queryRunProgress(client: Client, workflowId: string): Promise<Progress> {
  const progress = await client.workflow.getHandle(workflowId).query(progressQuery);
  const running = await Promise.all(
    progress.runningBatches.map((b) =>
      client.workflow
        .getHandle(`${workflowId}/batch-${b}`)
        .query(progressQuery)
        .catch(() => null),
    ),
  );
  for (const batch of running) {
    if (!batch) continue;
    progress.scanned += batch.scanned;
    progress.processed += batch.processed;
    progress.graded += batch.graded;
  }
  return progress;
}

/** Waits for a run, drawing a progress bar from the `progress` query, and returns its result. */
export async function watchRun(client: Client, handle: WorkflowHandle, { interactive = process.stderr.isTTY }: { interactive?: boolean } = {}): Promise<ScanRunResult> {
  const bar = new SingleBar(
    { format: '{phase} |{bar}| {graded}/{total} graded · {scanned} scanned · batches {batchesDone}/{batchesTotal}', hideCursor: true, noTTYOutput: !interactive, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  let started = false;
  const timer = setInterval(() => {
    void queryRunProgress(client, handle.workflowId).then(
      (p) => {
        const payload = { phase: p.phase.padEnd(18), scanned: p.scanned, batchesDone: p.batchesDone, batchesTotal: p.batchesTotal, graded: p.graded };
        if (!started && p.sites > 0) {
          bar.start(p.sites, p.graded, payload);
          started = true;
        } else if (started) bar.update(p.graded, payload);
      },
      () => undefined,
    );
  }, 500);
  try {
    return (await handle.result()) as ScanRunResult;
  } finally {
    clearInterval(timer);
    if (started) bar.stop();
  }
}

export function formatRunResult(result: ScanRunResult): string {
  const failures = Object.entries(result.lookupFailures)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  return [
    `run ${result.runId}: ${result.outcome}`,
    `  sites ${result.sites}, scanned ${result.scanned}, processed ${result.processed}, graded ${result.graded}`,
    `  queries ${result.queries}; lookup failures: ${failures || 'none'}`,
    result.failedBatches.length ? `  failed batches: ${result.failedBatches.join(', ')}` : null,
    `  duration ${formatSeconds(result.seconds)} (${result.seconds > 0 ? Math.round(result.sites / result.seconds) : result.sites} sites/s)`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** `dnstats status [RUN]`: the database's record of a run, plus Temporal's live view if it is running. */
export async function describeRun(db: Db, client: Client | null, runRef?: string): Promise<string> {
  let query = db.selectFrom('runs').selectAll();
  if (runRef === undefined) query = query.orderBy('id', 'desc').limit(1);
  else if (/^\d+$/.test(runRef)) query = query.where('id', '=', Number(runRef));
  else query = query.where('workflow_id', '=', runRef);
  const run = await query.executeTakeFirst();
  if (!run) return runRef === undefined ? 'no run yet' : `no run ${runRef}`;
  const counts = await stageCounts(db, run.id);
  const lines = [
    `run ${run.id} (${run.workflow_id}) scope ${scopeLabel(run.scope)}: ${run.outcome}`,
    `  started ${run.start_time.toISOString()}${run.end_time ? `, ended ${run.end_time.toISOString()}` : ''}`,
    `  sites ${run.site_count} in ${Math.ceil(run.site_count / BATCH_SIZE)} batches; scanned ${counts.scanned}, processed ${counts.processed}, graded ${counts.graded}`,
  ];
  if (run.failed_batches.length) lines.push(`  failed batches: ${run.failed_batches.join(', ')}`);
  if (run.summary) {
    const failures = Object.entries(run.summary.lookupFailures).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`  queries ${run.summary.queries}; lookup failures: ${failures || 'none'}; duration ${formatSeconds(run.summary.seconds)}`);
  }
  if (client) {
    try {
      const description = await client.workflow.getHandle(run.workflow_id).describe();
      lines.push(`  temporal: ${description.status.name}`);
      if (description.status.name === 'RUNNING') {
        const p = await queryRunProgress(client, run.workflow_id);
        lines.push(`  live: ${p.phase}; batches ${p.batchesDone}/${p.batchesTotal} done, ${p.batchesFailed} failed, running ${p.runningBatches.join(', ') || '-'}`);
      }
    } catch (err) {
      lines.push(err instanceof WorkflowNotFoundError ? '  temporal: no such workflow (history deleted after retention?)' : `  temporal: unreachable (${(err as Error).message})`);
    }
  }
  return lines.join('\n');
}
