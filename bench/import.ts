// `npm run bench -- import --rows 1000000 [--changes 0.05]`: imports a generated zipped list of
// N rows into an empty database, then a second list with a fraction of its rows changed (half
// dropped-and-replaced, half moved), and reports time and memory of each import. The import
// activity's code runs directly, without Temporal (it is one activity; Temporal adds a round trip).
// Postgres: DATABASE_URL (a fresh database is created in it), else an embedded server in a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectDatabase, prepareDatabase, startEmbeddedPostgres, type Db, type EmbeddedPostgres } from '../src/db';
import { importSiteList } from '../src/import/import-list';
import { writeZipFile } from '../src/import/zip-writer';
import type { SiteListImportResult } from '../src/import/types';

interface Flags {
  rows: number;
  changes: number;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { rows: 1_000_000, changes: 0.05 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    const number = Number(value);
    if (flag === '--rows' && Number.isInteger(number) && number > 0) flags.rows = number;
    else if (flag === '--changes' && number >= 0 && number <= 1) flags.changes = number;
    else throw new Error(`unknown flag or bad value: ${flag} ${JSON.stringify(value)} (flags: --rows <positive integer>, --changes <fraction 0..1>)`);
  }
  return flags;
}

/** A deterministic fraction in [0, 1) per (row, salt). */
function unit(row: number, salt: number): number {
  let x = Math.imul(row ^ 0x9e3779b9, 0x85ebca6b) ^ salt;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

const WORDS = ['blue', 'cedar', 'delta', 'ember', 'green', 'harbor', 'lunar', 'maple', 'north', 'pixel', 'river', 'solar', 'stone', 'urban'];
const TLDS = ['com', 'net', 'org', 'de', 'co.uk', 'io'];
const domainOf = (n: number) => `${WORDS[n % WORDS.length]}${n.toString(36)}.${TLDS[n % TLDS.length]}`;

/** The domain at each rank: the first list, or the changed one. */
function* listLines(rows: number, changes: number, changed: boolean): Generator<string> {
  let batch = '';
  for (let rank = 1; rank <= rows; rank++) {
    let domain = domainOf(rank);
    if (changed) {
      // Pairs of neighbours swap places (both re-ranked); other rows may be replaced by a new site.
      const pair = Math.ceil(rank / 2);
      if (pair * 2 <= rows && unit(pair, 2) < changes / 2) domain = domainOf(rank % 2 === 1 ? rank + 1 : rank - 1);
      else if (unit(rank, 1) < changes / 2) domain = `new-${domainOf(rank)}`;
    }
    batch += `${rank},${domain}\r\n`;
    if (batch.length > 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

async function database(): Promise<{ db: Db; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-bench-import-'));
  fs.chmodSync(dir, 0o755);
  let server: EmbeddedPostgres | null = null;
  let url = process.env.DATABASE_URL;
  let dropDatabase = async () => undefined;
  if (url) {
    const name = `dnstats_bench_import_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const parsed = new URL(url);
    const serverUrl = url;
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false });
    url = server.url;
  }
  const db = connectDatabase({ url, poolSize: 4, applicationName: 'dnstats-bench-import' });
  await prepareDatabase(db);
  return {
    db,
    async stop() {
      await db.destroy();
      await dropDatabase();
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

async function timedImport(db: Db, workflowId: string, source: string): Promise<{ result: SiteListImportResult; seconds: number; peakRssMb: number }> {
  let peak = rssMb();
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
  const started = process.hrtime.bigint();
  try {
    const result = await importSiteList(db, { workflowId, source });
    return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: Math.max(peak, rssMb()) };
  } finally {
    clearInterval(sampler);
  }
}

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const flags = parseFlags(argv);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-bench-list-'));
  const first = path.join(dir, 'first', 'top-1m.csv.zip');
  const second = path.join(dir, 'second', 'top-1m.csv.zip');
  fs.mkdirSync(path.dirname(first));
  fs.mkdirSync(path.dirname(second));
  await writeZipFile(first, 'top-1m.csv', listLines(flags.rows, flags.changes, false));
  await writeZipFile(second, 'top-1m.csv', listLines(flags.rows, flags.changes, true));
  const { db, stop } = await database();
  try {
    const baselineRssMb = rssMb();
    const a = await timedImport(db, 'bench-import-first', first);
    const b = await timedImport(db, 'bench-import-changed', second);
    const figures = (x: typeof a) => ({
      seconds: Math.round(x.seconds * 100) / 100,
      rowsPerSecond: Math.round(x.result.rowsRead / x.seconds),
      peakRssMb: x.peakRssMb,
      newSites: x.result.newSites,
      rerankedSites: x.result.rerankedSites,
      unrankedSites: x.result.unrankedSites,
      rowsRejected: x.result.rowsRejected,
    });
    return {
      rows: flags.rows,
      seconds: Math.round(Math.max(a.seconds, b.seconds) * 100) / 100,
      rowsPerSecond: Math.round(flags.rows / Math.max(a.seconds, b.seconds)),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      baselineRssMb,
      zipBytes: { first: fs.statSync(first).size, second: fs.statSync(second).size },
      first: figures(a),
      changed: { changes: flags.changes, ...figures(b) },
      postgres: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
    };
  } finally {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
