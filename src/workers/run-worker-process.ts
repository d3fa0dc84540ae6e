// What a standalone worker process does: read the environment, connect, run until SIGTERM/SIGINT,
// then shut down gracefully (in-flight activities finish or heartbeat within the grace time).
import os from 'node:os';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { connectDatabase, prepareDatabase } from '../db';
import { createMailer } from '../email/mailer';
import { createScanner, scannerOptionsFromEnv, type ScannerStats } from '../dns/scanner';
import { temporalConnectionOptions } from '../temporal/connection';
import { installRuntime } from './runtime';
import { createProcessWorker, createScanWorker } from './create-workers';
import { createLogger, observabilityPlugin, temporalLoggerFromPino } from '../logging';
import { StageMetrics, startWorkerMetricsServer, type MetricsServer } from '../metrics';

export async function runWorkerProcess(kind: 'scan' | 'process'): Promise<void> {
  const config = loadConfig();
  const identity = process.env.DNSTATS_WORKER_IDENTITY || `${kind}@${os.hostname()}/${process.pid}`;
  // JSON lines on stdout; the SDK's own messages (and activities' `log`) go through the same pino.
  const logger = createLogger({ level: config.logLevel, base: { worker: kind, identity } });
  installRuntime(config.logLevel, { logger: temporalLoggerFromPino(logger), prometheusBindAddress: config.metrics.sdkBindAddress });
  const stages = new StageMetrics();
  let scannerStats: (() => ScannerStats) | undefined;
  // Started first, so a bad DNSTATS_METRICS_ADDRESS stops the worker before it connects anywhere.
  let metrics: MetricsServer | undefined;
  if (config.metrics.workerBindAddress) {
    metrics = await startWorkerMetricsServer(config.metrics.workerBindAddress, 'DNSTATS_METRICS_ADDRESS', { kind, identity, stages, scannerStats: () => scannerStats?.() });
  }
  if (!config.database.url) throw new Error('DATABASE_URL is required by a standalone worker (npm start runs an embedded Postgres instead)');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required by a standalone worker (npm start runs a dev server instead)');
  const db = connectDatabase({ url: config.database.url, poolSize: config.database.poolSize, applicationName: `dnstats-${kind}-worker` });
  // The plugin adds run/batch/chunk log fields and stage counters to every worker on this connection.
  const connection = await NativeConnection.connect({ ...temporalConnectionOptions(config), plugins: [observabilityPlugin(stages)] });
  let worker: Worker;
  let closeScanner = async () => undefined as void;
  if (kind === 'process') {
    await prepareDatabase(db);
    worker = await createProcessWorker({
      connection,
      namespace: config.temporal.namespace,
      db,
      identity,
      mailer: createMailer({ apiKey: config.email.resendApiKey, from: config.email.from, to: config.email.to, log: (l) => logger.info({ component: 'email' }, l) }),
      activitySlots: config.workers.processActivitySlots,
      shutdownGraceSeconds: config.workers.shutdownGraceSeconds,
    });
  } else {
    const scanner = createScanner(scannerOptionsFromEnv());
    closeScanner = () => scanner.close();
    scannerStats = () => scanner.stats();
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
  logger.info(
    { temporalAddress: config.temporal.address, namespace: config.temporal.namespace, metricsUrl: metrics?.url, sdkMetricsAddress: config.metrics.sdkBindAddress },
    `dnstats ${kind} worker ${identity} polling ${config.temporal.address} namespace ${config.temporal.namespace}`,
  );
  // A parent that started this worker (src/workers/spawn.ts) learns it is polling whatever the
  // log level.
  process.send?.({ type: 'dnstats-worker-ready', kind, identity });
  try {
    await worker.run();
  } finally {
    await metrics?.close();
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
