// The production bundle: `npm run build` bundles the workflows once (src/scripts/build-workflow-
// bundle.ts), and a standalone worker started with DNSTATS_WORKFLOW_BUNDLE runs workflows from
// that file without bundling anything itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { connectDatabase, type Db } from '../../src/db';
import { buildWorkflowBundle } from '../../src/scripts/build-workflow-bundle';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import { spawnWorkerProcess, type WorkerProcess } from '../../src/workers/spawn';
import { createTestDatabase } from '../support/harness';
import { namespaceForThisFile } from '../support/namespaces';

let dir: string;
let bundlePath: string;
let database: { url: string; drop(): Promise<void> };
let db: Db;
let worker: WorkerProcess | undefined;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-bundle-'));
  bundlePath = (await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'))).path;
  database = await createTestDatabase();
  db = connectDatabase({ url: database.url, poolSize: 2 });
  connection = await Connection.connect({ address: process.env.DNSTATS_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: namespaceForThisFile() });
}, 120_000);

afterAll(async () => {
  await worker?.stop(5_000);
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.kill();
  await connection?.close();
  await db?.destroy();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function workerEnv(bundle: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: process.env.DNSTATS_TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: namespaceForThisFile(),
    DNSTATS_WORKFLOW_BUNDLE: bundle,
    DNSTATS_LOG_LEVEL: 'info',
    DNSTATS_SHUTDOWN_GRACE_SECONDS: '1',
  };
}

describe('the prebuilt workflow bundle', () => {
  it('is one file naming the SDK version that built it', () => {
    const code = fs.readFileSync(bundlePath, 'utf8');
    expect(code.split('\n', 1)[0]).toBe('// dnstats workflow bundle, built by @temporalio/worker 1.24.0; run it on that version only.');
    for (const workflow of Object.values(WORKFLOW_TYPES)) expect(code).toContain(workflow);
    expect(fs.existsSync(`${bundlePath}.tmp`)).toBe(false);
  });

  it('runs a workflow in a standalone worker that never bundles', async () => {
    worker = spawnWorkerProcess('process', workerEnv(bundlePath));
    await worker.ready;
    const list = path.join(dir, 'sites.csv');
    fs.writeFileSync(list, '1,bundle-one.example\n2,bundle-two.example\n3,bundle-three.example\n');
    await client.workflow.execute(WORKFLOW_TYPES.importSites, {
      taskQueue: TASK_QUEUES.process,
      workflowId: `bundle-import-${Date.now()}`,
      args: [{ source: list }],
    });
    const { rows } = await sql<{ domain: string; current_rank: number }>`SELECT domain, current_rank FROM sites ORDER BY current_rank`.execute(db);
    expect(rows).toEqual([
      { domain: 'bundle-one.example', current_rank: 1 },
      { domain: 'bundle-two.example', current_rank: 2 },
      { domain: 'bundle-three.example', current_rank: 3 },
    ]);
    // A worker that bundles from source logs "Workflow bundle created"; this one loaded the file.
    expect(worker.output()).toContain('polling');
    expect(worker.output()).not.toContain('Workflow bundle created');
  }, 120_000);

  it('stops a worker whose bundle is missing, naming the variable', async () => {
    const missing = spawnWorkerProcess('process', workerEnv(path.join(dir, 'nope.js')));
    await expect(missing.ready).rejects.toThrow(/DNSTATS_WORKFLOW_BUNDLE=.*nope\.js does not exist/);
  }, 60_000);
});
