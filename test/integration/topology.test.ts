// The docker-compose topology as plain processes (there is no Docker engine here): one Temporal
// server and one Postgres (the test run's shared ones), the one-shot migration, two scan workers
// and one process worker as separate child processes started exactly as the containers start
// them (environment only), and the lab world as the DNS. A 20,000-site run must be split across
// both scan workers with every site scanned exactly once, and each worker's metrics endpoint
// must show the scanner's counters moving while the run goes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { connectDatabase, type Db } from '../../src/db';
import { freePort } from '../../src/db/embedded';
import { parseExposition, sumSamples } from '../../src/metrics';
import { BATCH_SIZE, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { ScanRunResult } from '../../src/shared/types';
import { spawnWorkerProcess, type WorkerProcess } from '../../src/workers/spawn';
import { createTestDatabase } from '../support/harness';
import { labScannerEnv } from '../../src/cli/lab-env';
import { loadLabSites, startLab, type LabServer } from '../support/lab-pipeline';
import { namespaceForThisFile } from '../support/namespaces';

const SITES = Number(process.env.DNSTATS_TOPOLOGY_SITES ?? 20_000);
const ROOT = path.resolve(__dirname, '..', '..');

interface Endpoints {
  metrics: string;
  sdkMetrics: string;
}

interface Scrape {
  at: number;
  samples: Map<string, number>;
}

async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

/** Runs `dnstats <args>` to completion as a child process, as the compose one-shot services do. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`dnstats ${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

let database: { url: string; drop(): Promise<void> };
let db: Db;
let lab: LabServer;
let connection: Connection;
let client: Client;
let logDir: string;
const workers: Array<{ name: string; process: WorkerProcess; endpoints: Endpoints; logFile: string }> = [];
const scrapes = new Map<string, Scrape[]>();

beforeAll(async () => {
  const temporalAddress = process.env.DNSTATS_TEST_TEMPORAL_ADDRESS;
  const bundle = process.env.DNSTATS_TEST_WORKFLOW_BUNDLE;
  if (!temporalAddress || !bundle) throw new Error('run through jest: test/support/global-setup.ts sets DNSTATS_TEST_*');
  const namespace = namespaceForThisFile();
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-topology-'));
  database = await createTestDatabase();
  lab = await startLab(SITES);

  // The environment every dnstats container gets from docker-compose.yml (connections and settings).
  const common: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    DNSTATS_WORKFLOW_BUNDLE: bundle,
    DNSTATS_LOG_LEVEL: 'info',
    DNSTATS_DB_POOL_SIZE: '6',
    DNSTATS_SHUTDOWN_GRACE_SECONDS: '2',
  };
  // dnstats-migrate, once, before the workers.
  await runCli(['migrate'], common);
  db = connectDatabase({ url: database.url, poolSize: 4 });
  await loadLabSites(db, lab.world);

  const start = async (name: string, kind: 'scan' | 'process', extra: NodeJS.ProcessEnv) => {
    const [metricsPort, sdkPort] = [await freePort(), await freePort()];
    const endpoints = { metrics: `http://127.0.0.1:${metricsPort}/metrics`, sdkMetrics: `http://127.0.0.1:${sdkPort}/metrics` };
    const logFile = path.join(logDir, `${name}.log`);
    const child = spawnWorkerProcess(
      kind,
      {
        ...common,
        ...extra,
        DNSTATS_WORKER_IDENTITY: name,
        DNSTATS_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
        DNSTATS_SDK_METRICS_ADDRESS: `127.0.0.1:${sdkPort}`,
      },
      { logFile },
    );
    workers.push({ name, process: child, endpoints, logFile });
    scrapes.set(name, []);
    return child.ready;
  };
  const scanEnv = { ...labScannerEnv(lab), DNSTATS_SCAN_ACTIVITY_SLOTS: '4', DNSTATS_SITES_IN_FLIGHT_PER_CHUNK: '32' };
  await Promise.all([
    start('scan-1', 'scan', scanEnv),
    start('scan-2', 'scan', scanEnv),
    start('process-1', 'process', { DNSTATS_PROCESS_ACTIVITY_SLOTS: '4' }),
  ]);
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection, namespace });
}, 180_000);

afterAll(async () => {
  // Every child goes, whatever happened: SIGTERM, then SIGKILL after the grace time.
  await Promise.allSettled(workers.map((w) => w.process.stop(5_000)));
  for (const w of workers) if (w.process.child.exitCode === null && w.process.child.signalCode === null) w.process.kill();
  await connection?.close();
  await lab?.stop();
  await db?.destroy();
  await database?.drop();
  // The workers' logs stay for a look when something failed; otherwise they go.
  if (runCompleted) fs.rmSync(logDir, { recursive: true, force: true });
  else if (logDir) console.log(`topology test: the run did not complete; worker logs kept in ${logDir}`);
});

let runCompleted = false;

describe(`the compose topology as processes: ${SITES} sites, two scan workers, one process worker`, () => {
  let result: ScanRunResult;
  const workflowId = `topology-${Date.now()}`;

  beforeAll(async () => {
    const handle = await client.workflow.start(WORKFLOW_TYPES.scanRun, {
      taskQueue: TASK_QUEUES.process,
      workflowId,
      // Publication is not what this test is about (and has its own tests); the scan pipeline is.
      args: [{ scope: { kind: 'top', count: SITES }, maxBatchesInFlight: Math.ceil(SITES / BATCH_SIZE), publish: false }],
    });
    // Scrape every worker's endpoint every second while the run goes.
    let running = true;
    const scraper = (async () => {
      while (running) {
        await Promise.all(
          workers.map(async (w) => {
            try {
              scrapes.get(w.name)!.push({ at: Date.now(), samples: await scrape(w.endpoints.metrics) });
            } catch {
              /* a scrape racing a worker's exit; the assertions below count the good ones */
            }
          }),
        );
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();
    const started = Date.now();
    try {
      result = (await handle.result()) as ScanRunResult;
      runCompleted = true;
      const seconds = (Date.now() - started) / 1000;
      console.log(`topology run: ${SITES} sites in ${seconds.toFixed(1)} s (${(SITES / seconds).toFixed(0)} sites/s), load average ${os.loadavg()[0]!.toFixed(1)}`);
    } finally {
      running = false;
      await scraper;
    }
  }, 400_000); // ~70 s on a quiet 2-core machine; 230 s measured at load average 12

  it('completes with every site scanned, processed and graded', () => {
    expect(result).toMatchObject({ outcome: 'completed', sites: SITES, scanned: SITES, processed: SITES, graded: SITES, failedBatches: [] });
  });

  it('leaves exactly one site_run per site of the snapshot', async () => {
    const { rows } = await sql<{ snapshot: number; rows: number; sites: number; graded: number }>`
      SELECT (SELECT count(*) FROM run_sites WHERE run_id = ${result.runId})::int AS snapshot,
             count(*)::int AS rows, count(DISTINCT site_id)::int AS sites,
             count(*) FILTER (WHERE graded_at IS NOT NULL)::int AS graded
      FROM site_runs WHERE run_id = ${result.runId}`.execute(db);
    expect(rows[0]).toEqual({ snapshot: SITES, rows: SITES, sites: SITES, graded: SITES });
  });

  it('split the scanning across both scan workers, each scanning some, none scanning a site twice', async () => {
    const scanned: Record<string, number> = {};
    for (const name of ['scan-1', 'scan-2']) {
      const w = workers.find((x) => x.name === name)!;
      scanned[name] = sumSamples(await scrape(w.endpoints.metrics), 'dnstats_stage_sites_total', { stage: 'scan' });
    }
    expect(scanned['scan-1']).toBeGreaterThan(0);
    expect(scanned['scan-2']).toBeGreaterThan(0);
    // Each site is written by exactly one completed scanChunk attempt (no retries happened).
    expect(scanned['scan-1']! + scanned['scan-2']!).toBe(SITES);
  });

  it("showed each scan worker's DNS counters moving during the run", () => {
    for (const name of ['scan-1', 'scan-2']) {
      const series = scrapes.get(name)!.map((s) => sumSamples(s.samples, 'dnstats_dns_queries_total'));
      expect(series.length).toBeGreaterThanOrEqual(3);
      const rises = series.slice(1).filter((v, i) => v > series[i]!).length;
      expect(rises).toBeGreaterThanOrEqual(2); // rose between scrapes more than once: live, not a final dump
      expect(series[series.length - 1]!).toBeGreaterThan(SITES); // tens of queries per site, shared out
      const last = scrapes.get(name)!.at(-1)!.samples;
      expect(sumSamples(last, 'dnstats_dns_query_duration_seconds_count')).toBeGreaterThan(0);
      expect(sumSamples(last, 'dnstats_dns_queries_total', { type: 'MX', status: 'NOERROR' })).toBeGreaterThan(0);
    }
  });

  it("showed the process worker's processed and graded sites rising", () => {
    const series = scrapes.get('process-1')!.map((s) => sumSamples(s.samples, 'dnstats_stage_sites_total', { stage: 'grade' }));
    expect(series.slice(1).filter((v, i) => v > series[i]!).length).toBeGreaterThanOrEqual(2);
  });

  it("serves the SDK's own Prometheus metrics on a separate port of each worker", async () => {
    for (const w of workers) {
      const samples = await scrape(w.endpoints.sdkMetrics);
      const names = [...samples.keys()];
      expect(names.some((n) => n.startsWith('temporal_'))).toBe(true);
      const queue = w.name.startsWith('scan') ? TASK_QUEUES.scan : TASK_QUEUES.process;
      expect(names.some((n) => n.startsWith('temporal_activity_execution') && n.includes(`task_queue="${queue}"`))).toBe(true);
    }
  });

  it('logs JSON lines naming the run, batch and chunk of each scan activity', () => {
    const lines = fs
      .readFileSync(workers.find((w) => w.name === 'scan-1')!.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const chunkLine = lines.find((l) => l.msg === 'activity completed' && l.activityType === 'scanChunk');
    expect(chunkLine).toMatchObject({ level: 'info', worker: 'scan', identity: 'scan-1', runId: result.runId, runWorkflowId: workflowId });
    expect(chunkLine!.chunk).toMatch(/^\d+-\d+$/);
    expect(chunkLine!.batchWorkflowId).toBe(`${workflowId}/batch-${chunkLine!.batchIndex}`);
    expect(typeof chunkLine!.scanned).toBe('number');
  });
});
