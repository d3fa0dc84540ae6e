// The publication of a real run: the lab world on loopback, scanned, processed and graded by the
// real pipeline on Temporal and Postgres, then published by the chained publishRun child. Every
// report must list exactly the sites the lab's expectations put in it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, startWorkers, type RunningWorkers, type TestContext } from '../support/harness';
import { labScanner, loadLabSites, startLab, type LabServer } from '../support/lab-pipeline';
import { createPublishActivities } from '../../src/activities/publish';
import { LocalFolderTarget } from '../../src/publish/target';
import { CATEGORIES, factMatches, remarkReportName } from '../../src/publish/categories';
import { REMARKS } from '../../src/checks/remarks';
import { GRADED_AREAS } from '../../src/checks/types';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../../src/shared/names';
import type { ScanRunResult } from '../../src/shared/types';
import type { Scanner } from '../../src/dns/scanner';
import type { RunStatistics } from '../../src/publish/statistics';

const SITES = 500;

let ctx: TestContext;
let lab: LabServer;
let scanner: Scanner;
let workers: RunningWorkers;
let siteDir: string;
let result: ScanRunResult;
let runDir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  lab = await startLab(SITES);
  await loadLabSites(ctx.db, lab.world);
  scanner = labScanner(lab);
  siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-lab-site-'));
  const publish = createPublishActivities({ db: ctx.db, options: { coverageThreshold: 0.92, target: new LocalFolderTarget(siteDir, 'http://lab.test') } });
  workers = await startWorkers(ctx, { scanner, extraActivities: publish });
  result = (await ctx.client.workflow.execute(WORKFLOW_TYPES.scanRun, {
    taskQueue: TASK_QUEUES.process,
    workflowId: `publish-lab-${Date.now()}`,
    args: [{ scope: { kind: 'top', count: SITES }, chunkSize: 100 }],
  })) as ScanRunResult;
  const folder = new URL(result.publishedUrl ?? 'http://x/none/').pathname.replace(/\//g, '');
  runDir = path.join(siteDir, folder);
}, 600_000);

afterAll(async () => {
  await workers?.stop();
  await scanner?.close();
  await lab?.stop();
  await ctx?.dispose();
  if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
});

function domainsIn(report: string): Set<string> {
  const text = fs.readFileSync(path.join(runDir, 'reports', `${report}.csv`), 'utf8');
  expect(text.startsWith('rank,domain\n')).toBe(true);
  return new Set(text.split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[1]));
}

it('grades the whole run and publishes it', () => {
  expect(result).toMatchObject({ outcome: 'completed', sites: SITES, graded: SITES, published: true });
  expect(fs.existsSync(path.join(runDir, 'index.html'))).toBe(true);
});

it("lists in each category report exactly the sites whose lab facts put them there", () => {
  const summary: Array<{ report: string; expected: number; listed: number; wrong: string[] }> = [];
  for (const category of CATEGORIES) {
    const listed = domainsIn(category.name);
    const wrong: string[] = [];
    let expected = 0;
    let stated = 0;
    for (let i = 0; i < SITES; i++) {
      const site = lab.world.site(i);
      const should = factMatches(site.expect.facts, category.fact, category.test);
      if (should === undefined) continue; // the lab does not state this fact for the site (an injected fault)
      stated++;
      if (should) expected++;
      if (should !== listed.has(site.domain)) wrong.push(`${site.domain} (${site.scenario}): expected ${should ? 'in' : 'out'}`);
    }
    // Not vacuous: the lab states most facts for most sites.
    expect({ report: category.name, mostStated: stated >= SITES * 0.8 }).toEqual({ report: category.name, mostStated: true });
    summary.push({ report: category.name, expected, listed: listed.size, wrong: wrong.slice(0, 5) });
  }
  expect(summary.filter((s) => s.wrong.length > 0)).toEqual([]);
  // The world is built to cover the categories: each report of a kind the lab makes has sites.
  for (const name of ['mx_domains', 'no_mx_domains', 'dnssec_domains', 'caa_domains', 'caa_reporting_domains', 'dmarc_none', 'dmarc_quarantine', 'dmarc_reject', 'spf_fail', 'spf_softfail', 'null_mx_domains']) {
    expect({ name, listed: summary.find((s) => s.report === name)!.listed > 0 }).toEqual({ name, listed: true });
  }
});

it('lists in each remark report exactly the sites the lab expects to get that remark', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const area of GRADED_AREAS) {
    for (const remark of REMARKS.filter((r) => r.type === area && r.emitted)) {
      const listed = domainsIn(remarkReportName(area, remark.name));
      for (let i = 0; i < SITES; i++) {
        const site = lab.world.site(i);
        const should = site.expect.grades[area].remarks.includes(remark.name);
        if (should !== listed.has(site.domain)) wrong.push(`${remarkReportName(area, remark.name)}: ${site.domain} (${site.scenario}) expected ${should ? 'in' : 'out'}`);
        if (should) checked++;
      }
    }
  }
  expect(wrong.slice(0, 20)).toEqual([]);
  expect(checked).toBeGreaterThan(SITES);
});

it('counts in stats.json what the reports list', () => {
  const stats = JSON.parse(fs.readFileSync(path.join(runDir, 'stats.json'), 'utf8')) as RunStatistics;
  expect(stats.run.graded).toBe(SITES);
  for (const category of CATEGORIES) expect({ name: category.name, count: stats.categories[category.name].count }).toEqual({ name: category.name, count: domainsIn(category.name).size });
});
