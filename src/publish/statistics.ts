// The aggregate statistics of a run (`stats.json`): counts and shares for every category, the
// chart data, grade distributions per area, provider market shares, the most frequent remarks
// and records. Everything is computed by Postgres (GROUP BY / FILTER), so memory does not grow
// with the run; the page is generated from this object alone.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { GRADED_AREAS, type GradedArea } from '../checks/types';
import { DMARC_POLICIES, SPF_POLICIES } from '../checks/tables';
import { findRemark } from '../checks/remarks';
import {
  ADOPTION_CHARTS,
  ADOPTION_COLORS,
  CAA_COUNT_BUCKETS,
  CATEGORIES,
  GRADE_BIN_LABELS,
  GRADE_CHARTS,
  OVERALL_AREAS,
  conditionSql,
  remarkReportName,
} from './categories';
import { gradedSites } from './reports';

export const STATISTICS_SCHEMA_VERSION = 1;

export interface Slice {
  label: string;
  value: number;
  color?: string;
}

export interface GradeDistribution {
  id: string;
  title: string;
  area: GradedArea | 'overall';
  /** Sites per bin, bins labelled by GRADE_BIN_LABELS. */
  bins: number[];
  /** Sites whose grade could not be determined (lookups failed). */
  undetermined: number;
  mean: number | null;
  median: number | null;
}

export interface RunStatistics {
  schema: number;
  generatedAt: string;
  run: {
    id: number;
    workflowId: string;
    scope: string;
    startedAt: string;
    endedAt: string | null;
    outcome: string;
    /** Sites in the run's snapshot. */
    sites: number;
    /** Graded sites: the population of every figure below. */
    graded: number;
  };
  /** Report name → sites in it and their share of the graded sites. */
  categories: Record<string, { count: number; share: number }>;
  adoption: Array<{ id: string; title: string; section: string; yes: number; no: number; share: number; slices: Slice[] }>;
  distributions: Array<{ id: string; title: string; section: string; slices: Slice[]; note?: string }>;
  grades: GradeDistribution[];
  providers: { email: Slice[]; dns: Slice[]; emailUnclassified: number; dnsUnclassified: number };
  remarks: Array<{ id: number; type: string; name: string; title: string; text?: string; level: number; count: number; share: number; report: string }>;
  /** The most frequent record texts shared by at least two sites (attacker-controlled: escape before display). */
  commonRecords: { spf: Array<{ record: string; count: number }>; dmarc: Array<{ record: string; count: number }> };
  headline: Headline;
}

export interface Headline {
  spf: number;
  dmarc: number;
  /** DMARC quarantine or reject. */
  dmarcEnforcing: number;
  caa: number;
  dnssec: number;
  mx: number;
  bimi: number;
  meanOverallGrade: number | null;
}

const share = (n: number, of: number) => (of > 0 ? n / of : 0);
const COMMON_RECORDS = 10;
/** Longer records are cut for display; a record is text from DNS and can be kilobytes long. */
const RECORD_DISPLAY_CHARS = 300;

