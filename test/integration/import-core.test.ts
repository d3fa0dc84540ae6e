// The import's own code on real Postgres (no Temporal): validation found in SQL (duplicates),
// idempotency on the workflow id, HTTP failure kinds, clean retries, cancellation mid-load.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { createTestDatabase } from '../support/harness';
import { connectDatabase, prepareDatabase, type Db } from '../../src/db';
import { importSiteList } from '../../src/import/import-list';
import { InvalidSiteListError, SiteListUnreachableError } from '../../src/import/errors';
import { writeZipFile } from '../../src/import/zip-writer';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createImportActivities } from '../../src/activities/import';
import type { ImportProgress } from '../../src/import/import-list';

let db: Db;
let drop: () => Promise<void>;
let tempDir: string;
let server: http.Server;
let baseUrl: string;
const responses = new Map<string, { status: number; body: string }>();

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = connectDatabase({ url: database.url, poolSize: 4 });
  await prepareDatabase(db);
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-import-core-'));
  server = http.createServer((req, res) => {
    const r = responses.get(req.url ?? '') ?? { status: 404, body: 'not found' };
    res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await db?.destroy();
  await drop?.();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await sql`TRUNCATE site_rank_changes, site_list_import_rejects, site_list_imports, sites RESTART IDENTITY CASCADE`.execute(db);
});

