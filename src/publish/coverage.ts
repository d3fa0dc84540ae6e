// The coverage guard (spec §21.1, PIPE-5): a run is published only when enough of its snapshot was
// graded. The threshold is a share of the run's own site count, not a fixed 920,000, and the
// development scope (the top 50) is never held back.
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import type { RunScope } from '../shared/types';

export interface CoverageCheck {
  runId: number;
  workflowId: string;
  outcome: string;
  startedAt: string;
  /** Sites in the run's snapshot. */
  sites: number;
  graded: number;
  threshold: number;
  /** Graded sites needed: ceil(threshold × sites). */
  required: number;
  /** False for the development scope. */
  applies: boolean;
  ok: boolean;
}

export function requiredSites(sites: number, threshold: number): number {
  // Rounded to 9 digits first so 0.92 × 1,000,000 is 920,000, not 920,000.0000000001 → 920,001.
  return Math.ceil(Number((sites * threshold).toFixed(9)));
}

export async function checkCoverage(db: Db, runId: number, threshold: number): Promise<CoverageCheck> {
  const run = await db.selectFrom('runs').select(['id', 'workflow_id', 'scope', 'outcome', 'start_time', 'site_count']).where('id', '=', runId).executeTakeFirst();
  if (!run) throw new Error(`run ${runId} does not exist`);
  const { graded } = (
    await sql<{ graded: number }>`SELECT count(*)::int AS graded FROM site_runs WHERE run_id = ${runId} AND graded_at IS NOT NULL`.execute(db)
  ).rows[0];
  const applies = (run.scope as RunScope).kind !== 'development';
  const required = applies ? requiredSites(run.site_count, threshold) : 0;
  return {
    runId,
    workflowId: run.workflow_id,
    outcome: run.outcome,
    startedAt: run.start_time.toISOString(),
    sites: run.site_count,
    graded,
    threshold,
    required,
    applies,
    ok: graded >= required,
  };
}
