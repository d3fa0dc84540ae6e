// A synthetic graded run, generated inside Postgres (generate_series + a seeded random()), for the
// publication tests, the page preview and the report benchmark: a million rows in seconds, without
// scanning anything. The shares are rough figures of the real top million, so the page looks real.
import { sql } from 'kysely';
import type { Db } from '../db/connection';

export interface SyntheticRunOptions {
  sites: number;
  /** Sites of the snapshot left ungraded (to exercise the coverage guard). */
  ungraded?: number;
  startedAt?: string;
  workflowId?: string;
  scope?: object;
  /** 0..1, for setseed(). */
  seed?: number;
  /** Domain prefix, so several synthetic runs can share the sites table or not. */
  domainPrefix?: string;
}

export async function insertSyntheticRun(db: Db, options: SyntheticRunOptions): Promise<{ runId: number }> {
  const { sites, ungraded = 0 } = options;
  const startedAt = options.startedAt ?? '2026-12-03T08:00:00Z';
  const workflowId = options.workflowId ?? `synthetic-${startedAt}-${Math.random().toString(36).slice(2, 8)}`;
  const scope = options.scope ?? { kind: 'top', count: sites };
  const prefix = options.domainPrefix ?? 'site';
  return db.connection().execute(async (conn) => {
    await sql`SELECT setseed(${options.seed ?? 0.42})`.execute(conn);
    await sql`
      INSERT INTO sites (domain, current_rank)
      SELECT ${prefix} || '-' || g || '.example', g FROM generate_series(1, ${sites}::int) g
      ON CONFLICT (domain) DO UPDATE SET current_rank = excluded.current_rank`.execute(conn);
    const run = await conn
      .insertInto('runs')
      .values({ workflow_id: workflowId, scope: JSON.stringify(scope), start_time: startedAt, end_time: startedAt, site_count: sites, outcome: 'completed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      INSERT INTO run_sites (run_id, ordinal, site_id, rank, domain)
      SELECT ${run.id}, current_rank - 1, id, current_rank, domain FROM sites
      WHERE domain LIKE ${`${prefix}-%`} AND current_rank BETWEEN 1 AND ${sites}`.execute(conn);
    // One random draw per decision, in a fixed order, so a seed gives the same run every time.
    await sql`
      WITH r AS (
        SELECT rs.*, random() AS r_mx, random() AS r_spf, random() AS r_spfq, random() AS r_dmarc, random() AS r_dmp,
               random() AS r_sub, random() AS r_rua, random() AS r_caa, random() AS r_caan, random() AS r_sec,
               random() AS r_mail, random() AS r_dns, random() AS r_g1, random() AS r_g2, random() AS r_g3
        FROM run_sites rs WHERE rs.run_id = ${run.id}),
      f AS (
        SELECT r.*, r_mx < 0.86 AS mx, r_spf < 0.72 AS spf, r_dmarc < 0.42 AS dmarc, r_caa < 0.09 AS caa, r_sec < 0.06 AS dnssec,
          CASE WHEN r_dmp < 0.58 THEN 1 WHEN r_dmp < 0.74 THEN 2 WHEN r_dmp < 0.97 THEN 3 ELSE 5 END AS dmarc_policy,
          CASE WHEN r_spfq < 0.03 THEN 1 WHEN r_spfq < 0.09 THEN 2 WHEN r_spfq < 0.63 THEN 3 WHEN r_spfq < 0.93 THEN 4 WHEN r_spfq < 0.97 THEN 5 ELSE 6 END AS spf_policy,
          CASE WHEN r_mail < 0.30 THEN 1 WHEN r_mail < 0.52 THEN 2 WHEN r_mail < 0.56 THEN 3 WHEN r_mail < 0.59 THEN 4 WHEN r_mail < 0.61 THEN 6
               WHEN r_mail < 0.63 THEN 7 WHEN r_mail < 0.65 THEN 24 WHEN r_mail < 0.72 THEN 10 WHEN r_mail < 0.74 THEN 26 ELSE 28 END AS mail,
          CASE WHEN r_dns < 0.26 THEN 4 WHEN r_dns < 0.38 THEN 5 WHEN r_dns < 0.48 THEN 8 WHEN r_dns < 0.53 THEN 12 WHEN r_dns < 0.56 THEN 17
               WHEN r_dns < 0.59 THEN 19 WHEN r_dns < 0.62 THEN 6 WHEN r_dns < 0.64 THEN 3 WHEN r_dns < 0.66 THEN 65 WHEN r_dns < 0.68 THEN 16
               WHEN r_dns < 0.76 THEN 31 WHEN r_dns < 0.97 THEN 32 ELSE NULL END AS dns
        FROM r)
      INSERT INTO site_runs (run_id, site_id, ordinal, run_rank, domain, scanned_at, processed_at, graded_at,
        has_mx, has_null_mx, email_provider_id, dns_provider_id, has_spf, spf_record, spf_policy_id,
        has_dmarc, dmarc_record, dmarc_policy_id, dmarc_sub_policy_id, has_dmarc_aggregate_reporting, has_dmarc_forensic_reporting,
        has_caa, has_caa_reporting, caa_issue_count, caa_wildcard_count, has_dnssec, dnssec_ds_algorithm, dnssec_digest_type, dnssec_dnskey_algorithm,
        has_msdc, has_bimi, spf_grade, dmarc_grade, caa_grade, ns_grade, soa_grade, mx_grade, bimi_grade, dnssec_grade)
      SELECT run_id, site_id, ordinal, rank, domain, now(), now(), CASE WHEN ordinal >= ${sites - ungraded} THEN NULL ELSE now() END,
        mx, false, CASE WHEN mx THEN mail ELSE 27 END, dns, spf,
        CASE WHEN NOT spf THEN NULL WHEN mail = 1 THEN 'v=spf1 include:_spf.google.com ~all' WHEN mail = 2 THEN 'v=spf1 include:spf.protection.outlook.com -all'
             ELSE 'v=spf1 mx a ' || (ARRAY['-all','~all','?all','+all','','-all -all'])[spf_policy] END,
        CASE WHEN spf THEN spf_policy ELSE 5 END,
        dmarc,
        CASE WHEN dmarc THEN 'v=DMARC1; p=' || (ARRAY['none','quarantine','reject','none','bogus'])[dmarc_policy] || CASE WHEN r_rua < 0.7 THEN '; rua=mailto:dmarc@' || domain ELSE '' END END,
        CASE WHEN dmarc THEN dmarc_policy ELSE 4 END,
        CASE WHEN dmarc AND r_sub < 0.3 THEN 1 + floor(r_sub * 10)::int % 3 ELSE 4 END,
        dmarc AND r_rua < 0.7, dmarc AND r_rua < 0.12,
        caa, caa AND r_caan < 0.35,
        CASE WHEN caa THEN 1 + floor(r_caan * 5)::int ELSE 0 END, CASE WHEN caa AND r_caan < 0.4 THEN floor(r_caan * 6)::int ELSE 0 END,
        dnssec, CASE WHEN dnssec THEN 13 ELSE -1 END, CASE WHEN dnssec THEN 2 ELSE -1 END, CASE WHEN dnssec THEN 13 ELSE -1 END,
        false, dmarc AND dmarc_policy > 1 AND r_g3 < 0.02,
        CASE WHEN NOT spf THEN (CASE WHEN mx THEN 0 ELSE 20 END) ELSE greatest(0, (ARRAY[0,50,75,100,20,0])[spf_policy] - CASE WHEN r_g1 < 0.2 THEN 4 ELSE 0 END) END,
        CASE WHEN NOT dmarc THEN 0 ELSE least(100, (ARRAY[40,75,95,0,0])[dmarc_policy] + CASE WHEN r_rua < 0.7 THEN 5 ELSE 0 END) END,
        CASE WHEN caa THEN 85 + CASE WHEN r_caan < 0.35 THEN 10 ELSE 0 END + CASE WHEN r_caan < 0.4 THEN 5 ELSE 0 END ELSE 0 END,
        CASE WHEN r_g1 < 0.03 THEN NULL ELSE 100 - 10 * floor(r_g2 * r_g2 * 4)::int END,
        CASE WHEN r_g2 < 0.03 THEN NULL ELSE 100 - 5 * floor(r_g3 * 4)::int END,
        CASE WHEN NOT mx THEN NULL ELSE 100 - 50 * floor(r_g3 * r_g3 * 2.2)::int END,
        CASE WHEN dmarc AND dmarc_policy > 1 AND r_g3 < 0.02 THEN 100 ELSE 0 END,
        CASE WHEN dnssec THEN 100 - 20 * floor(r_g1 * 1.3)::int ELSE 0 END
      FROM f`.execute(conn);
    // Remarks consistent with the facts: no SPF / no DMARC / no CAA where absent, plus a few random ones.
    await sql`
      INSERT INTO siterun_remarks (site_run_id, remark_id)
      SELECT s.id, rm.id FROM site_runs s JOIN remark_types t ON t.name = 'spf' JOIN remarks rm ON rm.remark_type_id = t.id AND rm.name = 'NO_SPF_FOUND'
      WHERE s.run_id = ${run.id} AND s.has_spf IS NOT TRUE AND s.graded_at IS NOT NULL
      UNION ALL
      SELECT s.id, rm.id FROM site_runs s JOIN remark_types t ON t.name = 'dmarc' JOIN remarks rm ON rm.remark_type_id = t.id AND rm.name = 'NO_DMARC_RECORD'
      WHERE s.run_id = ${run.id} AND s.has_dmarc IS NOT TRUE AND s.graded_at IS NOT NULL
      UNION ALL
      SELECT s.id, rm.id FROM site_runs s JOIN remark_types t ON t.name = 'caa' JOIN remarks rm ON rm.remark_type_id = t.id AND rm.name = 'NO_CAA_RECORDS'
      WHERE s.run_id = ${run.id} AND s.has_caa IS NOT TRUE AND s.graded_at IS NOT NULL
      UNION ALL
      SELECT s.id, ids.a[1 + abs(hashint4(s.ordinal)) % 40] FROM site_runs s,
        (SELECT array_agg(id ORDER BY id) AS a FROM remarks WHERE name NOT IN ('NO_SPF_FOUND', 'NO_DMARC_RECORD', 'NO_CAA_RECORDS')) ids
      WHERE s.run_id = ${run.id} AND s.graded_at IS NOT NULL AND s.ordinal % 3 = 0`.execute(conn);
    return { runId: run.id };
  });
}