export async function collectRunStatistics(db: Kysely<Database>, runId: number, now = new Date()): Promise<RunStatistics> {
  const run = await db
    .selectFrom('runs')
    .select(['id', 'workflow_id', 'scope', 'start_time', 'end_time', 'outcome', 'site_count'])
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run) throw new Error(`run ${runId} does not exist`);
  const where = gradedSites(runId);

  // One scan for every category and adoption count.
  const counted = [
    ...CATEGORIES.map((c) => ({ key: `c_${c.name}`, condition: conditionSql(c.fact, c.test) })),
    ...ADOPTION_CHARTS.map((a) => ({ key: `a_${a.id}`, condition: conditionSql(a.fact, a.test) })),
  ];
  const countsRow = (
    await sql<Record<string, number>>`
      SELECT count(*)::int AS graded,
        ${sql.join(counted.map(({ key, condition }) => sql`count(*) FILTER (WHERE ${condition})::int AS ${sql.id(key)}`))}
      FROM site_runs WHERE ${where}`.execute(db)
  ).rows[0];
  const graded = countsRow.graded;
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c.name, { count: countsRow[`c_${c.name}`], share: share(countsRow[`c_${c.name}`], graded) }]));
  const adoption = ADOPTION_CHARTS.map((a) => {
    const yes = countsRow[`a_${a.id}`];
    return {
      id: a.id,
      title: a.title,
      section: a.section,
      yes,
      no: graded - yes,
      share: share(yes, graded),
      slices: [
        { label: 'Yes', value: yes, color: ADOPTION_COLORS.yes },
        { label: 'No', value: graded - yes, color: ADOPTION_COLORS.no },
      ],
    };
  });

  const grouped = async (column: 'spf_policy_id' | 'dmarc_policy_id' | 'dmarc_sub_policy_id') =>
    new Map(
      (
        await sql<{ id: number | null; n: number }>`SELECT ${sql.ref(column)} AS id, count(*)::int AS n FROM site_runs WHERE ${where} GROUP BY 1`.execute(db)
      ).rows.map((r) => [r.id, r.n]),
    );
  const spfPolicies = await grouped('spf_policy_id');
  const dmarcPolicies = await grouped('dmarc_policy_id');
  const dmarcSubPolicies = await grouped('dmarc_sub_policy_id');
  const policySlices = (rows: ReadonlyArray<{ id: number; displayName: string; color: string }>, counts: Map<number | null, number>): Slice[] =>
    rows.map((p) => ({ label: p.displayName, value: counts.get(p.id) ?? 0, color: p.color }));

  const caaBuckets = async (column: 'caa_issue_count' | 'caa_wildcard_count'): Promise<Slice[]> => {
    const row = (
      await sql<Record<string, number>>`
        SELECT ${sql.join(
          CAA_COUNT_BUCKETS.map((b, i) => sql`count(*) FILTER (WHERE coalesce(${sql.ref(column)}, 0) BETWEEN ${b.min} AND ${b.max})::int AS ${sql.id(`b${i}`)}`),
        )}
        FROM site_runs WHERE ${where}`.execute(db)
    ).rows[0];
    return CAA_COUNT_BUCKETS.map((b, i) => ({ label: b.label, value: row[`b${i}`] }));
  };

  const distributions: RunStatistics['distributions'] = [
    { id: 'spf_policy', title: 'SPF Policy', section: 'spf', slices: policySlices(SPF_POLICIES, spfPolicies) },
    { id: 'dmarc_policy', title: 'DMARC Policy', section: 'dmarc', slices: policySlices(DMARC_POLICIES, dmarcPolicies) },
    { id: 'dmarc_subdomain_policy', title: 'DMARC Subdomain Policy', section: 'dmarc', slices: policySlices(DMARC_POLICIES, dmarcSubPolicies) },
    { id: 'caa_issue_count', title: 'CAA Issue Count', section: 'caa', slices: await caaBuckets('caa_issue_count') },
    { id: 'caa_wildcard_issue_count', title: 'CAA Wildcard Issue Count', section: 'caa', slices: await caaBuckets('caa_wildcard_count') },
  ];

  const providerSlices = async (table: 'email_providers' | 'dns_providers', column: 'email_provider_id' | 'dns_provider_id') => {
    // Several provider rows share a display name (the original's table has two "Office 365"s):
    // market shares are per name.
    const rows = (
      await sql<{ label: string; n: number }>`
        SELECT p.display_name AS label, count(*)::int AS n FROM site_runs JOIN ${sql.table(table)} p ON p.id = site_runs.${sql.ref(column)}
        WHERE ${where} GROUP BY p.display_name ORDER BY n DESC, label`.execute(db)
    ).rows;
    const unclassified = (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM site_runs WHERE ${where} AND ${sql.ref(`site_runs.${column}`)} IS NULL`.execute(db)
    ).rows[0].n;
    return { slices: rows.map((r) => ({ label: r.label, value: r.n })), unclassified };
  };
  const email = await providerSlices('email_providers', 'email_provider_id');
  const dns = await providerSlices('dns_providers', 'dns_provider_id');

  const grades = await gradeDistributions(db, runId);

  const remarkCounts = (
    await sql<{ remark_id: number; n: number }>`
      SELECT x.remark_id, count(DISTINCT site_runs.id)::int AS n
      FROM site_runs JOIN siterun_remarks x ON x.site_run_id = site_runs.id
      WHERE ${where} GROUP BY x.remark_id`.execute(db)
  ).rows;
  const catalogue = await db
    .selectFrom('remarks')
    .innerJoin('remark_types', 'remark_types.id', 'remarks.remark_type_id')
    .select(['remarks.id', 'remarks.name', 'remarks.title', 'remarks.remark_level', 'remarks.enum_value', 'remark_types.name as type'])
    .execute();
  const byId = new Map(catalogue.map((r) => [r.id, r]));
  const remarks = remarkCounts
    .map((c) => {
      const def = byId.get(c.remark_id)!;
      return {
        id: def.id,
        type: def.type,
        name: def.name,
        title: def.title,
        level: def.remark_level,
        count: c.n,
        share: share(c.n, graded),
        report: `reports/${remarkReportName(def.type, def.name)}.csv`,
        text: findRemark({ type: def.type as GradedArea, value: def.enum_value })?.text,
      };
    })
    .sort((a, b) => b.count - a.count || a.id - b.id);

  const commonRecords = async (column: 'spf_record' | 'dmarc_record') =>
    (
      await sql<{ record: string; count: number }>`
        SELECT left(${sql.ref(column)}, ${RECORD_DISPLAY_CHARS + 1}) AS record, count(*)::int AS count
        FROM site_runs WHERE ${where} AND ${sql.ref(column)} IS NOT NULL
        GROUP BY 1 HAVING count(*) >= 2 ORDER BY count DESC, record LIMIT ${COMMON_RECORDS}`.execute(db)
    ).rows.map((r) => ({ record: r.record.length > RECORD_DISPLAY_CHARS ? `${r.record.slice(0, RECORD_DISPLAY_CHARS)}…` : r.record, count: r.count }));

  const overall = grades.find((g) => g.area === 'overall');
  const c = (name: string) => categories[name]?.share ?? 0;
  return {
    schema: STATISTICS_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    run: {
      id: run.id,
      workflowId: run.workflow_id,
      scope: scopeText(run.scope),
      startedAt: run.start_time.toISOString(),
      endedAt: run.end_time ? run.end_time.toISOString() : null,
      outcome: run.outcome,
      sites: run.site_count,
      graded,
    },
    categories,
    adoption,
    distributions,
    grades,
    providers: { email: email.slices, dns: dns.slices, emailUnclassified: email.unclassified, dnsUnclassified: dns.unclassified },
    remarks,
    commonRecords: { spf: await commonRecords('spf_record'), dmarc: await commonRecords('dmarc_record') },
    headline: {
      spf: c('spf_domains'),
      dmarc: c('dmarc_domains'),
      dmarcEnforcing: c('dmarc_quarantine') + c('dmarc_reject'),
      caa: c('caa_domains'),
      dnssec: c('dnssec_domains'),
      mx: c('mx_domains'),
      bimi: c('bimi_domains'),
      meanOverallGrade: overall?.mean ?? null,
    },
  };
}

function scopeText(scope: unknown): string {
  const s = scope as { kind?: string; count?: number; from?: number; to?: number; domains?: string[] };
  switch (s?.kind) {
    case 'top':
      return `top ${s.count}`;
    case 'ranks':
      return `ranks ${s.from}–${s.to}`;
    case 'domains':
      return `${s.domains?.length ?? 0} listed domains`;
    case 'development':
      return 'development (top 50)';
    default:
      return 'full list';
  }
}

/** Histograms of every area's grade and of the overall score (PIPE-1 binning, PIPE-2 overall). */
async function gradeDistributions(db: Kysely<Database>, runId: number): Promise<GradeDistribution[]> {
  const known = OVERALL_AREAS.map((a) => sql`(${sql.ref(`${a}_grade`)} IS NOT NULL)::int`);
  const sum = OVERALL_AREAS.map((a) => sql`coalesce(${sql.ref(`${a}_grade`)}, 0)`);
  const overall = sql`round((${sql.join(sum, sql` + `)})::numeric / nullif(${sql.join(known, sql` + `)}, 0))`;
  const expressions: Array<{ area: GradedArea | 'overall'; value: ReturnType<typeof sql> }> = [
    { area: 'overall', value: overall },
    ...GRADED_AREAS.map((area) => ({ area, value: sql`${sql.ref(`${area}_grade`)}` })),
  ];
  const out: GradeDistribution[] = [];
  for (const chart of GRADE_CHARTS) {
    const value = expressions.find((e) => e.area === chart.area)!.value;
    const { rows } = await sql<{ bin: number | null; n: number; mean: number | null; median: number | null }>`
      WITH g AS (SELECT ${value}::int AS grade FROM site_runs WHERE ${gradedSites(runId)})
      SELECT least(greatest(grade, 0), 100) / 10 AS bin, count(*)::int AS n, NULL::numeric AS mean, NULL::numeric AS median FROM g GROUP BY 1
      UNION ALL
      SELECT -1, 0, round(avg(grade), 1), percentile_cont(0.5) WITHIN GROUP (ORDER BY grade) FROM g`.execute(db);
    const bins = new Array(GRADE_BIN_LABELS.length).fill(0) as number[];
    let undetermined = 0;
    let mean: number | null = null;
    let median: number | null = null;
    for (const r of rows) {
      if (r.bin === -1) {
        mean = r.mean === null ? null : Number(r.mean);
        median = r.median === null ? null : Number(r.median);
      } else if (r.bin === null) undetermined += r.n;
      else bins[Math.min(9, r.bin)] += r.n; // 100 / 10 = 10 → the top bin (PIPE-1)
    }
    out.push({ id: chart.id, title: chart.title, area: chart.area, bins, undetermined, mean, median });
  }
  return out;
}
