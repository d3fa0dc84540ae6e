// The published page in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
// every chart renders, nothing logs an error, and markup from DNS records stays text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../support/harness';
import { insertSyntheticRun } from '../../src/publish/synthetic';
import { publishRunSite } from '../../src/publish/publisher';
import { LocalFolderTarget } from '../../src/publish/target';
import { startSiteServer, type SiteServer } from '../../src/publish/serve';

// The functions passed to page.evaluate run in the page; the test compiles without the DOM library.
interface PageCanvas {
  id: string;
  width: number;
  height: number;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageCanvas> & Iterable<PageCanvas> };
declare const window: Record<string, unknown>;

const SCRIPT_RECORD = 'v=spf1 include:<script>window.__dnstatsPwned=1</script>.example -all';
const IMG_RECORD = 'v=DMARC1; p=reject; rua=mailto:"><img src=x onerror="window.__dnstatsPwned=2">@evil.example';

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`no Chromium at ${candidates.join(', ')}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  return found;
}

let ctx: TestContext;
let siteDir: string;
let server: SiteServer;
let browser: Browser;
let runFolder: string;

beforeAll(async () => {
  ctx = await createTestContext();
  siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-browser-'));
  const target = new LocalFolderTarget(siteDir, 'http://unused.test');
  // Two runs, so the trends chart is drawn too; the second carries hostile records on several sites
  // (the page lists records shared by at least two sites).
  const first = await insertSyntheticRun(ctx.db, { sites: 2000, startedAt: '2026-12-02T08:00:00Z', seed: 0.3, domainPrefix: 'b1' });
  await publishRunSite(ctx.db, target, first.runId);
  const second = await insertSyntheticRun(ctx.db, { sites: 2000, startedAt: '2026-12-03T08:00:00Z', seed: 0.6, domainPrefix: 'b2' });
  await sql`UPDATE site_runs SET spf_record = ${SCRIPT_RECORD} WHERE run_id = ${second.runId} AND ordinal < 600 AND has_spf`.execute(ctx.db);
  await sql`UPDATE site_runs SET dmarc_record = ${IMG_RECORD} WHERE run_id = ${second.runId} AND ordinal < 900 AND has_dmarc`.execute(ctx.db);
  runFolder = (await publishRunSite(ctx.db, target, second.runId)).folder;
  server = await startSiteServer({ dir: siteDir });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await ctx?.dispose();
  if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
});

async function open(url: string): Promise<{ page: Page; problems: string[]; offSite: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const offSite: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) offSite.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelectorAll('canvas[data-chart]').length > 0 && [...document.querySelectorAll('canvas[data-chart]')].every((c) => c.hasAttribute('data-rendered')), null, { timeout: 15_000 }).catch(() => undefined);
  return { page, problems, offSite };
}

describe("a run's page in headless Chromium", () => {
  let page: Page;
  let problems: string[];
  let offSite: string[];

  beforeAll(async () => {
    ({ page, problems, offSite } = await open(`${server.url}/${runFolder}/`));
  }, 60_000);

  it('renders every chart with Chart.js', async () => {
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('canvas[data-chart]')].map((c) => {
        const chart = (window.Chart as { getChart(c: PageCanvas): { data: { datasets: Array<{ data: number[] }> } } | undefined }).getChart(c);
        return { id: c.id, rendered: c.getAttribute('data-rendered'), width: c.width, height: c.height, points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0 };
      }),
    );
    expect(charts.length).toBe(24); // 7 adoption + 5 distributions + 2 providers + 9 grade histograms + trends
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['spf_adoption', 'dmarc_policy', 'email_providers', 'dns_providers', 'overall_grade', 'adoption_trends']));
    for (const c of charts) {
      expect({ id: c.id, rendered: c.rendered }).toEqual({ id: c.id, rendered: 'true' });
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.points).toBeGreaterThan(0);
    }
  });

  it('logs no console error or warning and loads nothing from elsewhere', () => {
    expect(problems).toEqual([]);
    expect(offSite).toEqual([]);
  });

  it('shows the hostile records as text and runs none of their markup', async () => {
    expect(await page.evaluate(() => window.__dnstatsPwned)).toBeUndefined();
    const recordTexts = await page.locator('table.records code').allTextContents();
    expect(recordTexts).toContain(SCRIPT_RECORD);
    expect(recordTexts).toContain(IMG_RECORD);
    // Only the page's own scripts, and no element that came from a record.
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('serves the page with a Content-Security-Policy that forbids inline script', async () => {
    const response = await page.request.get(`${server.url}/${runFolder}/`);
    expect(response.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(response.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);
  });
});

describe('the site index in headless Chromium', () => {
  it('renders the trends chart and links both runs', async () => {
    const { page, problems } = await open(`${server.url}/`);
    expect(problems).toEqual([]);
    expect(await page.locator('canvas[data-chart="adoption_trends"][data-rendered="true"]').count()).toBe(1);
    expect(await page.locator('#archive a').count()).toBe(2);
    await page.close();
  });
});

it('runs with the Chromium named in the brief', () => {
  const version = execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8' });
  expect(version).toMatch(/Chromium \d+/);
});