function writeList(name: string, content: string): string {
  const file = path.join(tempDir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function ranked(): Promise<Record<string, number>> {
  const rows = await db.selectFrom('sites').select(['domain', 'current_rank']).orderBy('domain').execute();
  return Object.fromEntries(rows.map((r) => [r.domain, r.current_rank]));
}

async function leftoverStagingTables(): Promise<string[]> {
  const rows = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE tablename LIKE 'site_list_staging_%'`.execute(db);
  return rows.rows.map((r) => r.tablename);
}

describe('importSiteList', () => {
  it('normalises domains (case, IDN to A-labels) and rejects later duplicates of a domain or rank, naming the first line', async () => {
    const file = writeList(
      'dups.csv',
      ['\ufeff1,Example.COM', '2,bücher.example', '3,example.com', '2,other.example', '', '5,fine.example', '4,xn--bcher-kva.example'].join('\r\n') + '\r\n',
    );
    const result = await importSiteList(db, { workflowId: 'dups', source: file, rejectThreshold: 0.6 });
    expect(result).toMatchObject({ rowsRead: 6, rowsValid: 3, rowsRejected: 3, newSites: 3 });
    expect(result.rejectedSample).toEqual([
      { line: 3, content: '3,example.com', reason: 'duplicate domain example.com (first on line 1)' },
      { line: 4, content: '2,other.example', reason: 'duplicate rank 2 (first on line 2)' },
      { line: 7, content: '4,xn--bcher-kva.example', reason: 'duplicate domain xn--bcher-kva.example (first on line 2)' },
    ]);
    expect(await ranked()).toEqual({ 'example.com': 1, 'xn--bcher-kva.example': 2, 'fine.example': 5 });
  });

  it('keeps a long rejected row short in the report, and refuses a line too long to be a row', async () => {
    const long = writeList('long-domain.csv', `1,ok.example\n2,${'a'.repeat(1000)}.example\n3,fine.example\n`);
    const result = await importSiteList(db, { workflowId: 'long-domain', source: long, rejectThreshold: 0.5 });
    expect(result.rejectedSample[0]!.content).toBe(`2,${'a'.repeat(198)}…`);
    expect(result.rejectedSample[0]!.reason).toMatch(/longer than 253 characters/);

    const huge = writeList('huge-line.csv', `1,ok.example\n${'x'.repeat(70_000)}\n`);
    await expect(importSiteList(db, { workflowId: 'huge-line', source: huge })).rejects.toThrow(`site list ${huge}: line 2 is longer than 65536 characters: not a site list`);
  });

  it('returns the recorded result when called again under the same workflow id, and applies nothing new', async () => {
    const first = writeList('a.csv', '1,a.example\n2,b.example\n');
    const result = await importSiteList(db, { workflowId: 'same-id', source: first });
    const sitesBefore = await ranked();
    const other = writeList('b.csv', '1,c.example\n');
    const again = await importSiteList(db, { workflowId: 'same-id', source: other });
    expect(again).toEqual({ ...result, seconds: again.seconds });
    expect(await ranked()).toEqual(sitesBefore);
    expect(await db.selectFrom('site_list_imports').select('id').execute()).toHaveLength(1);
  });

  it('refuses a missing list (HTTP 404) and retries an unavailable one (HTTP 503), recording each', async () => {
    responses.set('/gone.csv', { status: 404, body: 'no' });
    responses.set('/busy.csv', { status: 503, body: 'later' });
    const gone = importSiteList(db, { workflowId: 'gone', source: `${baseUrl}/gone.csv` });
    await expect(gone).rejects.toThrow(new InvalidSiteListError(`site list ${baseUrl}/gone.csv: HTTP 404 Not Found`));
    const busy = importSiteList(db, { workflowId: 'busy', source: `${baseUrl}/busy.csv` });
    await expect(busy).rejects.toBeInstanceOf(SiteListUnreachableError);
    await expect(busy).rejects.toThrow(`site list ${baseUrl}/busy.csv is unavailable: HTTP 503 Service Unavailable`);
    const rows = await db.selectFrom('site_list_imports').select(['workflow_id', 'status']).orderBy('workflow_id').execute();
    expect(rows).toEqual([
      { workflow_id: 'busy', status: 'failed' },
      { workflow_id: 'gone', status: 'refused' },
    ]);
  });

  it('starts clean on a retried attempt after a failure, and leaves no staging table behind', async () => {
    responses.set('/flaky.csv', { status: 503, body: '' });
    await expect(importSiteList(db, { workflowId: 'flaky', source: `${baseUrl}/flaky.csv` })).rejects.toBeInstanceOf(SiteListUnreachableError);
    responses.set('/flaky.csv', { status: 200, body: '1,one.example\n2,two.example\n' });
    const result = await importSiteList(db, { workflowId: 'flaky', source: `${baseUrl}/flaky.csv` });
    expect(result).toMatchObject({ rowsRead: 2, newSites: 2 });
    const row = await db.selectFrom('site_list_imports').select(['status', 'error']).where('workflow_id', '=', 'flaky').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'completed', error: null });
    expect(await leftoverStagingTables()).toEqual([]);
  });

  it('reads a plain CSV by file: URL and a zip whose member sits in a folder', async () => {
    const csv = writeList('plain.csv', '1,plain.example\n');
    expect(await importSiteList(db, { workflowId: 'file-url', source: pathToFileURL(csv).toString() })).toMatchObject({ newSites: 1 });
    const zip = path.join(tempDir, 'nested.zip');
    await writeZipFile(zip, 'lists/top-1m.csv', ['1,zipped.example\n2,plain.example\n']);
    expect(await importSiteList(db, { workflowId: 'nested-zip', source: zip })).toMatchObject({ newSites: 1, rerankedSites: 1, unrankedSites: 0 });
    expect(await ranked()).toEqual({ 'zipped.example': 1, 'plain.example': 2 });
  });

  it('leaves the previous list intact when cancelled in the middle of loading', async () => {
    await importSiteList(db, { workflowId: 'before', source: writeList('small.csv', '1,kept.example\n') });
    const big = path.join(tempDir, 'big.csv.zip');
    await writeZipFile(big, 'top-1m.csv', Array.from({ length: 50_000 }, (_, i) => `${i + 1},site-${i}.example\n`));
    const controller = new AbortController();
    const attempt = importSiteList(db, { workflowId: 'cancelled', source: big }, { signal: controller.signal, onProgress: (p) => p.rowsRead > 0 && controller.abort() });
    await expect(attempt).rejects.toThrow(/abort/i);
    expect(await ranked()).toEqual({ 'kept.example': 1 });
    const row = await db.selectFrom('site_list_imports').select('status').where('workflow_id', '=', 'cancelled').executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(await leftoverStagingTables()).toEqual([]);
  });

  it('refuses an unsupported source and a bad threshold before touching anything', async () => {
    await expect(importSiteList(db, { workflowId: 'ftp', source: 'ftp://example.com/list.zip' })).rejects.toThrow('site list source ftp://example.com/list.zip: unsupported scheme ftp:');
    await expect(importSiteList(db, { workflowId: 'threshold', source: '/x', rejectThreshold: 2 })).rejects.toThrow('reject threshold 2 must be a fraction between 0 and 1');
    await expect(importSiteList(db, { workflowId: 'missing', source: path.join(tempDir, 'nope.csv') })).rejects.toThrow(`site list ${path.join(tempDir, 'nope.csv')}: no such file`);
  });
});

describe('abandoned staging tables', () => {
  it('are dropped by the next import; a running import keeps its own', async () => {
    await sql`INSERT INTO site_list_imports (id, workflow_id, source, started_at, status) VALUES (900, 'dead', 'x', now(), 'failed'), (901, 'alive', 'x', now(), 'running')`.execute(db);
    await sql`CREATE UNLOGGED TABLE site_list_staging_900 (line integer)`.execute(db);
    await sql`CREATE UNLOGGED TABLE site_list_staging_901 (line integer)`.execute(db);
    await sql`CREATE UNLOGGED TABLE site_list_staging_902 (line integer)`.execute(db); // its import row is gone
    await importSiteList(db, { workflowId: 'sweeper', source: writeList('sweep.csv', '1,sweep.example\n') });
    expect(await leftoverStagingTables()).toEqual(['site_list_staging_901']);
    await sql`DROP TABLE site_list_staging_901`.execute(db);
  });
});

describe('the importSiteList activity', () => {
  it('heartbeats its progress while it works', async () => {
    const env = new MockActivityEnvironment();
    const beats: ImportProgress[] = [];
    env.on('heartbeat', (details: ImportProgress) => beats.push(details));
    const big = path.join(tempDir, 'heartbeat.csv.zip');
    await writeZipFile(big, 'top-1m.csv', Array.from({ length: 40_000 }, (_, i) => `${i + 1},beat-${i}.example\n`));
    const activities = createImportActivities({ db, heartbeatIntervalMs: 10 });
    const result = (await env.run(activities.importSiteList, { workflowId: 'heartbeats', source: big })) as Awaited<ReturnType<typeof activities.importSiteList>>;
    expect(result.newSites).toBe(40_000);
    expect(beats[0]).toEqual({ phase: 'fetching', rowsRead: 0 });
    expect(beats.some((b) => b.phase === 'loading' && b.rowsRead >= 16_384)).toBe(true);
  });

  it('reports a refused list as a non-retryable failure carrying the counts and first bad rows', async () => {
    const env = new MockActivityEnvironment();
    const activities = createImportActivities({ db });
    const file = writeList('refused.csv', '1,a.example\nnope\n');
    const failure = await env.run(activities.importSiteList, { workflowId: 'refused', source: file }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'InvalidSiteListError', nonRetryable: true, message: `site list ${file}: 1 of 2 rows rejected (50 %), above the threshold of 1 %; the list is refused` });
    expect((failure as ApplicationFailure).details?.[0]).toEqual({
      status: 'refused',
      source: file,
      rowsRead: 2,
      rowsValid: 1,
      rowsRejected: 1,
      rejectedSample: [{ line: 2, content: 'nope', reason: 'expected 2 fields "rank,domain", found 1' }],
    });
  });
});
