// Publication on the real parts: Postgres (reports streamed by cursor, statistics), Temporal
// (the publishRun workflow, the coverage guard, scanRun chaining it), the email recorder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestContext, startWorkers, type TestContext } from '../support/harness';
import { startResendRecorder, type ResendRecorder } from '../support/resend-recorder';
import { createMailer } from '../../src/email/mailer';
import { createPublishActivities } from '../../src/activities/publish';
import { insertSyntheticRun } from '../../src/publish/synthetic';
import { publishRunSite } from '../../src/publish/publisher';
import { LocalFolderTarget } from '../../src/publish/target';
import { CATEGORIES, conditionSql } from '../../src/publish/categories';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import { PUBLISH_WORKFLOW_TYPE } from '../../src/publish/cli';
import type { PublishRunResult, ScanRunResult } from '../../src/shared/types';
import type { RunStatistics } from '../../src/publish/statistics';

let ctx: TestContext;
let resend: ResendRecorder;
let siteDir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  resend = await startResendRecorder();
  siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-site-'));
});

afterAll(async () => {
  await resend?.stop();
  await ctx?.dispose();
  if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
});

function readCsv(file: string): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.startsWith('rank,domain\n')).toBe(true);
  return text.split('\n').slice(1).filter(Boolean).map((line) => line.split(','));
}

describe('reports and statistics of a 3,000-site run', () => {
  let runId: number;
  let runDir: string;

  beforeAll(async () => {
    ({ runId } = await insertSyntheticRun(ctx.db, { sites: 3000, ungraded: 40, startedAt: '2026-12-01T08:00:00Z', domainPrefix: 'rep' }));
    const published = await publishRunSite(ctx.db, new LocalFolderTarget(path.join(siteDir, 'reports-test'), 'http://site.test'), runId);
    runDir = path.join(siteDir, 'reports-test', published.folder);
    expect(published.url).toBe(`http://site.test/2026-12-01-run-${runId}/`);
  });

  it('writes every category as rank,domain lines in rank order, counting exactly the graded sites that match', async () => {
    for (const category of CATEGORIES) {
      const expected = await sql<{ run_rank: number; domain: string }>`
        SELECT run_rank, domain FROM site_runs WHERE run_id = ${runId} AND graded_at IS NOT NULL AND ${conditionSql(category.fact, category.test)} ORDER BY run_rank`.execute(ctx.db);
      const rows = readCsv(path.join(runDir, 'reports', `${category.name}.csv`));
      expect({ name: category.name, rows: rows.length }).toEqual({ name: category.name, rows: expected.rows.length });
      expect(rows.map(([rank, domain]) => `${rank},${domain}`)).toEqual(expected.rows.map((r) => `${r.run_rank},${r.domain}`));
    }
  });

  it('pairs partition the graded sites (ungraded sites are in neither)', () => {
    const count = (name: string) => readCsv(path.join(runDir, 'reports', `${name}.csv`)).length;
    for (const [yes, no] of [['mx_domains', 'no_mx_domains'], ['spf_domains', 'no_spf_domains'], ['dmarc_domains', 'no_dmarc_domains'], ['caa_domains', 'no_caa_domains'], ['dnssec_domains', 'no_dnssec_domains']]) {
      expect(count(yes) + count(no)).toBe(2960);
    }
    const spfPolicies = ['spf_pass', 'spf_neutral', 'spf_softfail', 'spf_fail', 'spf_no_policy', 'spf_invalid'].map(count);
    expect(spfPolicies.reduce((a, b) => a + b, 0)).toBe(2960);
  });

  it('lists each site once per remark code, even when the code was raised twice', async () => {
    const site = await ctx.db.selectFrom('site_runs').select('id').where('run_id', '=', runId).where('has_spf', 'is not', true).where('graded_at', 'is not', null).executeTakeFirstOrThrow();
    const remark = await ctx.db.selectFrom('remarks').select('id').where('name', '=', 'NO_SPF_FOUND').executeTakeFirstOrThrow();
    await ctx.db.insertInto('siterun_remarks').values({ site_run_id: site.id, remark_id: remark.id }).execute();
    const dir = fs.mkdtempSync(path.join(siteDir, 'again-'));
    const again = await publishRunSite(ctx.db, new LocalFolderTarget(dir, 'http://site.test'), runId);
    const rows = readCsv(path.join(dir, again.folder, 'reports', 'remark_spf_no_spf_found.csv'));
    expect(rows.length).toBe(readCsv(path.join(runDir, 'reports', 'no_spf_domains.csv')).length);
    expect(new Set(rows.map((r) => r[1])).size).toBe(rows.length);
  });

  it('writes statistics that agree with the reports', () => {
    const stats = JSON.parse(fs.readFileSync(path.join(runDir, 'stats.json'), 'utf8')) as RunStatistics & { reports: Array<{ name: string; rows: number }> };
    expect(stats.run).toMatchObject({ id: runId, sites: 3000, graded: 2960 });
    for (const r of stats.reports.filter((x) => !x.name.startsWith('remark_'))) expect(stats.categories[r.name].count).toBe(r.rows);
    const spfAdoption = stats.adoption.find((a) => a.id === 'spf_adoption')!;
    expect(spfAdoption.yes).toBe(stats.categories.spf_domains.count);
    expect(spfAdoption.yes + spfAdoption.no).toBe(2960);
    for (const g of stats.grades) expect(g.bins.reduce((a, b) => a + b, 0) + g.undetermined).toBe(2960);
    expect(stats.providers.email.reduce((n, s) => n + s.value, 0) + stats.providers.emailUnclassified).toBe(2960);
    const noSpf = stats.remarks.find((r) => r.name === 'NO_SPF_FOUND')!;
    expect(noSpf.count).toBe(stats.categories.no_spf_domains.count);
  });

  it('puts 100 in the top grade bin (PIPE-1)', async () => {
    const stats = JSON.parse(fs.readFileSync(path.join(runDir, 'stats.json'), 'utf8')) as RunStatistics;
    const perfect = await sql<{ n: number }>`SELECT count(*)::int AS n FROM site_runs WHERE run_id = ${runId} AND graded_at IS NOT NULL AND spf_grade >= 90`.execute(ctx.db);
    expect(stats.grades.find((g) => g.area === 'spf')!.bins[9]).toBe(perfect.rows[0].n);
    expect(perfect.rows[0].n).toBeGreaterThan(0);
  });
});

