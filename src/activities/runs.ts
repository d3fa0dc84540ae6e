// Run bookkeeping: the runs row, the frozen site snapshot, and the recorded outcome.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import { normaliseDomain } from '../dns/names';
import type { CreateRunResult, RunOutcome, RunScope } from '../shared/types';
import type { RunSummary } from '../db/schema';
import { stageCounts } from '../db/run-counts';

/** The original's Development mode scanned ranks 1..50 (spec §4); production the whole list. */
export const DEVELOPMENT_SITES = 50;
export const FULL_RUN_SITES = 1_000_000;
/** Explicit domain lists travel in the workflow input, so they are bounded (payload budget). */
export const MAX_EXPLICIT_DOMAINS = 5_000;

export interface CreateRunInput {
  workflowId: string;
  scope: RunScope;
  startedAt: string;
}

export interface FinishRunInput {
  runId: number;
  outcome: RunOutcome;
  failedBatches: number[];
}

/** Checks a scope and returns the rank range it covers (null for an explicit domain list). */
export function validateScope(scope: RunScope): { from: number; to: number } | null {
  const positive = (n: unknown, what: string) => {
    if (!Number.isInteger(n) || (n as number) < 1) {
      throw ApplicationFailure.nonRetryable(`invalid run scope: ${what} must be a positive integer, got ${JSON.stringify(n)}`, 'InvalidInputError');
    }
    return n as number;
  };
  switch (scope?.kind) {
    case 'top':
      return { from: 1, to: positive(scope.count, 'top count') };
    case 'ranks': {
      const from = positive(scope.from, 'first rank');
      const to = positive(scope.to, 'last rank');
      if (to < from) throw ApplicationFailure.nonRetryable(`invalid run scope: rank range ${from}-${to} is empty`, 'InvalidInputError');
      return { from, to };
    }
    case 'development':
      return { from: 1, to: DEVELOPMENT_SITES };
    case 'full':
      return { from: 1, to: FULL_RUN_SITES };
    case 'domains':
      if (!Array.isArray(scope.domains) || scope.domains.length === 0) {
        throw ApplicationFailure.nonRetryable('invalid run scope: the domain list is empty', 'InvalidInputError');
      }
      if (scope.domains.length > MAX_EXPLICIT_DOMAINS) {
        throw ApplicationFailure.nonRetryable(
          `invalid run scope: ${scope.domains.length} domains given, at most ${MAX_EXPLICIT_DOMAINS} travel in a workflow input; import them as a list and use a rank range`,
          'InvalidInputError',
        );
      }
      return null;
    default:
      throw ApplicationFailure.nonRetryable(`invalid run scope: ${JSON.stringify(scope)}`, 'InvalidInputError');
  }
}

export function createRunActivities({ db }: { db: Db }) {
  return {
    /**
     * Creates the run row and its frozen snapshot in one transaction; a second call with the same
     * workflow id returns the run the first one made.
     */
    async createRun({ workflowId, scope, startedAt }: CreateRunInput): Promise<CreateRunResult> {
      const range = validateScope(scope);
      const domains =
        scope.kind === 'domains'
          ? scope.domains.map((input) => {
              try {
                return normaliseDomain(input);
              } catch (err) {
                throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidInputError');
              }
            })
          : [];
      return db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('runs').select(['id', 'site_count', 'start_time']).where('workflow_id', '=', workflowId).executeTakeFirst();
        if (existing) return { runId: existing.id, sites: existing.site_count, startedAt: existing.start_time.toISOString() };
        const run = await trx
          .insertInto('runs')
          .values({ workflow_id: workflowId, scope: JSON.stringify(scope), start_time: startedAt, site_count: 0, outcome: 'running' })
          .returning('id')
          .executeTakeFirstOrThrow();
        let sites: number;
        if (range) {
          const inserted = await sql<{ n: number }>`
            WITH snapshot AS (
              INSERT INTO run_sites (run_id, ordinal, site_id, rank, domain)
              SELECT ${run.id}, (row_number() OVER (ORDER BY current_rank, id))::int - 1, id, current_rank, domain
              FROM sites WHERE current_rank BETWEEN ${range.from} AND ${range.to}
              RETURNING 1)
            SELECT count(*)::int AS n FROM snapshot`.execute(trx);
          sites = inserted.rows[0].n;
        } else {
          // Ad-hoc domains need not be on the list: unknown ones become sites with rank 0.
          const unique = [...new Set(domains)];
          await sql`INSERT INTO sites (domain, current_rank) SELECT d, 0 FROM unnest(${unique}::text[]) AS d ON CONFLICT (domain) DO NOTHING`.execute(trx);
          const inserted = await sql<{ n: number }>`
            WITH snapshot AS (
              INSERT INTO run_sites (run_id, ordinal, site_id, rank, domain)
              SELECT ${run.id}, (d.ord - 1)::int, s.id, s.current_rank, s.domain
              FROM unnest(${unique}::text[]) WITH ORDINALITY AS d(domain, ord) JOIN sites s ON s.domain = d.domain
              RETURNING 1)
            SELECT count(*)::int AS n FROM snapshot`.execute(trx);
          sites = inserted.rows[0].n;
        }
        await trx.updateTable('runs').set({ site_count: sites }).where('id', '=', run.id).execute();
        return { runId: run.id, sites, startedAt: new Date(startedAt).toISOString() };
      });
    },

    /** Records the outcome with counts read from the database (the truth, not the workflow's tally). */
    async finishRun(input: FinishRunInput): Promise<RunSummary & { outcome: RunOutcome }> {
      const counts = await stageCounts(db, input.runId);
      const kinds = await sql<{ status: string; n: number }>`
        SELECT k.key AS status, sum(k.value::int)::bigint AS n
        FROM site_runs sr, jsonb_each_text(sr.failure_kinds) AS k
        WHERE sr.run_id = ${input.runId} GROUP BY k.key ORDER BY n DESC`.execute(db);
      const run = await db.selectFrom('runs').select(['site_count', 'start_time']).where('id', '=', input.runId).executeTakeFirstOrThrow();
      const endTime = new Date();
      const summary: RunSummary = {
        sites: run.site_count,
        scanned: counts.scanned,
        processed: counts.processed,
        graded: counts.graded,
        queries: counts.queries,
        lookupFailures: Object.fromEntries(kinds.rows.map((r) => [r.status, r.n])),
        seconds: Math.round((endTime.getTime() - run.start_time.getTime()) / 1000),
      };
      await db
        .updateTable('runs')
        .set({ outcome: input.outcome, end_time: endTime, failed_batches: JSON.stringify(input.failedBatches), summary: JSON.stringify(summary) })
        .where('id', '=', input.runId)
        .execute();
      return { ...summary, outcome: input.outcome };
    },
  };
}

export type RunActivities = ReturnType<typeof createRunActivities>;
