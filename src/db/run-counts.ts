import { sql } from 'kysely';
import type { Db } from './connection';

export interface StageCounts {
  scanned: number;
  processed: number;
  graded: number;
  queries: number;
}

/** How far a run's sites have gone through the three stages, from site_runs. */
export async function stageCounts(db: Db, runId: number): Promise<StageCounts> {
  return db
    .selectFrom('site_runs')
    .select([
      sql<number>`count(*) FILTER (WHERE scanned_at IS NOT NULL)::int`.as('scanned'),
      sql<number>`count(*) FILTER (WHERE processed_at IS NOT NULL)::int`.as('processed'),
      sql<number>`count(*) FILTER (WHERE graded_at IS NOT NULL)::int`.as('graded'),
      sql<number>`coalesce(sum(queries), 0)::bigint`.as('queries'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
}
