// What is published about a run, declared once: the per-category domain lists (spec §20), the
// adoption and distribution charts (§21.2) and the grade histograms (§21.3). Each category is a
// condition on one derived fact, so the report, the statistics and the tests all read the same
// definition. Report names and chart titles are the original's (§27), except where §25.10 says
// the original was wrong.
import { sql, type RawBuilder } from 'kysely';
import type { GradedArea, SiteFacts } from '../checks/types';
import { FACT_COLUMNS } from '../activities/analysis';
import { DMARC_POLICY_ID, SPF_POLICY_ID } from '../checks/tables';

/** A derived fact that has a site_runs column. */
export type FactName = keyof typeof FACT_COLUMNS & keyof SiteFacts;

/** A condition on one fact of a graded site. `isTrue`/`notTrue` partition the sites (null counts as not true). */
export type FactTest = { kind: 'isTrue' } | { kind: 'notTrue' } | { kind: 'equals'; value: number } | { kind: 'notIn'; values: number[] };

export interface Category {
  /** Report file name without extension (the original's for #1–#22). */
  name: string;
  /** One line for the page's download table. */
  description: string;
  fact: FactName;
  test: FactTest;
}

const isTrue = (fact: FactName, name: string, description: string): Category => ({ name, description, fact, test: { kind: 'isTrue' } });
const notTrue = (fact: FactName, name: string, description: string): Category => ({ name, description, fact, test: { kind: 'notTrue' } });
const equals = (fact: FactName, value: number, name: string, description: string): Category => ({ name, description, fact, test: { kind: 'equals', value } });

/**
 * The report categories. #1–#22 are the original's names and meanings; `securitytxt_domains` and
 * `no_securitytxt_domains` are dropped because the probe is gone (PIPE-4); the rest are new.
 */
export const CATEGORIES: readonly Category[] = [
  isTrue('hasMx', 'mx_domains', 'Sites with MX records'),
  notTrue('hasMx', 'no_mx_domains', 'Sites without MX records'),
  isTrue('hasDnssec', 'dnssec_domains', 'Sites with a DS record at the parent (DNSSEC)'),
  notTrue('hasDnssec', 'no_dnssec_domains', 'Sites without DNSSEC'),
  isTrue('hasCaa', 'caa_domains', 'Sites with a CAA issue record'),
  notTrue('hasCaa', 'no_caa_domains', 'Sites without a CAA issue record'),
  isTrue('hasCaaReporting', 'caa_reporting_domains', 'Sites with a CAA iodef (reporting) record'),
  notTrue('hasCaaReporting', 'no_caa_reporting_domains', 'Sites without CAA reporting'),
  isTrue('hasDmarc', 'dmarc_domains', 'Sites with a DMARC record'),
  notTrue('hasDmarc', 'no_dmarc_domains', 'Sites without a DMARC record'),
  equals('dmarcPolicyId', DMARC_POLICY_ID.none, 'dmarc_none', 'DMARC policy "none" (monitoring only)'),
  equals('dmarcPolicyId', DMARC_POLICY_ID.quarantine, 'dmarc_quarantine', 'DMARC policy "quarantine"'),
  equals('dmarcPolicyId', DMARC_POLICY_ID.reject, 'dmarc_reject', 'DMARC policy "reject"'),
  equals('dmarcPolicyId', DMARC_POLICY_ID.no_policy, 'dmarc_no_policy', 'No DMARC policy'),
  equals('dmarcPolicyId', DMARC_POLICY_ID.invalid, 'dmarc_invalid', 'Invalid DMARC policy'),
  isTrue('hasSpf', 'spf_domains', 'Sites with an SPF record'),
  notTrue('hasSpf', 'no_spf_domains', 'Sites without an SPF record'),
  equals('spfPolicyId', SPF_POLICY_ID['+all'], 'spf_pass', 'SPF ending in +all (anyone may send)'),
  equals('spfPolicyId', SPF_POLICY_ID['?all'], 'spf_neutral', 'SPF ending in ?all (neutral)'),
  equals('spfPolicyId', SPF_POLICY_ID['~all'], 'spf_softfail', 'SPF ending in ~all (soft fail)'),
  equals('spfPolicyId', SPF_POLICY_ID['-all'], 'spf_fail', 'SPF ending in -all (fail)'),
  equals('spfPolicyId', SPF_POLICY_ID.no_policy, 'spf_no_policy', 'SPF without an all mechanism, or no SPF'),
  // New categories.
  equals('spfPolicyId', SPF_POLICY_ID.invalid, 'spf_invalid', 'SPF published but unusable (several records or a permanent error)'),
  isTrue('hasNullMx', 'null_mx_domains', 'Sites declaring they receive no mail (null MX, RFC 7505)'),
  isTrue('hasDmarcAggregateReporting', 'dmarc_aggregate_reporting_domains', 'DMARC with aggregate reports (rua)'),
  isTrue('hasDmarcForensicReporting', 'dmarc_forensic_reporting_domains', 'DMARC with failure reports (ruf)'),
  isTrue('hasBimi', 'bimi_domains', 'Sites with a valid BIMI record'),
  notTrue('hasBimi', 'no_bimi_domains', 'Sites without a valid BIMI record'),
];

export function columnOf(fact: FactName): string {
  return FACT_COLUMNS[fact];
}