describe('the publishRun workflow', () => {
  const mailer = () => createMailer({ apiKey: 're_publish', from: 'dnstats <worker@dnstats.invalid>', to: ['ops@dnstats.invalid'], log: () => undefined });

  beforeAll(() => {
    process.env.RESEND_BASE_URL = resend.url;
  });

  async function withWorkers<T>(dir: string, threshold: number, fn: () => Promise<T>): Promise<T> {
    const publish = createPublishActivities({ db: ctx.db, options: { coverageThreshold: threshold, target: new LocalFolderTarget(dir, 'https://stats.example') } });
    const workers = await startWorkers(ctx, { processOnly: true, mailer: mailer(), extraActivities: publish });
    try {
      return await fn();
    } finally {
      await workers.stop();
    }
  }

  it('marks a run under the threshold botched, sends the botched email with the figures, and publishes nothing', async () => {
    const { runId } = await insertSyntheticRun(ctx.db, { sites: 1000, ungraded: 100, startedAt: '2026-12-02T08:00:00Z', domainPrefix: 'botch' });
    const dir = path.join(siteDir, 'botched');
    const workflowId = `publish-botched-${Date.now()}`;
    const result = await withWorkers(dir, 0.92, () =>
      ctx.client.workflow.execute(PUBLISH_WORKFLOW_TYPE, { taskQueue: TASK_QUEUES.process, workflowId, args: [{ runId }] }),
    ) as PublishRunResult;
    expect(result).toMatchObject({ runId, outcome: 'botched', published: false, sites: 1000, graded: 900, required: 920 });
    expect((await ctx.db.selectFrom('runs').select('outcome').where('id', '=', runId).executeTakeFirstOrThrow()).outcome).toBe('botched');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.startsWith('.')) : []).toEqual([]);
    const mails = resend.delivered().filter((e) => e.idempotencyKey?.startsWith(workflowId));
    expect(mails.map((m) => m.subject)).toEqual(['[DNStats] CRITICAL Botched Website Deploy']);
    expect(mails[0].text).toContain(`Run ${runId}`);
    expect(mails[0].text).toContain('graded 900 sites; the target was 920 (short by 20)');
  });

  it('does not hold back the development scope, and publishes with the "published" email and its link', async () => {
    const { runId } = await insertSyntheticRun(ctx.db, { sites: 50, ungraded: 30, startedAt: '2026-12-03T08:00:00Z', scope: { kind: 'development' }, domainPrefix: 'dev' });
    const dir = path.join(siteDir, 'dev');
    const workflowId = `publish-dev-${Date.now()}`;
    const result = (await withWorkers(dir, 0.92, () =>
      ctx.client.workflow.execute(PUBLISH_WORKFLOW_TYPE, { taskQueue: TASK_QUEUES.process, workflowId, args: [{ runId }] }),
    )) as PublishRunResult;
    expect(result).toMatchObject({ runId, outcome: 'published', published: true, graded: 20, url: `https://stats.example/2026-12-03-run-${runId}/` });
    expect(fs.existsSync(path.join(dir, `2026-12-03-run-${runId}`, 'index.html'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'index.html'))).toBe(true);
    const mails = resend.delivered().filter((e) => e.idempotencyKey?.startsWith(workflowId));
    expect(mails.map((m) => m.subject)).toEqual([`[DNStats] Scan id ${runId} Has Been Published`]);
    expect(mails[0].text).toContain(`https://stats.example/2026-12-03-run-${runId}/`);
  });

  it('refuses a run that does not exist without retrying, naming it', async () => {
    const err = await withWorkers(path.join(siteDir, 'none'), 0.92, () =>
      ctx.client.workflow.execute(PUBLISH_WORKFLOW_TYPE, { taskQueue: TASK_QUEUES.process, workflowId: `publish-missing-${Date.now()}`, args: [{ runId: 987654 }] }).catch((e: Error) => e),
    );
    expect(String((err as Error & { cause?: { cause?: Error } }).cause?.cause?.message)).toMatch(/run 987654 does not exist/);
  });

  // That scanRun chains publication after its batches, with the "published" email, is proved with
  // real sites in test/integration/scan-run-e2e.test.ts.
  it('is not chained for an empty run, which must not replace the latest statistics', async () => {
    const dir = path.join(siteDir, 'empty');
    const workflowId = `run-empty-${Date.now()}`;
    const result = (await withWorkers(dir, 0.92, () =>
      ctx.client.workflow.execute(WORKFLOW_TYPES.scanRun, { taskQueue: TASK_QUEUES.process, workflowId, args: [{ scope: { kind: 'ranks', from: 900_000, to: 900_010 } }] }),
    )) as ScanRunResult;
    expect(result).toMatchObject({ outcome: 'completed', sites: 0 });
    expect(result.published).toBeUndefined();
    expect(fs.existsSync(dir)).toBe(false);
    await expect(ctx.client.workflow.getHandle(`${workflowId}/publish`).describe()).rejects.toThrow(/not found/i);
  });

  it('is skipped when the run asks for no publication', async () => {
    const dir = path.join(siteDir, 'skipped');
    const workflowId = `run-nopublish-${Date.now()}`;
    const result = (await withWorkers(dir, 0.92, () =>
      ctx.client.workflow.execute(WORKFLOW_TYPES.scanRun, { taskQueue: TASK_QUEUES.process, workflowId, args: [{ scope: { kind: 'ranks', from: 900_000, to: 900_010 }, publish: false }] }),
    )) as ScanRunResult;
    expect(result.outcome).toBe('completed');
    expect(result.published).toBeUndefined();
    expect(fs.existsSync(dir)).toBe(false);
  });
});
