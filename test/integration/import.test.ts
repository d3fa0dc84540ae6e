// The site-list import on real parts: Temporal dev server, Postgres, the process worker, the lab's
// Tranco-format list over local HTTP, and a local Resend stand-in for the emails.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { sql } from 'kysely';
import { createTestContext, startWorkers, type RunningWorkers, type TestContext } from '../support/harness';
import { startResendRecorder, type ResendRecorder } from '../support/resend-recorder';
import { createMailer } from '../../src/email/mailer';
import { changedList, trancoCsv, trancoZip } from '../../src/lab/tranco';
import { createLabWorld, type LabWorld } from '../../src/lab/world';
import { startListServer, type ListServer } from '../../src/lab/http';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { ImportSitesInput, ImportSitesResult } from '../../src/import/types';
import { runImportCommand } from '../../src/import/cli';

const SITES = 2_500; // enough for the changed list to carry all seven kinds of malformed row

let ctx: TestContext;
let resend: ResendRecorder;
let workers: RunningWorkers;
let world: LabWorld;
let lists: ListServer;
let badFiles: { url: string; stop(): Promise<void> };
let tempDir: string;

/** Serves test-made bodies: what the lab's list server does not (empty, garbage, corrupt, 503). */
async function serveBodies(bodies: Record<string, { status?: number; body: Buffer }>): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const entry = bodies[req.url ?? ''];
    if (!entry) return void res.writeHead(404).end('not found\n');
    res.writeHead(entry.status ?? 200, { 'content-length': entry.body.length }).end(entry.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  resend = await startResendRecorder();
  world = createLabWorld({ sites: SITES });
  lists = await startListServer(world);
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-import-test-'));
  const zip = trancoZip(world);
  badFiles = await serveBodies({
    '/empty.csv': { body: Buffer.alloc(0) },
    '/truncated.csv.zip': { body: zip.subarray(0, Math.floor(zip.length / 2)) },
  });
  process.env.RESEND_BASE_URL = resend.url;
  const mailer = createMailer({ apiKey: 're_import', from: 'dnstats <worker@dnstats.invalid>', to: ['ops@dnstats.invalid'], log: () => undefined });
  workers = await startWorkers(ctx, { mailer, processOnly: true });
});

afterAll(async () => {
  await workers?.stop();
  await badFiles?.stop();
  await lists?.stop();
  await resend?.stop();
  await ctx?.dispose();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});

let sequence = 0;
function runImport(input: ImportSitesInput): Promise<ImportSitesResult & { workflowId: string }> {
  const workflowId = `import-test-${Date.now()}-${++sequence}`;
  return ctx.client.workflow.execute(WORKFLOW_TYPES.importSites, { taskQueue: TASK_QUEUES.process, workflowId, args: [input] }) as Promise<ImportSitesResult & { workflowId: string }>;
}

