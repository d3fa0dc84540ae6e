// The processing and grading stages: pure functions of the stored scan (src/checks), applied a
// chunk at a time, written back with one set-based statement per chunk.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import type { SiteScan } from '../dns/types';
import { gradeSite, processSite } from '../checks';
import { GRADED_AREAS, type SiteFacts, type SiteGrades } from '../checks/types';
import type { ChunkRef, GradeChunkResult, ProcessChunkResult } from '../shared/types';

/** site_runs column of each derived fact. */
export const FACT_COLUMNS = {
  hasMx: 'has_mx',
  hasNullMx: 'has_null_mx',
  emailProviderId: 'email_provider_id',
  dnsProviderId: 'dns_provider_id',
  hasSpf: 'has_spf',
  spfRecord: 'spf_record',
  spfPolicyId: 'spf_policy_id',
  hasDmarc: 'has_dmarc',
  dmarcRecord: 'dmarc_record',
  dmarcPolicyId: 'dmarc_policy_id',
  dmarcSubPolicyId: 'dmarc_sub_policy_id',
  hasDmarcAggregateReporting: 'has_dmarc_aggregate_reporting',
  hasDmarcForensicReporting: 'has_dmarc_forensic_reporting',
  hasCaa: 'has_caa',
  hasCaaReporting: 'has_caa_reporting',
  caaIssueCount: 'caa_issue_count',
  caaWildcardCount: 'caa_wildcard_count',
  hasDnssec: 'has_dnssec',
  dnssecDsAlgorithm: 'dnssec_ds_algorithm',
  dnssecDigestType: 'dnssec_digest_type',
  dnssecDnskeyAlgorithm: 'dnssec_dnskey_algorithm',
  hasMsdc: 'has_msdc',
  hasBimi: 'has_bimi',
  dnssecDsAlgorithms: 'dnssec_ds_algorithms',
  dnssecDigestTypes: 'dnssec_digest_types',
  dnssecDnskeyAlgorithms: 'dnssec_dnskey_algorithms',
  dnssecDsMatchesDnskey: 'dnssec_ds_matches_dnskey',
  failedLookups: 'failed_lookups',
} as const satisfies Record<keyof SiteFacts, string>;

type FactColumn = (typeof FACT_COLUMNS)[keyof SiteFacts];
const FACT_ENTRIES = Object.entries(FACT_COLUMNS) as Array<[keyof SiteFacts, FactColumn]>;

export function factsToRow(facts: SiteFacts): Record<FactColumn, unknown> {
  const row = {} as Record<FactColumn, unknown>;
  for (const [key, column] of FACT_ENTRIES) row[column] = facts[key];
  return row;
}

export function rowToFacts(row: Record<string, unknown>): SiteFacts {
  const facts = {} as Record<keyof SiteFacts, unknown>;
  for (const [key, column] of FACT_ENTRIES) facts[key] = row[column];
  return facts as unknown as SiteFacts;
}

const GRADE_COLUMN = (area: string) => `${area}_grade`;

