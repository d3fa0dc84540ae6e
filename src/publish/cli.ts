// `dnstats publish RUN` and `dnstats serve` (wired into src/cli/main.ts by the lead).
import { databaseUrlOf, loadConfig } from '../config';
import { connectDatabase } from '../db';
import { connectClient } from '../temporal/connection';
import { TASK_QUEUES } from '../shared/names';
import type { PublishRunInput, PublishRunResult } from '../shared/types';
import type { Db } from '../db/connection';
import { startSiteServer } from './serve';

export const PUBLISH_WORKFLOW_TYPE = 'publishRun';

/** A run by id (`42`) or by its workflow id; the latest finished run when omitted. */
export async function resolveRunRef(db: Db, runRef: string | undefined): Promise<{ id: number; outcome: string }> {
  const query = db.selectFrom('runs').select(['id', 'outcome']);
  const run = !runRef
    ? await query.where('outcome', '!=', 'running').orderBy('start_time', 'desc').limit(1).executeTakeFirst()
    : /^\d+$/.test(runRef)
      ? await query.where('id', '=', Number(runRef)).executeTakeFirst()
      : await query.where('workflow_id', '=', runRef).executeTakeFirst();
  if (!run) throw new Error(runRef ? `no run ${JSON.stringify(runRef)} (give a run id or a run's workflow id)` : 'no finished run to publish');
  if (run.outcome === 'running') throw new Error(`run ${run.id} is still running: it publishes itself when it finishes`);
  return run;
}

/** Re-runs the publication of a finished run through Temporal (a publishRun workflow) and waits for it. */
export async function publishCommand(runRef: string | undefined, options: { force?: boolean } = {}): Promise<PublishRunResult> {
  const config = loadConfig();
  const db = connectDatabase({ url: databaseUrlOf(config), poolSize: 1, applicationName: 'dnstats-cli' });
  let run: { id: number };
  try {
    run = await resolveRunRef(db, runRef);
  } finally {
    await db.destroy();
  }
  const client = await connectClient(config);
  try {
    const input: PublishRunInput = { runId: run.id, ...(options.force ? { ignoreCoverage: true } : {}) };
    const workflowId = `dnstats-publish-run-${run.id}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    console.log(`publishing run ${run.id} (workflow ${workflowId})`);
    const result = (await client.workflow.execute(PUBLISH_WORKFLOW_TYPE, { taskQueue: TASK_QUEUES.process, workflowId, args: [input] })) as PublishRunResult;
    console.log(formatPublishResult(result));
    return result;
  } finally {
    await client.connection.close();
  }
}

export function formatPublishResult(result: PublishRunResult): string {
  if (result.outcome === 'botched') {
    return `run ${result.runId} NOT published: ${result.graded} of ${result.sites} sites graded, ${result.required} needed (DNSTATS_COVERAGE_THRESHOLD); the run is marked botched. \`dnstats publish ${result.runId} --force\` publishes it anyway.`;
  }
  return `run ${result.runId} published: ${result.url} (${result.graded} sites graded, ${result.reports ?? 0} reports)`;
}

/** Serves the publish folder until SIGINT/SIGTERM. */
export async function serveCommand(opts: { port?: number; host?: string; dir?: string } = {}): Promise<void> {
  const config = loadConfig();
  const dir = opts.dir ?? config.publish.dir;
  const server = await startSiteServer({ dir, host: opts.host ?? config.publish.serveHost, port: opts.port ?? config.publish.servePort });
  console.log(`serving ${dir} at ${server.url}/ (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
