// The static website: one folder per run (index.html, stats.json, reports/, assets/) and a root
// index with the latest figures, the trends across runs and the archive. Pages are generated from
// the statistics alone; every value is escaped on its way into HTML, and the charts' data travels
// as a JSON block that the (external, CSP-friendly) site script reads.
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml, jsonForScriptElement } from './escape';
import type { ReportFile } from './reports';
import type { Headline, RunStatistics } from './statistics';
import { GRADE_BIN_LABELS } from './categories';

const GRADE_BIN_SHORT_LABELS = ['0', '10', '20', '30', '40', '50', '60', '70', '80', '90'];

/** One line of `runs.json` at the site root: enough to draw trends and the archive without reading every run. */
export interface ManifestEntry {
  runId: number;
  folder: string;
  startedAt: string;
  scope: string;
  sites: number;
  graded: number;
  headline: Headline;
}

export interface Manifest {
  schema: 1;
  runs: ManifestEntry[];
}

const ASSET_FILES = ['site.css', 'site.js'];
export const CHART_JS_FILE = 'chart.umd.min.js';

/** A page's Content-Security-Policy: nothing inline runs, nothing loads from elsewhere. */
export const PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";
/** As an HTTP header it can also forbid framing (a <meta> policy cannot). */
export const CONTENT_SECURITY_POLICY = `${PAGE_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/** The run's folder name: its start date (as the original's `YYYY-MM-DD/`) plus the run id, so two runs of a day do not collide. */
export function runFolderName(runId: number, startedAt: string): string {
  return `${startedAt.slice(0, 10)}-run-${runId}`;
}

/** Copies the page script, the style sheet and Chart.js's UMD build (from node_modules, so the page needs no CDN) into `dir/assets`. */
export function writeAssets(dir: string): void {
  const assets = path.join(dir, 'assets');
  fs.mkdirSync(assets, { recursive: true });
  for (const file of ASSET_FILES) fs.copyFileSync(path.join(__dirname, 'assets', file), path.join(assets, file));
  fs.copyFileSync(chartJsPath(), path.join(assets, CHART_JS_FILE));
}

export function chartJsPath(): string {
  // chart.js's "exports" lists neither its package.json nor the UMD file: resolve the CommonJS
  // entry (dist/chart.cjs) and take its sibling.
  const file = path.join(path.dirname(require.resolve('chart.js', { paths: [__dirname] })), CHART_JS_FILE);
  if (!fs.existsSync(file)) throw new Error(`Chart.js's UMD build is missing at ${file}: is chart.js 4 installed (npm ci)?`);
  return file;
}

const number = (n: number) => n.toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;

export function formatRunDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

interface PageParts {
  title: string;
  assetsPath: string;
  body: string;
  data: unknown;
}

function page({ title, assetsPath, body, data }: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetsPath}/site.css">
</head>
<body>
${body}
<script type="application/json" id="dnstats-data">${jsonForScriptElement(data)}</script>
<script src="${assetsPath}/${CHART_JS_FILE}"></script>
<script src="${assetsPath}/site.js"></script>
</body>
</html>
`;
}

function figure(id: string, title: string, caption: string, kind: string, wide = false): string {
  return `<figure class="chart${wide ? ' wide' : ''}">
  <h3>${escapeHtml(title)}</h3>
  <div class="canvas-box ${kind}"><canvas id="${escapeHtml(id)}" data-chart="${escapeHtml(id)}" role="img" aria-label="${escapeHtml(`${title}: ${caption}`)}"></canvas></div>
  <figcaption>${escapeHtml(caption)}</figcaption>
</figure>`;
}

function headlineCards(h: Headline, graded: number): string {
  const card = (value: string, label: string, tone = '') => `<div class="card ${tone}"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
  return `<section class="cards" aria-label="Key figures">
${card(percent(h.spf), 'publish an SPF record')}
${card(percent(h.dmarc), 'publish a DMARC record')}
${card(percent(h.dmarcEnforcing), 'tell receivers to quarantine or reject spoofed mail')}
${card(percent(h.dnssec), 'sign their zone with DNSSEC')}
${card(percent(h.caa), 'restrict who may issue their certificates (CAA)')}
${card(h.meanOverallGrade === null ? '–' : `${h.meanOverallGrade.toFixed(0)}/100`, `average score of ${number(graded)} sites`, 'score')}
</section>`;
}