/** The SQL condition of a test on a site_runs column; only names from FACT_COLUMNS and numbers reach it. */
export function conditionSql(fact: FactName, test: FactTest, table = 'site_runs'): RawBuilder<boolean> {
  const column = sql.ref(`${table}.${columnOf(fact)}`);
  switch (test.kind) {
    case 'isTrue':
      return sql<boolean>`${column} IS TRUE`;
    case 'notTrue':
      return sql<boolean>`${column} IS NOT TRUE`;
    case 'equals':
      return sql<boolean>`${column} = ${test.value}`;
    case 'notIn':
      return sql<boolean>`(${column} IS NOT NULL AND ${column} <> ALL(${test.values}::int[]))`;
  }
}

/** The same test on a site's facts, as the lab states them; undefined when the fact is not stated. */
export function factMatches(facts: Partial<SiteFacts>, fact: FactName, test: FactTest): boolean | undefined {
  if (!(fact in facts)) return undefined;
  const value = facts[fact] as unknown;
  switch (test.kind) {
    case 'isTrue':
      return value === true;
    case 'notTrue':
      return value !== true;
    case 'equals':
      return value === test.value;
    case 'notIn':
      return value !== null && value !== undefined && !test.values.includes(value as number);
  }
}

/** Adoption pies (§21.2): Yes = sites matching, No = the other graded sites. Titles as the original spelt them. */
export interface AdoptionChart {
  id: string;
  title: string;
  fact: FactName;
  test: FactTest;
  /** Page section. */
  section: 'spf' | 'dmarc' | 'caa' | 'others';
}

export const ADOPTION_CHARTS: readonly AdoptionChart[] = [
  { id: 'spf_adoption', title: 'SPF Adoption', fact: 'hasSpf', test: { kind: 'isTrue' }, section: 'spf' },
  { id: 'dmarc_adaption', title: 'DMARC Adaption', fact: 'hasDmarc', test: { kind: 'isTrue' }, section: 'dmarc' },
  // PIPE-3: neither "No Policy" nor "Invalid" counts as a subdomain policy.
  {
    id: 'dmarc_subdomain_policy_adaption',
    title: 'DMARC Subdomain Policy Adaption',
    fact: 'dmarcSubPolicyId',
    test: { kind: 'notIn', values: [DMARC_POLICY_ID.no_policy, DMARC_POLICY_ID.invalid] },
    section: 'dmarc',
  },
  { id: 'has_mx_records', title: 'Has MX Records', fact: 'hasMx', test: { kind: 'isTrue' }, section: 'others' },
  { id: 'caa_adoption', title: 'CAA Adoption', fact: 'hasCaa', test: { kind: 'isTrue' }, section: 'caa' },
  { id: 'caa_reporting', title: 'CAA Reporting', fact: 'hasCaaReporting', test: { kind: 'isTrue' }, section: 'caa' },
  { id: 'dnssec_adoption', title: 'DNSSEC Adoption', fact: 'hasDnssec', test: { kind: 'isTrue' }, section: 'others' },
  // "Security.txt Adoption" is not drawn: the probe is disabled (PIPE-4).
];

export const ADOPTION_COLORS = { yes: '#72e572', no: '#FF8080' } as const;

/** Grade histograms (§21.3): the original's four plus the areas it never charted. */
export const GRADE_CHARTS: ReadonlyArray<{ id: string; title: string; area: GradedArea | 'overall' }> = [
  { id: 'overall_grade', title: 'Overall Grade', area: 'overall' },
  { id: 'spf_grade', title: 'SPF Grade', area: 'spf' },
  { id: 'dmarc_grade', title: 'DMARC Grade', area: 'dmarc' },
  { id: 'caa_grade', title: 'CAA Grade', area: 'caa' },
  { id: 'ns_grade', title: 'NS Grade', area: 'ns' },
  { id: 'soa_grade', title: 'SOA Grade', area: 'soa' },
  { id: 'mx_grade', title: 'MX Grade', area: 'mx' },
  { id: 'dnssec_grade', title: 'DNSSEC Grade', area: 'dnssec' },
  { id: 'bimi_grade', title: 'BIMI Grade', area: 'bimi' },
];

/**
 * The overall score (PIPE-2 defines it explicitly): the plain mean of the security areas whose
 * grade could be determined. BIMI is left out: it is optional branding, not protection, and it
 * is all-or-nothing, so it would pull every site down.
 */
export const OVERALL_AREAS: readonly GradedArea[] = ['spf', 'dmarc', 'caa', 'ns', 'soa', 'mx', 'dnssec'];

export const GRADE_BIN_LABELS = ['0–9', '10–19', '20–29', '30–39', '40–49', '50–59', '60–69', '70–79', '80–89', '90–100'];

/** Histogram bin of a grade (PIPE-1: 100 is in the top bin, not with the worst). */
export function gradeBin(grade: number): number {
  const capped = Math.max(0, Math.min(100, grade));
  return Math.min(9, Math.floor(capped / 10));
}

/** The overall score of one site, or null when no area could be graded. */
export function overallScore(grades: Partial<Record<GradedArea, number | null>>): number | null {
  const known = OVERALL_AREAS.map((a) => grades[a]).filter((g): g is number => typeof g === 'number');
  if (known.length === 0) return null;
  return Math.round(known.reduce((a, b) => a + b, 0) / known.length);
}

/** CAA record-count buckets of the original (§21.2). */
export const CAA_COUNT_BUCKETS: ReadonlyArray<{ label: string; min: number; max: number }> = [
  { label: '0', min: 0, max: 0 },
  { label: '1', min: 1, max: 1 },
  { label: '2-5', min: 2, max: 5 },
  { label: '6-10', min: 6, max: 10 },
  { label: '11+', min: 11, max: 2_147_483_647 },
];

/** Report file name of a remark code: `remark_<area>_<enum name in lower case>`. */
export function remarkReportName(type: string, name: string): string {
  return `remark_${type}_${name.toLowerCase()}`;
}