async function failedImport(input: ImportSitesInput): Promise<{ message: string; workflowId: string }> {
  const workflowId = `import-test-${Date.now()}-${++sequence}`;
  const err = await ctx.client.workflow.execute(WORKFLOW_TYPES.importSites, { taskQueue: TASK_QUEUES.process, workflowId, args: [input] }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return { message: String((err as WorkflowFailedError).cause?.message), workflowId };
}

/** Every site as the database holds it, for exact comparisons. */
async function allSites(): Promise<Array<{ id: number; domain: string; current_rank: number; rank_updated_at: string }>> {
  const rows = await ctx.db.selectFrom('sites').select(['id', 'domain', 'current_rank', 'rank_updated_at']).orderBy('id').execute();
  return rows.map((r) => ({ ...r, rank_updated_at: r.rank_updated_at.toISOString() }));
}

async function rankedSites(): Promise<Map<string, number>> {
  const rows = await ctx.db.selectFrom('sites').select(['domain', 'current_rank']).where('current_rank', '>', 0).execute();
  return new Map(rows.map((r) => [r.domain, r.current_rank]));
}

function emailsOf(workflowId: string) {
  return resend.delivered().filter((e) => e.idempotencyKey?.startsWith(`${workflowId}/`));
}

describe('importing the lab list through Temporal', () => {
  let firstId: string;

  it('imports the zipped list served over HTTP: every site, its rank, and a history row each', async () => {
    const result = await runImport({ source: lists.zipUrl });
    firstId = result.workflowId;
    expect(result).toMatchObject({ status: 'completed', rowsRead: SITES, rowsValid: SITES, rowsRejected: 0, newSites: SITES, rerankedSites: 0, unrankedSites: 0, rejectedSample: [] });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);

    const expected = new Map(trancoCsv(world).trim().split('\n').map((line) => [line.split(',')[1]!, Number(line.split(',')[0])] as const));
    expect(await rankedSites()).toEqual(expected);
    const history = await sql<{ n: number; new_ones: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE old_rank IS NULL)::int AS new_ones FROM site_rank_changes WHERE import_id = ${result.importId}`.execute(ctx.db);
    expect(history.rows[0]).toEqual({ n: SITES, new_ones: SITES });
    const recorded = await ctx.db.selectFrom('site_list_imports').selectAll().where('workflow_id', '=', firstId).executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ status: 'completed', source: lists.zipUrl, rows_read: SITES, new_sites: SITES, error: null });

    const mails = emailsOf(firstId);
    expect(mails.map((m) => m.subject)).toEqual(['[DNStats] Site List Update Started', '[DNStats] Site List Update Is Done']);
    expect(mails[1]!.text).toContain(`Rows read: ${SITES}; new sites: ${SITES}; re-ranked: 0; unranked: 0; rejected rows: 0.`);
  });

  it('changes nothing when the same list is imported again', async () => {
    const before = await allSites();
    const result = await runImport({ source: lists.zipUrl });
    expect(result).toMatchObject({ rowsRead: SITES, rowsValid: SITES, newSites: 0, rerankedSites: 0, unrankedSites: 0, rowsRejected: 0 });
    expect(await allSites()).toEqual(before);
    const history = await sql<{ n: number }>`SELECT count(*)::int AS n FROM site_rank_changes WHERE import_id = ${result.importId}`.execute(ctx.db);
    expect(history.rows[0]!.n).toBe(0);
  });

  it('applies a changed list exactly: new, re-ranked and dropped sites, and names each malformed line', async () => {
    const previous = await rankedSites();
    const changed = changedList(world);
    const result = await runImport({ source: lists.changedZipUrl });

    const lines = changed.csv.trim().split('\n');
    const malformedLines = lines.flatMap((content, i) => (changed.malformed.includes(content) ? [{ line: i + 1, content }] : []));
    expect(malformedLines).toHaveLength(7);
    const expectedReranked = changed.rows.filter((r) => previous.has(r.domain) && previous.get(r.domain) !== r.rank);
    expect(result).toMatchObject({
      status: 'completed',
      rowsRead: lines.length,
      rowsValid: changed.rows.length,
      rowsRejected: 7,
      newSites: changed.added.length,
      unrankedSites: changed.dropped.length,
      rerankedSites: expectedReranked.length,
    });
    expect(result.rejectedSample.map(({ line, content }) => ({ line, content }))).toEqual(malformedLines);
    const reasons = Object.fromEntries(result.rejectedSample.map((r) => [r.content, r.reason]));
    expect(reasons['no-comma-here.test']).toMatch(/expected 2 fields/);
    expect(reasons['12x,badrank.test']).toMatch(/rank "12x" is not a positive integer/);
    expect(reasons['-3,negative.test']).toMatch(/rank "-3" is not a positive integer/);
    expect(reasons['7,bad domain.test']).toMatch(/invalid domain "bad domain.test"/);
    expect(reasons['9,double..dot.test']).toMatch(/empty label/);

    // The database is exactly the new list; dropped sites are kept, unranked.
    expect(await rankedSites()).toEqual(new Map(changed.rows.map((r) => [r.domain, r.rank])));
    const dropped = await ctx.db.selectFrom('sites').select(['domain', 'current_rank']).where('domain', 'in', changed.dropped).execute();
    expect(dropped).toHaveLength(changed.dropped.length);
    expect(dropped.every((d) => d.current_rank === 0)).toBe(true);

    // The rank history holds exactly what this import changed.
    const history = await sql<{ domain: string; old_rank: number | null; new_rank: number }>`
      SELECT s.domain, c.old_rank, c.new_rank FROM site_rank_changes c JOIN sites s ON s.id = c.site_id WHERE c.import_id = ${result.importId}`.execute(ctx.db);
    const byDomain = new Map(history.rows.map((h) => [h.domain, h]));
    expect(byDomain.size).toBe(changed.added.length + changed.dropped.length + expectedReranked.length);
    for (const domain of changed.added) expect(byDomain.get(domain)).toMatchObject({ old_rank: null });
    for (const domain of changed.dropped) expect(byDomain.get(domain)).toEqual({ domain, old_rank: previous.get(domain), new_rank: 0 });
    for (const r of expectedReranked) expect(byDomain.get(r.domain)).toEqual({ domain: r.domain, old_rank: previous.get(r.domain), new_rank: r.rank });

    const stored = await sql<{ line: number; content: string }>`
      SELECT line, content FROM site_list_import_rejects WHERE import_id = ${result.importId} ORDER BY line`.execute(ctx.db);
    expect(stored.rows).toEqual(malformedLines);

    const done = emailsOf(result.workflowId).find((m) => m.subject === '[DNStats] Site List Update Is Done')!;
    expect(done.text).toContain(`new sites: ${changed.added.length}; re-ranked: ${expectedReranked.length}; unranked: ${changed.dropped.length}; rejected rows: 7.`);
    for (const { line, content } of malformedLines) expect(done.text).toContain(`line ${line}: ${JSON.stringify(content)}`);
  });

  describe('bad sources fail clearly and leave the previous list intact', () => {
    let before: Awaited<ReturnType<typeof allSites>>;
    beforeAll(async () => {
      before = await allSites();
    });
    afterEach(async () => {
      expect(await allSites()).toEqual(before);
    });

    async function expectRefused(input: ImportSitesInput, pattern: RegExp): Promise<void> {
      const { message, workflowId } = await failedImport(input);
      expect(message).toMatch(pattern);
      const row = await ctx.db.selectFrom('site_list_imports').select(['status', 'error']).where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
      expect(row.status).toBe('refused');
      expect(row.error).toBe(message);
      const done = emailsOf(workflowId).find((m) => m.subject === '[DNStats] Site List Update refused');
      expect(done?.text).toContain('The previous site list is unchanged.');
    }

    it('a corrupt zip: truncated, or damaged inside the compressed member', async () => {
      await expectRefused({ source: `${badFiles.url}/truncated.csv.zip` }, /truncated\.csv\.zip: corrupt zip archive: end of central directory record signature not found/i);
      const damaged = trancoZip(world);
      const at = Math.floor(damaged.length * 0.3);
      for (let i = at; i < at + 64; i++) damaged[i]! ^= 0x5a;
      const file = path.join(tempDir, 'damaged.csv.zip');
      fs.writeFileSync(file, damaged);
      await expectRefused({ source: file }, /damaged\.csv\.zip: corrupt zip archive: invalid distance too far back/);
    });

    it('an empty file', async () => {
      await expectRefused({ source: `${badFiles.url}/empty.csv` }, /empty\.csv: the file is empty/);
    });

    it('a file of garbage', async () => {
      const file = path.join(tempDir, 'garbage.bin');
      // Deterministic bytes that decode to no valid row.
      const bytes = Buffer.alloc(200_000);
      for (let i = 0, x = 12345; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >>> 16;
      fs.writeFileSync(file, bytes);
      await expectRefused({ source: file }, /garbage\.bin: no valid rows, all \d+ rejected \(line 1: .+\): not a site list$/);
    });

    it('a list with too many bad rows, naming the threshold', async () => {
      const file = path.join(tempDir, 'mostly-bad.csv');
      fs.writeFileSync(file, ['1,fine.example', 'x,bad.example', '3,also-fine.example', '4,', '5,ok.example'].join('\n'));
      await expectRefused({ source: file, rejectThreshold: 0.1 }, /2 of 5 rows rejected \(40 %\), above the threshold of 10 %/);
    });

    it('an unsupported source, refused before anything starts', async () => {
      const { message, workflowId } = await failedImport({ source: 'ftp://127.0.0.1/top-1m.csv.zip' });
      expect(message).toBe('site list source ftp://127.0.0.1/top-1m.csv.zip: unsupported scheme ftp: (use http, https, file or a path)');
      expect(emailsOf(workflowId).map((m) => m.subject)).toEqual(['[DNStats] Site List Update refused']);
    });

    it('an unreachable URL, retried a few times first', async () => {
      const closed = await serveBodies({});
      const url = `${closed.url}/top-1m.csv.zip`;
      await closed.stop();
      const { message, workflowId } = await failedImport({ source: url, retry: { maximumAttempts: 3, initialIntervalMs: 100 } });
      expect(message).toBe(`site list ${url} is unreachable: connecting failed: ECONNREFUSED (gave up after 3 attempts)`);
      const row = await ctx.db.selectFrom('site_list_imports').select(['status']).where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      const done = emailsOf(workflowId).find((m) => m.subject === '[DNStats] Site List Update failed');
      expect(done?.text).toContain('ECONNREFUSED');
    });
  });

  it('`dnstats import` brings back the first list (plain CSV): dropped sites re-ranked, added ones unranked', async () => {
    const changed = changedList(world);
    const logged: string[] = [];
    const { workflowId, result } = await runImportCommand({ client: ctx.client, source: lists.url, log: (line) => logged.push(line) });
    expect(workflowId).toMatch(/^import-\d{4}-\d\d-\d\dT/);
    expect(result).toMatchObject({ rowsRead: SITES, rowsRejected: 0, newSites: 0, unrankedSites: changed.added.length });
    expect(await rankedSites()).toEqual(new Map(trancoCsv(world).trim().split('\n').map((line) => [line.split(',')[1]!, Number(line.split(',')[0])] as const)));
    const returned = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM site_rank_changes WHERE import_id = ${result!.importId} AND old_rank = 0`.execute(ctx.db);
    expect(returned.rows[0]!.n).toBe(changed.dropped.length);
    expect(logged.join('\n')).toContain(`new sites 0, re-ranked ${result!.rerankedSites}, unranked ${changed.added.length}`);

    await expect(runImportCommand({ client: ctx.client, source: path.join(tempDir, 'absent.csv'), log: () => undefined })).rejects.toThrow(
      new RegExp(`^import import-.+ failed: site list ${tempDir}/absent\\.csv: no such file$`),
    );
  });
});
