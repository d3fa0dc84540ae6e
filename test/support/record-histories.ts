// Records the histories that test/integration/replay.test.ts replays: a real run of a small lab
// world through the current code. Re-record (and commit) only on purpose, after a change that is
// meant to be incompatible and is shipped with a new workflow type or a patch:
//   npx tsx test/support/record-histories.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { resolveTemporalCli, startDevServer } from '../../src/temporal/dev-server';
import { startEmbeddedPostgres, freePort, connectDatabase, prepareDatabase } from '../../src/db';
import { createMailer } from '../../src/email/mailer';
import { createProcessWorker, createScanWorker } from '../../src/workers/create-workers';
import { installRuntime } from '../../src/workers/runtime';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import { labScanner, loadLabSites, startLab } from './lab-pipeline';

const OUT = path.join(__dirname, '..', 'fixtures', 'histories');

async function main(): Promise<void> {
  installRuntime('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-record-'));
  fs.chmodSync(dir, 0o755);
  const cliPath = resolveTemporalCli();
  const temporal = await startDevServer({ cliPath, port: await freePort(), headless: true });
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg', 'data'), persistent: false });
  const db = connectDatabase({ url: postgres.url });
  await prepareDatabase(db);
  const lab = await startLab(120);
  await loadLabSites(db, lab.world);
  const scanner = labScanner(lab);
  const connection = await NativeConnection.connect({ address: temporal.address });
  const common = { connection, namespace: 'default', db, workflows: { workflowsPath: require.resolve('../../src/workflows') }, shutdownGraceSeconds: 1 };
  const mailer = createMailer({ apiKey: undefined, from: 'x@dnstats.invalid', to: ['y@dnstats.invalid'], log: () => undefined });
  const workers = [
    await createProcessWorker({ ...common, mailer, activitySlots: 4 }),
    await createScanWorker({ ...common, scanner, activitySlots: 4, workflowSlots: 10, sitesInFlightPerChunk: 16 }),
  ];
  const running = workers.map((w) => w.run());
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  const workflowId = 'recorded-run';
  await client.workflow.execute(WORKFLOW_TYPES.scanRun, {
    taskQueue: TASK_QUEUES.process,
    workflowId,
    args: [{ scope: { kind: 'top', count: 120 }, chunkSize: 40, maxChunksInFlight: 2 }],
  });
  fs.mkdirSync(OUT, { recursive: true });
  for (const [id, file] of [
    [workflowId, 'scan-run.json'],
    [`${workflowId}/batch-0`, 'scan-batch.json'],
  ] as const) {
    // Exactly what operators download: `temporal workflow show --output json` (and the Web UI).
    const json = execFileSync(cliPath, ['workflow', 'show', '--workflow-id', id, '--output', 'json', '--address', temporal.address], { maxBuffer: 64 << 20 }).toString();
    fs.writeFileSync(path.join(OUT, file), json);
    console.log(`${file}: ${(JSON.parse(json) as { events: unknown[] }).events.length} events`);
  }
  for (const w of workers) w.shutdown();
  await Promise.all(running);
  await scanner.close();
  await lab.stop();
  await db.destroy();
  await postgres.stop();
  await temporal.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
