// What a standalone worker process does: read the environment, connect, run until SIGTERM/SIGINT,
// then shut down gracefully (in-flight activities finish or heartbeat within the grace time).
import os from 'node:os';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { connectDatabase, prepareDatabase } from '../db';
import { createMailer } from '../email/mailer';
import { createScanner, scannerOptionsFromEnv } from '../dns/scanner';
import { temporalConnectionOptions } from '../temporal/connection';
import { installRuntime } from './runtime';
import { createProcessWorker, createScanWorker } from './create-workers';

export async function runWorkerProcess(kind: 'scan' | 'process'): Promise<void> {
  const config = loadConfig();
  installRuntime(config.logLevel);
  if (!config.database.url) throw new Error('DATABASE_URL is required by a standalone worker (npm start runs an embedded Postgres instead)');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required by a standalone worker (npm start runs a dev server instead)');
  const db = connectDatabase({ url: config.database.url, poolSize: config.database.poolSize, applicationName: `dnstats-${kind}-worker` });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const identity = `${kind}@${os.hostname()}/${process.pid}`;
  let worker: Worker;
  let closeScanner = async () => undefined as void;
  if (kind === 'process') {
    await prepareDatabase(db);
    worker = await createProcessWorker({
      connection,
      namespace: config.temporal.namespace,
      db,
      identity,
      mailer: createMailer({ apiKey: config.email.resendApiKey, from: config.email.from, to: config.email.to, log: (l) => console.log(l) }),
      activitySlots: config.workers.processActivitySlots,
      shutdownGraceSeconds: config.workers.shutdownGraceSeconds,
    });
  } else {
    const scanner = createScanner(scannerOptionsFromEnv());
    closeScanner = () => scanner.close();
    worker = await createScanWorker({
      connection,
      namespace: config.temporal.namespace,
      db,
      identity,
      scanner,
      activitySlots: config.workers.scanActivitySlots,
      workflowSlots: config.workers.scanWorkflowSlots,
      sitesInFlightPerChunk: config.workers.sitesInFlightPerChunk,
      shutdownGraceSeconds: config.workers.shutdownGraceSeconds,
    });
  }
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(`dnstats ${kind} worker ${identity} polling ${config.temporal.address} namespace ${config.temporal.namespace}`);
  try {
    await worker.run();
  } finally {
    await closeScanner();
    await connection.close();
    await db.destroy();
  }
}

export function main(kind: 'scan' | 'process'): void {
  runWorkerProcess(kind).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack ?? err.message : err);
      process.exit(1);
    },
  );
}