function trendsSection(manifest: Manifest): { html: string; series: unknown } {
  const runs = [...manifest.runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  if (runs.length < 2) return { html: '', series: null };
  const series = {
    labels: runs.map((r) => r.startedAt.slice(0, 10)),
    datasets: [
      { label: 'SPF', values: runs.map((r) => r.headline.spf) },
      { label: 'DMARC', values: runs.map((r) => r.headline.dmarc) },
      { label: 'DMARC enforcing', values: runs.map((r) => r.headline.dmarcEnforcing) },
      { label: 'CAA', values: runs.map((r) => r.headline.caa) },
      { label: 'DNSSEC', values: runs.map((r) => r.headline.dnssec) },
    ],
  };
  const first = runs[0];
  const last = runs[runs.length - 1];
  const delta = (a: number, b: number) => `${b >= a ? '+' : '−'}${(Math.abs(b - a) * 100).toFixed(1)} points`;
  const caption = `From ${formatRunDate(first.startedAt)} to ${formatRunDate(last.startedAt)}: DMARC ${delta(first.headline.dmarc, last.headline.dmarc)}, SPF ${delta(first.headline.spf, last.headline.spf)}, DNSSEC ${delta(first.headline.dnssec, last.headline.dnssec)}.`;
  return {
    html: `<section id="trends"><h2>Trends</h2><p class="lead">Share of sites adopting each protection, run by run (${runs.length} runs).</p>
${figure('adoption_trends', 'Adoption over time', caption, 'line', true)}
</section>`,
    series,
  };
}

/** The page of one run. `manifest` holds the runs published so far (for trends); `reports` the files of this run. */
export function renderRunPage(stats: RunStatistics, reports: ReportFile[], manifest: Manifest): string {
  const date = formatRunDate(stats.run.startedAt);
  const g = stats.run.graded;
  const adoption = (id: string) => stats.adoption.find((a) => a.id === id)!;
  const dist = (id: string) => stats.distributions.find((d) => d.id === id)!;
  const adoptionFigure = (id: string) => {
    const a = adoption(id);
    return figure(a.id, a.title, `${percent(a.share)} of sites (${number(a.yes)} of ${number(g)}).`, 'pie');
  };
  const distFigure = (id: string, caption: (slices: RunStatistics['distributions'][number]['slices']) => string, kind = 'pie') => {
    const d = dist(id);
    return figure(d.id, d.title, caption(d.slices), kind);
  };
  const biggest = (slices: Array<{ label: string; value: number }>, of = g) => {
    const top = [...slices].sort((a, b) => b.value - a.value)[0];
    return top && top.value > 0 ? `Most common: ${top.label}, ${percent(top.value / of)} of sites.` : 'No sites.';
  };
  const withCaa = (slices: Array<{ label: string; value: number }>) => {
    const none = slices.find((s) => s.label === '0')?.value ?? 0;
    return `Among the ${number(g - none)} sites with such records (${number(none)} sites have none, not drawn).`;
  };
  const providerCaption = (slices: Array<{ label: string; value: number }>, unclassified: number) => {
    const top = slices.slice(0, 3).map((s) => `${s.label} ${percent(s.value / g)}`);
    return `${top.join(', ')}${unclassified ? `; ${number(unclassified)} sites not classified` : ''}.`;
  };
  const gradeFigure = (id: string) => {
    const d = stats.grades.find((x) => x.id === id)!;
    const caption = `Mean ${d.mean === null ? '–' : d.mean.toFixed(1)}, median ${d.median === null ? '–' : d.median.toFixed(0)}${d.undetermined ? `; ${number(d.undetermined)} sites could not be graded (lookups failed)` : ''}.`;
    return figure(d.id, d.title, caption, 'bars', id === 'overall_grade');
  };
  const trends = trendsSection(manifest);
  const topRemarks = stats.remarks.slice(0, 15);
  const remarkRows = topRemarks
    .map(
      (r) => `<tr><td><span class="area">${escapeHtml(r.type.toUpperCase())}</span> ${escapeHtml(r.title)}${r.text ? `<div class="explain">${escapeHtml(r.text)}</div>` : ''}</td><td class="num">${escapeHtml(number(r.count))}</td><td class="num">${escapeHtml(percent(r.share))}</td><td><a href="${escapeHtml(r.report)}">CSV</a></td></tr>`,
    )
    .join('\n');
  const recordRows = (rows: Array<{ record: string; count: number }>) =>
    rows.map((r) => `<tr><td><code>${escapeHtml(r.record)}</code></td><td class="num">${escapeHtml(number(r.count))}</td><td class="num">${escapeHtml(percent(r.count / Math.max(1, g)))}</td></tr>`).join('\n');
  const reportRows = (kind: ReportFile['kind']) =>
    reports
      .filter((r) => r.kind === kind && (kind === 'category' || r.rows > 0))
      .map((r) => `<tr><td><a href="${escapeHtml(r.file)}">${escapeHtml(r.name)}.csv</a></td><td>${escapeHtml(r.description)}</td><td class="num">${escapeHtml(number(r.rows))}</td></tr>`)
      .join('\n');

  const body = `<header class="masthead">
  <p class="kicker"><a href="../index.html">dnstats</a> · scan of ${escapeHtml(date)}</p>
  <h1>How the top ${escapeHtml(number(stats.run.sites))} websites protect their domains and email</h1>
  <p class="lead">Every day dnstats looks up the DNS records of the most popular sites, as ranked by the <a href="https://tranco-list.eu/">Tranco list</a>, and grades how they use SPF, DMARC, CAA, DNSSEC and their name and mail servers. This scan (${escapeHtml(stats.run.scope)}) graded ${escapeHtml(number(g))} of ${escapeHtml(number(stats.run.sites))} sites.</p>
</header>
<main>
${headlineCards(stats.headline, g)}
${trends.html}
<section id="spf"><h2>SPF: who may send mail for the domain</h2>
<p class="lead">An SPF record (<a href="https://www.rfc-editor.org/rfc/rfc7208">RFC 7208</a>) lists the servers allowed to send mail as the domain, and ends by saying what receivers should do with everything else: <em>-all</em> rejects it, <em>~all</em> marks it suspicious, <em>?all</em> and <em>+all</em> let it through.</p>
<div class="grid">
${adoptionFigure('spf_adoption')}
${distFigure('spf_policy', (s) => biggest(s))}
</div></section>
<section id="dmarc"><h2>DMARC: what to do with spoofed mail</h2>
<p class="lead">DMARC (<a href="https://www.rfc-editor.org/rfc/rfc7489">RFC 7489</a>) tells receivers what to do with mail that fails SPF and DKIM: nothing (<em>none</em>), put it in spam (<em>quarantine</em>) or refuse it (<em>reject</em>). ${escapeHtml(percent(stats.headline.dmarcEnforcing))} of sites ask for quarantine or reject.</p>
<div class="grid">
${adoptionFigure('dmarc_adaption')}
${distFigure('dmarc_policy', (s) => biggest(s))}
${adoptionFigure('dmarc_subdomain_policy_adaption')}
${distFigure('dmarc_subdomain_policy', (s) => biggest(s))}
</div></section>
<section id="caa"><h2>CAA: who may issue certificates</h2>
<p class="lead">A CAA record (<a href="https://www.rfc-editor.org/rfc/rfc8659">RFC 8659</a>) names the certificate authorities allowed to issue certificates for the domain; an <em>iodef</em> entry says where to report attempts.</p>
<div class="grid">
${adoptionFigure('caa_adoption')}
${adoptionFigure('caa_reporting')}
${distFigure('caa_issue_count', withCaa, 'bars')}
${distFigure('caa_wildcard_issue_count', withCaa, 'bars')}
</div></section>
<section id="others"><h2>Mail servers and DNSSEC</h2>
<p class="lead">MX records (<a href="https://www.rfc-editor.org/rfc/rfc5321">RFC 5321</a>) say where the domain receives mail; DNSSEC (<a href="https://www.rfc-editor.org/rfc/rfc4033">RFC 4033</a>) signs the zone so answers cannot be forged.</p>
<div class="grid">
${adoptionFigure('has_mx_records')}
${adoptionFigure('dnssec_adoption')}
</div></section>
<section id="providers"><h2>Provider Stats</h2>
<p class="lead">Who runs the sites' mail and name servers, recognised from the host names in their MX and NS records.</p>
<div class="grid">
${figure('email_providers', 'Email Providers', providerCaption(stats.providers.email, stats.providers.emailUnclassified), 'hbars', true)}
${figure('dns_providers', 'DNS Providers', providerCaption(stats.providers.dns, stats.providers.dnsUnclassified), 'hbars', true)}
</div></section>
<section id="grading"><h2>Grading</h2>
<p class="lead">Each area is graded from 0 to 100. The overall score is the average of the SPF, DMARC, CAA, NS, SOA, MX and DNSSEC grades that could be determined (BIMI, optional branding, is not counted).</p>
<div class="grid three">
${gradeFigure('overall_grade')}
${gradeFigure('spf_grade')}
${gradeFigure('dmarc_grade')}
${gradeFigure('caa_grade')}
${gradeFigure('ns_grade')}
${gradeFigure('soa_grade')}
${gradeFigure('mx_grade')}
${gradeFigure('dnssec_grade')}
${gradeFigure('bimi_grade')}
</div></section>
<section id="problems"><h2>The most common problems</h2>
<table class="data"><thead><tr><th>Problem</th><th class="num">Sites</th><th class="num">Share</th><th>List</th></tr></thead>
<tbody>
${remarkRows || '<tr><td colspan="4">No problems found.</td></tr>'}
</tbody></table></section>
<section id="records"><h2>The most common records</h2>
<div class="grid two">
<div><h3>SPF records</h3><table class="data records"><thead><tr><th>Record</th><th class="num">Sites</th><th class="num">Share</th></tr></thead><tbody>
${recordRows(stats.commonRecords.spf) || '<tr><td colspan="3">None.</td></tr>'}
</tbody></table></div>
<div><h3>DMARC records</h3><table class="data records"><thead><tr><th>Record</th><th class="num">Sites</th><th class="num">Share</th></tr></thead><tbody>
${recordRows(stats.commonRecords.dmarc) || '<tr><td colspan="3">None.</td></tr>'}
</tbody></table></div>
</div></section>
<section id="downloads"><h2>Download the lists</h2>
<p class="lead">Every category as a CSV file of <code>rank,domain</code>, and the figures on this page as <a href="stats.json">stats.json</a>.</p>
<table class="data"><thead><tr><th>File</th><th>Sites</th><th class="num">Count</th></tr></thead><tbody>
${reportRows('category')}
</tbody></table>
<details><summary>Lists of sites per problem</summary>
<table class="data"><thead><tr><th>File</th><th>Problem</th><th class="num">Count</th></tr></thead><tbody>
${reportRows('remark')}
</tbody></table></details>
</section>
</main>
<footer>
<p>Data: DNS lookups of the sites on the <a href="https://tranco-list.eu/">Tranco</a> list, run ${escapeHtml(String(stats.run.id))} started ${escapeHtml(stats.run.startedAt)}. Licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. Generated by dnstats on ${escapeHtml(stats.generatedAt)}.</p>
</footer>`;

  const grades = Object.fromEntries(stats.grades.map((d) => [d.id, { labels: GRADE_BIN_LABELS, values: d.bins }]));
  const topProviders = (slices: Array<{ label: string; value: number }>) => {
    const top = slices.slice(0, 12);
    const rest = slices.slice(12).reduce((n, s) => n + s.value, 0);
    return { labels: [...top.map((s) => s.label), ...(rest ? ['Other'] : [])], values: [...top.map((s) => s.value), ...(rest ? [rest] : [])], total: g };
  };
  const charts: Record<string, unknown> = {};
  for (const a of stats.adoption) charts[a.id] = { type: 'pie', slices: a.slices };
  for (const d of stats.distributions) {
    charts[d.id] = d.id.startsWith('caa_') ? { type: 'bars', labels: d.slices.slice(1).map((s) => s.label), values: d.slices.slice(1).map((s) => s.value), axis: 'Sites', xTitle: 'records' } : { type: 'pie', slices: d.slices };
  }
  charts.email_providers = { type: 'hbars', ...topProviders(stats.providers.email) };
  charts.dns_providers = { type: 'hbars', ...topProviders(stats.providers.dns) };
  for (const [id, h] of Object.entries(grades)) charts[id] = { type: 'bars', ...h, shortLabels: GRADE_BIN_SHORT_LABELS, grades: true, axis: 'Sites', xTitle: 'grade (90 includes 100)' };
  if (trends.series) charts.adoption_trends = { type: 'line', ...(trends.series as object) };

  return page({ title: `dnstats · ${date}`, assetsPath: 'assets', body, data: { charts } });
}

/** The site root: the latest run's figures, the trends and the archive of every published run. */
export function renderIndexPage(manifest: Manifest): string {
  const runs = [...manifest.runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId - a.runId);
  const latest = runs[0];
  const trends = trendsSection(manifest);
  const archive = runs
    .map(
      (r) =>
        `<tr><td><a href="${escapeHtml(r.folder)}/index.html">${escapeHtml(formatRunDate(r.startedAt))}</a></td><td>${escapeHtml(r.scope)}</td><td class="num">${escapeHtml(number(r.graded))}</td><td class="num">${escapeHtml(percent(r.headline.spf))}</td><td class="num">${escapeHtml(percent(r.headline.dmarc))}</td><td class="num">${escapeHtml(percent(r.headline.dnssec))}</td></tr>`,
    )
    .join('\n');
  const body = `<header class="masthead">
  <p class="kicker">dnstats</p>
  <h1>DNS and email security of the most popular websites</h1>
  <p class="lead">${latest ? `Latest scan: <a href="${escapeHtml(latest.folder)}/index.html">${escapeHtml(formatRunDate(latest.startedAt))}</a>, ${escapeHtml(number(latest.graded))} sites graded.` : 'Nothing published yet.'}</p>
</header>
<main>
${latest ? headlineCards(latest.headline, latest.graded) : ''}
${trends.html}
<section id="archive"><h2>Every scan</h2>
<table class="data"><thead><tr><th>Scan</th><th>Scope</th><th class="num">Sites graded</th><th class="num">SPF</th><th class="num">DMARC</th><th class="num">DNSSEC</th></tr></thead><tbody>
${archive}
</tbody></table></section>
</main>
<footer><p>Licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.</p></footer>`;
  const charts: Record<string, unknown> = {};
  if (trends.series) charts.adoption_trends = { type: 'line', ...(trends.series as object) };
  return page({ title: 'dnstats', assetsPath: 'assets', body, data: { charts } });
}

/** The manifest with this run's entry added or replaced (a re-published run keeps one entry). */
export function updateManifest(previous: Manifest | null, entry: ManifestEntry): Manifest {
  const runs = (previous?.runs ?? []).filter((r) => r.runId !== entry.runId && r.folder !== entry.folder);
  runs.push(entry);
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId - b.runId);
  return { schema: 1, runs };
}

export function parseManifest(text: string | null, source: string): Manifest | null {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  const m = parsed as Manifest;
  if (!m || !Array.isArray(m.runs)) throw new Error(`${source} is not a dnstats manifest (no "runs" array)`);
  return m;
}

export function manifestEntryOf(stats: RunStatistics, folder: string): ManifestEntry {
  return { runId: stats.run.id, folder, startedAt: stats.run.startedAt, scope: stats.run.scope, sites: stats.run.sites, graded: stats.run.graded, headline: stats.headline };
}
