import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADOPTION_CHARTS, GRADE_CHARTS } from '../../../src/publish/categories';
import { chartJsPath, parseManifest, renderIndexPage, renderRunPage, runFolderName, updateManifest, writeAssets, manifestEntryOf, type Manifest } from '../../../src/publish/site';
import type { RunStatistics } from '../../../src/publish/statistics';
import type { ReportFile } from '../../../src/publish/reports';
import { LocalFolderTarget, checkKey } from '../../../src/publish/target';
import { resolveRequestPath } from '../../../src/publish/serve';

const EVIL = '<script>window.__pwned = 1</script><img src=x onerror="alert(1)">';

function statistics(overrides: Partial<RunStatistics['run']> = {}): RunStatistics {
  const graded = 1000;
  const slices = (labels: string[]) => labels.map((label, i) => ({ label, value: 100 * (i + 1) }));
  return {
    schema: 1,
    generatedAt: '2026-12-03T09:00:00.000Z',
    run: { id: 7, workflowId: 'wf', scope: 'top 1000', startedAt: '2026-12-03T08:00:00.000Z', endedAt: null, outcome: 'completed', sites: 1000, graded, ...overrides },
    categories: { spf_domains: { count: 700, share: 0.7 } },
    adoption: ADOPTION_CHARTS.map((a) => ({ id: a.id, title: a.title, section: a.section, yes: 400, no: 600, share: 0.4, slices: [{ label: 'Yes', value: 400 }, { label: 'No', value: 600 }] })),
    distributions: [
      { id: 'spf_policy', title: 'SPF Policy', section: 'spf', slices: slices(['Pass', 'Fail']) },
      { id: 'dmarc_policy', title: 'DMARC Policy', section: 'dmarc', slices: slices(['None', 'Reject']) },
      { id: 'dmarc_subdomain_policy', title: 'DMARC Subdomain Policy', section: 'dmarc', slices: slices(['None']) },
      { id: 'caa_issue_count', title: 'CAA Issue Count', section: 'caa', slices: slices(['0', '1', '2-5', '6-10', '11+']) },
      { id: 'caa_wildcard_issue_count', title: 'CAA Wildcard Issue Count', section: 'caa', slices: slices(['0', '1', '2-5', '6-10', '11+']) },
    ],
    grades: GRADE_CHARTS.map((g) => ({ id: g.id, title: g.title, area: g.area, bins: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], undetermined: 3, mean: 55.5, median: 60 })),
    providers: { email: slices(['Google Apps', 'Office 365']), dns: slices(['CloudFlare']), emailUnclassified: 0, dnsUnclassified: 4 },
    remarks: [{ id: 1018, type: 'spf', name: 'NO_SPF_FOUND', title: 'No Spf Found', level: 0, count: 300, share: 0.3, report: 'reports/remark_spf_no_spf_found.csv' }],
    commonRecords: { spf: [{ record: `v=spf1 include:${EVIL} -all`, count: 5 }], dmarc: [{ record: `v=DMARC1; p=reject; rua=mailto:${EVIL}`, count: 2 }] },
    headline: { spf: 0.7, dmarc: 0.4, dmarcEnforcing: 0.2, caa: 0.1, dnssec: 0.05, mx: 0.8, bimi: 0, meanOverallGrade: 55.5 },
  };
}

const reports: ReportFile[] = [
  { name: 'spf_domains', file: 'reports/spf_domains.csv', rows: 700, kind: 'category', description: 'Sites with an SPF record' },
  { name: 'remark_spf_no_spf_found', file: 'reports/remark_spf_no_spf_found.csv', rows: 300, kind: 'remark', description: 'SPF: No Spf Found' },
];

function dataBlock(html: string): { charts: Record<string, { type: string }> } {
  const match = /<script type="application\/json" id="dnstats-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no data block');
  return JSON.parse(match[1]);
}

