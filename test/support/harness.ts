// Per-test-file access to the shared real servers: a database of its own (migrated and seeded),
// a Temporal client and native connection in this Jest worker's namespace, and workers built
// exactly as production builds them.
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pg from 'pg';
import { connectDatabase, prepareDatabase, type Db } from '../../src/db';
import { createMailer, type Mailer } from '../../src/email/mailer';
import { createProcessWorker, createScanWorker } from '../../src/workers/create-workers';
import { installRuntime } from '../../src/workers/runtime';
import type { SiteScanner } from '../../src/activities/scan';
import { namespaceForThisFile } from './namespaces';

export interface TestContext {
  db: Db;
  databaseUrl: string;
  client: Client;
  nativeConnection: NativeConnection;
  namespace: string;
  temporalAddress: string;
  workflowBundlePath: string;
  dispose(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (test/support/global-setup.ts)`);
  return value;
}

/** A fresh database in the shared Postgres server, migrated and seeded. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = required('DNSTATS_TEST_DATABASE_URL');
  const name = `dnstats_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestContext(): Promise<TestContext> {
  installRuntime('warn');
  const database = await createTestDatabase();
  const db = connectDatabase({ url: database.url, poolSize: 10 });
  await prepareDatabase(db);
  const temporalAddress = required('DNSTATS_TEST_TEMPORAL_ADDRESS');
  const namespace = namespaceForThisFile();
  const connection = await Connection.connect({ address: temporalAddress });
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  return {
    db,
    databaseUrl: database.url,
    client: new Client({ connection, namespace }),
    nativeConnection,
    namespace,
    temporalAddress,
    workflowBundlePath: required('DNSTATS_TEST_WORKFLOW_BUNDLE'),
    async dispose() {
      await nativeConnection.close();
      await connection.close();
      await db.destroy();
      await database.drop();
    },
  };
}

export interface RunningWorkers {
  stop(): Promise<void>;
}

/** Both workers in this process, from the test run's prebuilt workflow bundle. */
export async function startWorkers(
  ctx: TestContext,
  deps: { scanner?: SiteScanner; mailer?: Mailer; processOnly?: boolean; extraActivities?: Record<string, (...args: never[]) => Promise<unknown>> } = {},
): Promise<RunningWorkers> {
  const workflows = { workflowBundle: { codePath: ctx.workflowBundlePath } };
  const mailer = deps.mailer ?? createMailer({ apiKey: undefined, from: 'test@dnstats.invalid', to: ['ops@dnstats.invalid'], log: () => undefined });
  const workers: Worker[] = [
    await createProcessWorker({ connection: ctx.nativeConnection, namespace: ctx.namespace, db: ctx.db, workflows, mailer, activitySlots: 4, shutdownGraceSeconds: 1, extraActivities: deps.extraActivities }),
  ];
  if (!deps.processOnly) {
    if (!deps.scanner) throw new Error('startWorkers: a scanner is needed unless processOnly');
    workers.push(
      await createScanWorker({
        connection: ctx.nativeConnection,
        namespace: ctx.namespace,
        db: ctx.db,
        workflows,
        scanner: deps.scanner,
        activitySlots: 4,
        workflowSlots: 20,
        sitesInFlightPerChunk: 32,
        shutdownGraceSeconds: 1,
      }),
    );
  }
  const running = workers.map((w) => w.run());
  return {
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(running);
    },
  };
}
