// Publication activities (dnstats-process queue): the coverage guard, marking a botched run, and
// building + publishing the run's site. Building and publishing are one activity because the
// build folder is local to the worker that made it.
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Db } from '../db/connection';
import { loadConfig, type Config } from '../config';
import { checkCoverage, type CoverageCheck } from '../publish/coverage';
import { publishRunSite, type PublishedRun } from '../publish/publisher';
import { LocalFolderTarget, type PublishTarget } from '../publish/target';

export interface PublishActivityOptions {
  coverageThreshold: number;
  target: PublishTarget;
}

/** The configured options: DNSTATS_COVERAGE_THRESHOLD, and the local folder DNSTATS_PUBLISH_DIR at DNSTATS_PUBLIC_URL. */
export function publishOptionsFromConfig(config: Config = loadConfig()): PublishActivityOptions {
  const publicUrl = config.publish.publicUrl ?? `http://${config.publish.serveHost}:${config.publish.servePort}`;
  return { coverageThreshold: config.publish.coverageThreshold, target: new LocalFolderTarget(config.publish.dir, publicUrl) };
}

async function existingRun(db: Db, runId: number) {
  if (!Number.isSafeInteger(runId) || runId < 1) throw ApplicationFailure.nonRetryable(`invalid run id ${JSON.stringify(runId)}`, 'InvalidInputError');
  const run = await db.selectFrom('runs').select(['id', 'outcome']).where('id', '=', runId).executeTakeFirst();
  if (!run) throw ApplicationFailure.nonRetryable(`run ${runId} does not exist`, 'InvalidInputError');
  if (run.outcome === 'running') throw ApplicationFailure.nonRetryable(`run ${runId} is still running: publish it once it has finished`, 'InvalidInputError');
  return run;
}

export function createPublishActivities({ db, options }: { db: Db; options?: PublishActivityOptions }) {
  // Read lazily so a worker that never publishes does not need the settings to be valid.
  let resolved = options;
  const opts = () => (resolved ??= publishOptionsFromConfig());
  return {
    async checkPublicationCoverage({ runId }: { runId: number }): Promise<CoverageCheck> {
      await existingRun(db, runId);
      return checkCoverage(db, runId, opts().coverageThreshold);
    },

    async markRunBotched({ runId }: { runId: number }): Promise<void> {
      await existingRun(db, runId);
      await db.updateTable('runs').set({ outcome: 'botched' }).where('id', '=', runId).execute();
    },

    /** Reports, statistics, page: built, then published to the target; heartbeats after each report. */
    async publishRunSite({ runId }: { runId: number }): Promise<PublishedRun> {
      await existingRun(db, runId);
      return publishRunSite(db, opts().target, runId, (step) => heartbeat(step));
    },
  };
}

export type PublishActivities = ReturnType<typeof createPublishActivities>;