describe('the run page', () => {
  const stats = statistics();
  const manifest: Manifest = { schema: 1, runs: [] };
  const html = renderRunPage(stats, reports, updateManifest(manifest, manifestEntryOf(stats, 'x')));

  it('escapes record text: no markup from DNS survives', () => {
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    // Only the page's own three script elements.
    expect(html.match(/<script\b/g)).toHaveLength(3);
  });

  it('has a canvas for every chart, each with data in the JSON block', () => {
    const canvases = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    const { charts } = dataBlock(html);
    for (const id of [...ADOPTION_CHARTS.map((a) => a.id), ...GRADE_CHARTS.map((g) => g.id), 'spf_policy', 'dmarc_policy', 'dmarc_subdomain_policy', 'email_providers', 'dns_providers', 'caa_issue_count', 'caa_wildcard_issue_count']) {
      expect(canvases).toContain(id);
      expect(charts[id]).toBeDefined();
    }
    expect(canvases.filter((id) => !charts[id])).toEqual([]);
  });

  it("keeps the original's chart titles, fixed where §25.10 says so", () => {
    for (const title of ['SPF Adoption', 'DMARC Adaption', 'DMARC Subdomain Policy Adaption', 'Has MX Records', 'CAA Adoption', 'CAA Reporting', 'DNSSEC Adoption', 'SPF Policy', 'DMARC Policy', 'DMARC Subdomain Policy', 'Email Providers', 'DNS Providers', 'CAA Issue Count', 'CAA Wildcard Issue Count', 'Overall Grade', 'CAA Grade', 'DMARC Grade', 'SPF Grade']) {
      expect(html).toContain(`<h3>${title}</h3>`);
    }
    expect(html).not.toContain('Security.txt');
  });

  it('draws trends only when there are several runs', () => {
    expect(html).not.toContain('data-chart="adoption_trends"');
    const second = statistics({ id: 8, startedAt: '2026-12-04T08:00:00.000Z' });
    const two = updateManifest(updateManifest(null, manifestEntryOf(stats, 'a')), manifestEntryOf(second, 'b'));
    const page = renderRunPage(second, reports, two);
    expect(page).toContain('data-chart="adoption_trends"');
    expect((dataBlock(page).charts.adoption_trends as unknown as { labels: string[] }).labels).toEqual(['2026-12-03', '2026-12-04']);
  });

  it('loads Chart.js and its script from the run folder, with a CSP that forbids inline scripts', () => {
    expect(html).toContain('<script src="assets/chart.umd.min.js"></script>');
    expect(html).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;/);
    expect(html).not.toMatch(/https?:\/\/[^"]*\.js/);
  });
});

describe('the manifest and the index', () => {
  it('keeps one entry per run, in date order, and the index links each run folder', () => {
    const a = statistics({ id: 1, startedAt: '2026-12-01T08:00:00.000Z' });
    const b = statistics({ id: 2, startedAt: '2026-12-02T08:00:00.000Z' });
    let m = updateManifest(null, manifestEntryOf(b, runFolderName(2, b.run.startedAt)));
    m = updateManifest(m, manifestEntryOf(a, runFolderName(1, a.run.startedAt)));
    m = updateManifest(m, manifestEntryOf(b, runFolderName(2, b.run.startedAt)));
    expect(m.runs.map((r) => r.folder)).toEqual(['2026-12-01-run-1', '2026-12-02-run-2']);
    const index = renderIndexPage(m);
    expect(index).toContain('href="2026-12-02-run-2/index.html"');
    expect(index).toContain('href="2026-12-01-run-1/index.html"');
    expect(index).toContain('data-chart="adoption_trends"');
  });

  it('refuses a manifest that is not one, naming the file', () => {
    expect(() => parseManifest('{"nope": 1}', 'site/runs.json')).toThrow(/site\/runs.json is not a dnstats manifest/);
    expect(() => parseManifest('{', 'site/runs.json')).toThrow(/site\/runs.json is not valid JSON/);
    expect(parseManifest(null, 'x')).toBeNull();
  });
});

describe('assets', () => {
  it("vendors Chart.js's UMD build from node_modules beside the page script", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-assets-'));
    try {
      writeAssets(dir);
      expect(fs.readdirSync(path.join(dir, 'assets')).sort()).toEqual(['chart.umd.min.js', 'site.css', 'site.js']);
      expect(fs.readFileSync(path.join(dir, 'assets', 'chart.umd.min.js'), 'utf8')).toContain('Chart.js v4');
      expect(chartJsPath()).toMatch(/node_modules\/chart\.js\/dist\/chart\.umd\.min\.js$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the local folder target', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-target-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('replaces a published folder whole, leaving no staging folders behind', async () => {
    const target = new LocalFolderTarget(root, 'http://example.test/');
    for (const content of ['first', 'second']) {
      const build = target.stagingDir();
      fs.mkdirSync(path.join(build, 'run'));
      fs.writeFileSync(path.join(build, 'run', `${content}.txt`), content);
      await target.publishFolder(path.join(build, 'run'), '2026-12-03-run-1');
      fs.rmSync(build, { recursive: true });
    }
    expect(fs.readdirSync(path.join(root, '2026-12-03-run-1'))).toEqual(['second.txt']);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.') && f !== '.staging')).toEqual([]);
    expect(target.urlOf('2026-12-03-run-1/')).toBe('http://example.test/2026-12-03-run-1/');
  });

  it('writes root files atomically and reads them back (null when absent)', async () => {
    const target = new LocalFolderTarget(root, 'http://x');
    expect(await target.readFile('runs.json')).toBeNull();
    await target.writeFile('assets/site.js', 'x');
    expect(await target.readFile('assets/site.js')).toBe('x');
  });

  it('refuses keys that leave the folder', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a\\b', '']) expect(() => checkKey(key)).toThrow(/not a relative path/);
    await expect(new LocalFolderTarget(root, 'http://x').writeFile('../escape', 'x')).rejects.toThrow(/not a relative path/);
  });
});

describe('serving paths', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-serve-'));
    fs.mkdirSync(path.join(root, 'run'));
    fs.writeFileSync(path.join(root, 'run', 'index.html'), 'ok');
    fs.mkdirSync(path.join(root, '.staging'));
    fs.writeFileSync(path.join(root, '.staging', 'x'), 'hidden');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('maps folders to their index and refuses traversal, dot-files and bad encodings', () => {
    expect(resolveRequestPath(root, '/run/')).toBe(path.join(root, 'run', 'index.html'));
    expect(resolveRequestPath(root, '/run/index.html?x=1')).toBe(path.join(root, 'run', 'index.html'));
    expect(resolveRequestPath(root, '/../etc/passwd')).toBeNull();
    expect(resolveRequestPath(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveRequestPath(root, '/.staging/x')).toBeNull();
    expect(resolveRequestPath(root, '/%E0%A4%A')).toBeNull();
    expect(resolveRequestPath(root, '/missing.html')).toBeNull();
  });
});
