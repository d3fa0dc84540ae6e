// What the pipeline tests share: a lab world served on loopback, its sites loaded as the site
// list, and a real scanner pointed at it.
import { sql } from 'kysely';
import type { Db } from '../../src/db';
import { createScanner, scannerOptionsFromEnv, type Scanner } from '../../src/dns/scanner';
import { startLabServer } from '../../src/lab/server';
import { GRADED_AREAS, type GradedArea } from '../../src/checks/types';
import type { LabWorld } from '../../src/lab/world';
import { labScannerEnv } from '../../src/cli/lab-env';

export { labScannerEnv };

export type LabServer = Awaited<ReturnType<typeof startLabServer>>;

export async function startLab(sites: number): Promise<LabServer> {
  return startLabServer({ sites });
}

export function labScanner(lab: LabServer): Scanner {
  return createScanner(scannerOptionsFromEnv({ ...process.env, ...labScannerEnv(lab) }));
}

/** Loads the lab's sites as the current list (rank = index + 1), as an import would. */
export async function loadLabSites(db: Db, world: LabWorld, count = world.size): Promise<void> {
  const batch = 5_000;
  for (let start = 0; start < count; start += batch) {
    const domains: string[] = [];
    const ranks: number[] = [];
    for (let i = start; i < Math.min(start + batch, count); i++) {
      domains.push(world.domain(i));
      ranks.push(i + 1);
    }
    await sql`INSERT INTO sites (domain, current_rank) SELECT * FROM unnest(${domains}::text[], ${ranks}::int[])
              ON CONFLICT (domain) DO UPDATE SET current_rank = excluded.current_rank`.execute(db);
  }
}

export interface GradeMismatch {
  domain: string;
  scenario: string;
  area: GradedArea;
  expected: { grade: number | null; remarks: string[] };
  actual: { grade: number | null; remarks: string[] };
}

/** Compares every graded site of a run with what the lab world says it must grade. */
export async function compareRunWithExpectations(db: Db, runId: number, world: LabWorld): Promise<{ compared: number; mismatches: GradeMismatch[] }> {
  const rows = await sql<{
    ordinal: number;
    domain: string;
    rank: number;
    grades: Record<string, number | null>;
    remarks: Array<{ type: string; name: string }> | null;
  }>`
    SELECT sr.ordinal, sr.domain, sr.run_rank AS rank,
      json_build_object('spf', sr.spf_grade, 'dmarc', sr.dmarc_grade, 'caa', sr.caa_grade, 'ns', sr.ns_grade,
        'soa', sr.soa_grade, 'mx', sr.mx_grade, 'bimi', sr.bimi_grade, 'dnssec', sr.dnssec_grade) AS grades,
      (SELECT json_agg(json_build_object('type', t.name, 'name', r.name))
         FROM siterun_remarks x JOIN remarks r ON r.id = x.remark_id JOIN remark_types t ON t.id = r.remark_type_id
        WHERE x.site_run_id = sr.id) AS remarks
    FROM site_runs sr WHERE sr.run_id = ${runId} ORDER BY sr.ordinal`.execute(db);
  const mismatches: GradeMismatch[] = [];
  for (const row of rows.rows) {
    const site = world.site(row.rank - 1);
    for (const area of GRADED_AREAS) {
      const expected = site.expect.grades[area];
      const actual = {
        grade: row.grades[area],
        remarks: (row.remarks ?? []).filter((r) => r.type === area).map((r) => r.name).sort(),
      };
      const expectedRemarks = [...expected.remarks].sort();
      if (actual.grade !== expected.grade || actual.remarks.join(',') !== expectedRemarks.join(',')) {
        mismatches.push({ domain: row.domain, scenario: site.scenario, area, expected: { grade: expected.grade, remarks: expectedRemarks }, actual });
      }
    }
  }
  return { compared: rows.rows.length, mismatches };
}
