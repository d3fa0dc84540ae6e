// The local stack `npm start` brings up on embedded defaults: Postgres (embedded unless
// DATABASE_URL), the Temporal dev server (unless TEMPORAL_ADDRESS), migrations and seed data,
// both workers in this process, and the schedules.
import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { databaseUrlOf, type Config } from '../config';
import { connectDatabase, prepareDatabase, startEmbeddedPostgres, redactUrl, type Db, type EmbeddedPostgres } from '../db';
import { resolveTemporalCli, startDevServer, type DevServer } from '../temporal/dev-server';
import { connectClient, temporalConnectionOptions } from '../temporal/connection';
import { applySchedules } from '../temporal/schedules';
import { createMailer } from '../email/mailer';
import { createScanner, type Scanner, type ScannerOptions } from '../dns/scanner';
import { installRuntime } from '../workers/runtime';
import { createProcessWorker, createScanWorker } from '../workers/create-workers';
import type { RunScope } from '../shared/types';

export interface LocalStack {
  config: Config;
  db: Db;
  databaseUrl: string;
  client: Client;
  temporalAddress: string;
  uiUrl: string | null;
  scanner: Scanner;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  config: Config;
  scannerOptions: ScannerOptions;
  importSource: string;
  log: (line: string) => void;
}

export async function startLocalStack({ config, scannerOptions, importSource, log }: LocalStackOptions): Promise<LocalStack> {
  installRuntime(config.logLevel === 'info' ? 'warn' : config.logLevel);
  fs.mkdirSync(config.home, { recursive: true });
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let postgres: EmbeddedPostgres | null = null;
    if (!config.database.url) {
      log(`starting embedded Postgres (data in ${path.join(config.home, 'postgres')}, port ${config.database.embeddedPort})`);
      postgres = await startEmbeddedPostgres({ dataDir: path.join(config.home, 'postgres', 'data'), port: config.database.embeddedPort });
      stops.push(() => postgres!.stop());
    }
    const databaseUrl = postgres?.url ?? databaseUrlOf(config);
    const db = connectDatabase({ url: databaseUrl, poolSize: config.database.poolSize });
    stops.push(() => db.destroy());
    await prepareDatabase(db);
    log(`database ready: ${redactUrl(databaseUrl)}`);

    let devServer: DevServer | null = null;
    if (!config.temporal.address) {
      const cliPath = resolveTemporalCli({ env: { ...process.env, ...(config.temporal.cliPath ? { TEMPORAL_CLI_PATH: config.temporal.cliPath } : {}) }, log });
      log(`starting the Temporal dev server (${cliPath}) on 127.0.0.1:${config.temporal.devServerPort}`);
      devServer = await startDevServer({
        cliPath,
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        dbFilename: path.join(config.home, 'temporal.sqlite'),
        logFile: path.join(config.home, 'temporal.log'),
      });
      stops.push(() => devServer!.stop());
    }
    const client = await connectClient(config, 60_000);
    stops.push(() => client.connection.close());
    const uiUrl = config.temporal.uiUrl ?? devServer?.uiUrl ?? null;

    const connection = await NativeConnection.connect(temporalConnectionOptions(config));
    stops.push(() => connection.close());
    const scanner = createScanner(scannerOptions);
    stops.push(() => scanner.close());
    const mailer = createMailer({ apiKey: config.email.resendApiKey, from: config.email.from, to: config.email.to, log });
    const common = { connection, namespace: config.temporal.namespace, db, shutdownGraceSeconds: 5 };
    const workers: Worker[] = [
      await createProcessWorker({ ...common, mailer, activitySlots: config.workers.processActivitySlots }),
      await createScanWorker({
        ...common,
        scanner,
        activitySlots: config.workers.scanActivitySlots,
        workflowSlots: config.workers.scanWorkflowSlots,
        sitesInFlightPerChunk: config.workers.sitesInFlightPerChunk,
      }),
    ];
    const running = workers.map((w) => w.run());
    stops.push(async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(running);
    });
    log('workers polling dnstats-process and dnstats-scan');

    const runScope: RunScope = config.environment === 'production' ? { kind: 'full' } : { kind: 'development' };
    const applied = await applySchedules(client, { runScope, importSource, catchupWindow: config.schedules.catchupWindow });
    log(`schedules: ${applied.map((a) => `${a.scheduleId} ${a.action}`).join(', ')} (daily run scope: ${runScope.kind})`);

    return {
      config,
      db,
      databaseUrl,
      client,
      temporalAddress: temporalConnectionOptions(config).address,
      uiUrl,
      scanner,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