export function createAnalysisActivities({ db }: { db: Db }) {
  return {
    /** Derives the facts of every scanned site of the chunk (re-deriving is harmless). */
    async processChunk({ runId, firstOrdinal, endOrdinal }: ChunkRef): Promise<ProcessChunkResult> {
      const rows = await db
        .selectFrom('site_runs')
        .select(['id', 'domain', 'scan'])
        .where('run_id', '=', runId)
        .where('ordinal', '>=', firstOrdinal)
        .where('ordinal', '<', endOrdinal)
        .where('scan', 'is not', null)
        .execute();
      if (rows.length === 0) return { processed: 0 };
      const updates = rows.map((row) => ({ id: row.id, ...factsToRow(processSiteOrFail(row.domain, row.scan as SiteScan)) }));
      const columns = FACT_ENTRIES.map(([, column]) => column);
      // json_populate_recordset types each value by its site_runs column: one statement a chunk.
      await sql`
        UPDATE site_runs AS s SET
          ${sql.join(columns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`))},
          processed_at = now()
        FROM json_populate_recordset(NULL::site_runs, ${JSON.stringify(updates)}::json) AS v
        WHERE s.id = v.id`.execute(db);
      return { processed: rows.length };
    },

    /** Grades every processed site of the chunk; a site's remarks are replaced, never appended. */
    async gradeChunk({ runId, firstOrdinal, endOrdinal }: ChunkRef): Promise<GradeChunkResult> {
      const rows = await db
        .selectFrom('site_runs')
        .selectAll()
        .where('run_id', '=', runId)
        .where('ordinal', '>=', firstOrdinal)
        .where('ordinal', '<', endOrdinal)
        .where('processed_at', 'is not', null)
        .execute();
      if (rows.length === 0) return { graded: 0, remarks: 0 };
      const gradeRows: Array<Record<string, unknown>> = [];
      const remarkRows: Array<{ site_run_id: number; type: string; value: number }> = [];
      for (const row of rows) {
        const grades = gradeSiteOrFail(row.domain, row.scan as SiteScan, rowToFacts(row));
        const gradeRow: Record<string, unknown> = { id: row.id };
        for (const area of GRADED_AREAS) {
          gradeRow[GRADE_COLUMN(area)] = grades[area].grade;
          for (const remark of grades[area].remarks) remarkRows.push({ site_run_id: row.id, type: remark.type, value: remark.value });
        }
        gradeRow.has_bimi = grades.bimi.grade === 100;
        gradeRows.push(gradeRow);
      }
      const ids = rows.map((r) => r.id);
      const gradeColumns = [...GRADED_AREAS.map(GRADE_COLUMN), 'has_bimi'];
      await db.transaction().execute(async (trx) => {
        await sql`
          UPDATE site_runs AS s SET
            ${sql.join(gradeColumns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`))},
            graded_at = now()
          FROM json_populate_recordset(NULL::site_runs, ${JSON.stringify(gradeRows)}::json) AS v
          WHERE s.id = v.id`.execute(trx);
        await trx.deleteFrom('siterun_remarks').where('site_run_id', 'in', ids).execute();
        if (remarkRows.length === 0) return;
        const inserted = await sql<{ n: number }>`
          WITH ins AS (
            INSERT INTO siterun_remarks (site_run_id, remark_id)
            SELECT v.site_run_id, r.id
            FROM json_to_recordset(${JSON.stringify(remarkRows)}::json) AS v(site_run_id bigint, type text, value int)
            JOIN remark_types t ON t.name = v.type
            JOIN remarks r ON r.remark_type_id = t.id AND r.enum_value = v.value
            RETURNING 1)
          SELECT count(*)::int AS n FROM ins`.execute(trx);
        if (inserted.rows[0].n !== remarkRows.length) {
          const known = await trx
            .selectFrom('remarks')
            .innerJoin('remark_types', 'remark_types.id', 'remarks.remark_type_id')
            .select(['remark_types.name as type', 'remarks.enum_value as value'])
            .execute();
          const keys = new Set(known.map((k) => `${k.type}:${k.value}`));
          const missing = [...new Set(remarkRows.map((r) => `${r.type}:${r.value}`).filter((k) => !keys.has(k)))];
          throw ApplicationFailure.nonRetryable(`remarks not in the remarks table (is the seed current? run \`dnstats migrate\`): ${missing.join(', ')}`, 'MissingRemarkError');
        }
      });
      return { graded: rows.length, remarks: remarkRows.length };
    },
  };
}

// The checks library is specified never to throw; if it does, the site and domain are named and
// the chunk fails without retries (a retry would fail the same way).
function processSiteOrFail(domain: string, scan: SiteScan): SiteFacts {
  try {
    return processSite(scan);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`processing ${domain} failed: ${(err as Error).stack ?? err}`, 'CheckFailure');
  }
}

function gradeSiteOrFail(domain: string, scan: SiteScan, facts: SiteFacts): SiteGrades {
  try {
    return gradeSite(scan, facts);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`grading ${domain} failed: ${(err as Error).stack ?? err}`, 'CheckFailure');
  }
}

export type AnalysisActivities = ReturnType<typeof createAnalysisActivities>;
