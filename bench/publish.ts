// `npm run bench -- publish [--sites 1000000] [--runs 1]`
// Publication of a synthetic graded run: statistics, every report streamed from Postgres, the page
// and assets, into a temporary folder. Postgres is DATABASE_URL (a scratch database is created in
// it) or an embedded server under a temporary folder. Prints phase times and the peak RSS, which
// must not grow with the run (reports are streamed through a cursor).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { connectDatabase, prepareDatabase, startEmbeddedPostgres } from '../src/db';
import { insertSyntheticRun } from '../src/publish/synthetic';
import { collectRunStatistics } from '../src/publish/statistics';
import { writeRunReports } from '../src/publish/reports';
import { publishRunSite } from '../src/publish/publisher';
import { LocalFolderTarget } from '../src/publish/target';

function flag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} ${argv[i + 1]}: expected a positive integer`);
  return value;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const sites = flag(argv, 'sites', 1_000_000);
  const runs = flag(argv, 'runs', 1);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-bench-publish-'));
  fs.chmodSync(scratch, 0o755);
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), persistent: false });
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const dbName = `dnstats_bench_publish_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const db = connectDatabase({ url: url.toString(), poolSize: 4 });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    await prepareDatabase(db);
    let t = Date.now();
    const { runId } = await insertSyntheticRun(db, { sites });
    const insertSeconds = (Date.now() - t) / 1000;
    await sql`ANALYZE`.execute(db);
    const rssBefore = process.memoryUsage().rss;
    const statsTimes: number[] = [];
    const reportTimes: number[] = [];
    const totalTimes: number[] = [];
    let reportRows = 0;
    let reports = 0;
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      t = Date.now();
      await collectRunStatistics(db, runId);
      statsTimes.push((Date.now() - t) / 1000);
      const dir = fs.mkdtempSync(path.join(scratch, 'reports-'));
      t = Date.now();
      const written = await writeRunReports(db, runId, dir);
      reportTimes.push((Date.now() - t) / 1000);
      reportRows = written.reduce((n, r) => n + r.rows, 0);
      reports = written.length;
      fs.rmSync(dir, { recursive: true, force: true });
      t = Date.now();
      const published = await publishRunSite(db, new LocalFolderTarget(path.join(scratch, 'site'), 'http://bench.test'), runId);
      totalTimes.push((Date.now() - t) / 1000);
      bytes = published.bytes;
    }
    return {
      sites,
      runs,
      syntheticInsertSeconds: insertSeconds,
      statisticsSeconds: median(statsTimes),
      reportsSeconds: median(reportTimes),
      reports,
      reportRows,
      reportRowsPerSecond: Math.round(reportRows / median(reportTimes)),
      publishSeconds: median(totalTimes),
      publishedMegabytes: Math.round(bytes / 1e5) / 10,
      rssBeforeMb: Math.round(rssBefore / 1e6),
      peakRssMb: Math.round(peakRss / 1e6),
    };
  } finally {
    clearInterval(sampler);
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
