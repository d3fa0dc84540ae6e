// The two kinds of worker, built from their dependencies so the entry points, `npm start` and
// the tests all run the same configuration.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { TASK_QUEUES } from '../shared/names';
import type { Db } from '../db/connection';
import type { Mailer } from '../email/mailer';
import { createRunActivities } from '../activities/runs';
import { createAnalysisActivities } from '../activities/analysis';
import { createEmailActivities } from '../activities/email';
import { createPublishActivities } from '../activities/publish';
import { createImportActivities } from '../activities/import';
import { createScanActivities, type SiteScanner } from '../activities/scan';
import { workflowSource } from './workflow-source';

type WorkflowSource = ReturnType<typeof workflowSource>;

export interface CommonWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  db: Db;
  workflows?: WorkflowSource;
  shutdownGraceSeconds?: number;
  identity?: string;
}

export interface ProcessWorkerDeps extends CommonWorkerDeps {
  mailer: Mailer;
  activitySlots: number;
  /** Extra activities other stages register on this queue (import, publication). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
}

export interface ScanWorkerDeps extends CommonWorkerDeps {
  scanner: SiteScanner;
  activitySlots: number;
  workflowSlots: number;
  sitesInFlightPerChunk: number;
}

function common(deps: CommonWorkerDeps): Partial<WorkerOptions> {
  return {
    connection: deps.connection,
    namespace: deps.namespace,
    ...(deps.workflows ?? workflowSource()),
    shutdownGraceTime: `${deps.shutdownGraceSeconds ?? 30}s`,
    ...(deps.identity ? { identity: deps.identity } : {}),
  };
}

/** dnstats-process: the run and import workflows, and the CPU/DB-bound activities. */
export function createProcessWorker(deps: ProcessWorkerDeps): Promise<Worker> {
  return Worker.create({
    ...common(deps),
    taskQueue: TASK_QUEUES.process,
    activities: {
      ...createRunActivities({ db: deps.db }),
      ...createAnalysisActivities({ db: deps.db }),
      ...createEmailActivities({ mailer: deps.mailer }),
      ...createImportActivities({ db: deps.db }),
      ...createPublishActivities({ db: deps.db }),
      ...(deps.extraActivities ?? {}),
    },
    maxConcurrentActivityTaskExecutions: deps.activitySlots,
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: Math.max(2, Math.min(deps.activitySlots, 10)) },
  });
}

/** dnstats-scan: batch workflows and the network-bound scan activity. */
export function createScanWorker(deps: ScanWorkerDeps): Promise<Worker> {
  return Worker.create({
    ...common(deps),
    taskQueue: TASK_QUEUES.scan,
    activities: createScanActivities({ db: deps.db, scanner: deps.scanner, sitesInFlight: deps.sitesInFlightPerChunk }),
    maxConcurrentActivityTaskExecutions: deps.activitySlots,
    maxConcurrentWorkflowTaskExecutions: deps.workflowSlots,
    // maxConcurrentActivityTaskPolls does nothing in SDK 1.24; poller behaviour is what counts.
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: Math.max(2, Math.min(deps.activitySlots, 10)) },
  });
}
