// The import itself: fetch → unzip → parse → validate → COPY into a staging table → one
// transaction of set-based SQL that applies the list. Nothing holds the file or the list in
// memory: rows stream from the file to Postgres, and duplicates are found there.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/connection';
import type { Database } from '../db/schema';
import { copyField, copyInto } from './copy';
import { InvalidSiteListError } from './errors';
import { openListFile, readListLines, reportedContent, validateRow } from './rows';
import { fetchSiteList, resolveSiteListSource, type FetchOptions } from './source';
import {
  DEFAULT_REJECT_THRESHOLD,
  REJECTED_SAMPLE_SIZE,
  type ImportCounts,
  type ImportFailureDetails,
  type ImportSiteListInput,
  type RejectedRow,
  type SiteListImportResult,
} from './types';

/** Tables the import adds (db/migrations/0002_site_list_import.ts) beyond src/db/schema.ts. */
interface ImportTables {
  site_list_import_rejects: { import_id: number; line: number; content: string; reason: string };
}
type ImportDb = Kysely<Database & ImportTables>;

/** Rejected rows kept per import in site_list_import_rejects; the count is always exact. */
export const MAX_STORED_REJECTS = 100_000;
/** Serialises imports (a schedule's and an ad-hoc one) while they change `sites`. */
const IMPORT_LOCK_KEY = 'dnstats.site_list_import';

export interface ImportProgress {
  phase: 'fetching' | 'loading' | 'checking' | 'applying' | 'done';
  rowsRead: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  fetch?: Omit<FetchOptions, 'signal'>;
}

const formatPercent = (fraction: number) => `${Number((fraction * 100).toPrecision(3))} %`;

/**
 * Imports one list under `workflowId`. Idempotent on the workflow id: once an import has
 * completed, calling again returns what it recorded. Every failure leaves `sites` as it was.
 */
export async function importSiteList(db: Db, input: ImportSiteListInput, options: ImportOptions = {}): Promise<SiteListImportResult> {
  const started = Date.now();
  const threshold = input.rejectThreshold ?? DEFAULT_REJECT_THRESHOLD;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new InvalidSiteListError(`reject threshold ${JSON.stringify(input.rejectThreshold)} must be a fraction between 0 and 1`);
  }
  const source = resolveSiteListSource(input.source);
  const recorded = await recordedResult(db, input.workflowId);
  if (recorded) return recorded;
  const importId = await beginImport(db, input.workflowId, source.display, input.startedAt ?? new Date(started).toISOString());
  if (importId === null) return (await recordedResult(db, input.workflowId))!;

  await dropAbandonedStagingTables(db);
  const staging = `site_list_staging_${importId}`;
  const progress: ImportProgress = { phase: 'fetching', rowsRead: 0 };
  const report = (phase: ImportProgress['phase']) => {
    progress.phase = phase;
    options.onProgress?.({ ...progress });
  };
  let counts: Partial<ImportCounts> = {};
  let rejectedSample: RejectedRow[] | undefined;
  let loaded = false;
  try {
    await sql`DROP TABLE IF EXISTS ${sql.table(staging)}`.execute(db);
    // UNLOGGED (no WAL): a staging table need not survive a crash; a retry rebuilds it.
    await sql`CREATE UNLOGGED TABLE ${sql.table(staging)} (line integer NOT NULL, rank integer, domain text, content text, reason text)`.execute(db);

    report('fetching');
    const local = await fetchSiteList(source, { ...options.fetch, signal: options.signal });
    try {
      const { stream } = await openListFile(local.path, source.display, local.namedZip);
      report('loading');
      const lines = async function* () {
        for await (const { line, fields } of readListLines(stream, source.display)) {
          const verdict = validateRow(fields);
          progress.rowsRead++;
          if ((progress.rowsRead & 0x3fff) === 0) {
            options.signal?.throwIfAborted();
            options.onProgress?.({ ...progress });
          }
          if (verdict.ok) {
            // The content is kept only where it differs from what is stored, for duplicate reports.
            const asStored = fields[0] === String(verdict.rank) && fields[1] === verdict.domain;
            yield `${line}\t${verdict.rank}\t${copyField(verdict.domain)}\t${asStored ? '\\N' : copyField(reportedContent(fields))}\t\\N\n`;
          } else {
            yield `${line}\t\\N\t\\N\t${copyField(reportedContent(fields))}\t${copyField(verdict.reason)}\n`;
          }
        }
      };
      await copyInto(db, `COPY ${staging} (line, rank, domain, content, reason) FROM STDIN`, lines());
      loaded = true;
    } finally {
      await local.cleanup();
    }
    options.signal?.throwIfAborted();

    report('checking');
    await sql`ANALYZE ${sql.table(staging)}`.execute(db);
    await markDuplicates(db, staging);
    const tally = await sql<{ rows_read: number; rows_valid: number }>`
      SELECT count(*)::int AS rows_read, count(*) FILTER (WHERE reason IS NULL)::int AS rows_valid FROM ${sql.table(staging)}`.execute(db);
    const { rows_read: rowsRead, rows_valid: rowsValid } = tally.rows[0]!;
    counts = { rowsRead, rowsValid, rowsRejected: rowsRead - rowsValid };
    rejectedSample = await firstRejects(db, staging);
    if (rowsRead === 0) throw new InvalidSiteListError(`site list ${source.display}: no rows (the file holds only empty lines)`);
    if (rowsValid === 0) {
      const first = rejectedSample[0]!;
      throw new InvalidSiteListError(`site list ${source.display}: no valid rows, all ${rowsRead} rejected (line ${first.line}: ${first.reason}): not a site list`);
    }
    const rejectedFraction = (rowsRead - rowsValid) / rowsRead;
    if (rejectedFraction > threshold) {
      throw new InvalidSiteListError(
        `site list ${source.display}: ${rowsRead - rowsValid} of ${rowsRead} rows rejected (${formatPercent(rejectedFraction)}), above the threshold of ${formatPercent(threshold)}; the list is refused`,
      );
    }

    report('applying');
    const applied = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${IMPORT_LOCK_KEY}))`.execute(trx);
      const row = await trx.selectFrom('site_list_imports').select('status').where('id', '=', importId).forUpdate().executeTakeFirstOrThrow();
      if (row.status === 'completed') return null; // a zombie attempt finished first
      await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
      const changes = await applyList(trx, importId, staging);
      await saveRejects(trx, importId, staging);
      const all: ImportCounts = { rowsRead, rowsValid, rowsRejected: rowsRead - rowsValid, ...changes };
      await trx
        .updateTable('site_list_imports')
        .set({
          status: 'completed',
          finished_at: sql<Date>`now()`,
          rows_read: all.rowsRead,
          rows_valid: all.rowsValid,
          rows_rejected: all.rowsRejected,
          new_sites: all.newSites,
          reranked_sites: all.rerankedSites,
          unranked_sites: all.unrankedSites,
          rejected_sample: JSON.stringify(rejectedSample),
          error: null,
        })
        .where('id', '=', importId)
        .execute();
      await sql`UPDATE site_list_imports SET list_sha256 = ${local.sha256} WHERE id = ${importId}`.execute(trx);
      return all;
    });
    report('done');
    if (!applied) return (await recordedResult(db, input.workflowId))!;
    return {
      importId,
      source: source.display,
      status: 'completed',
      ...applied,
      rejectedSample: rejectedSample ?? [],
      sha256: local.sha256,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } catch (err) {
    const status: ImportFailureDetails['status'] = err instanceof InvalidSiteListError ? 'refused' : 'failed';
    const message = (err as Error).message;
    await recordFailure(db, importId, staging, { status, message, counts, rejectedSample, saveRejects: loaded }).catch(() => undefined);
    if (err instanceof InvalidSiteListError) {
      throw new InvalidSiteListError(message, { status, source: source.display, ...counts, rejectedSample: rejectedSample ?? [] } satisfies ImportFailureDetails);
    }
    throw err;
  } finally {
    await sql`DROP TABLE IF EXISTS ${sql.table(staging)}`.execute(db).catch(() => undefined);
  }
}

/**
 * Staging tables of imports that are no longer running (a worker killed mid-import whose
 * workflow then gave up): dropped, so they do not pile up. Running imports keep theirs.
 */
async function dropAbandonedStagingTables(db: Db): Promise<void> {
  const abandoned = await sql<{ tablename: string }>`
    SELECT t.tablename FROM pg_tables t
    WHERE t.schemaname = current_schema() AND t.tablename ~ '^site_list_staging_[0-9]+$'
      AND NOT EXISTS (SELECT 1 FROM site_list_imports i WHERE i.id = substring(t.tablename FROM '[0-9]+$')::bigint AND i.status = 'running')`.execute(db);
  for (const { tablename } of abandoned.rows) await sql`DROP TABLE IF EXISTS ${sql.table(tablename)}`.execute(db);
}

/** The import row for this workflow id, created or reset to `running`; null if it has completed. */
async function beginImport(db: Db, workflowId: string, source: string, startedAt: string): Promise<number | null> {
  const row = await sql<{ id: number }>`
    INSERT INTO site_list_imports (workflow_id, source, started_at, status) VALUES (${workflowId}, ${source}, ${startedAt}, 'running')
    ON CONFLICT (workflow_id) DO UPDATE SET source = EXCLUDED.source, status = 'running', error = NULL, finished_at = NULL
      WHERE site_list_imports.status <> 'completed'
    RETURNING id`.execute(db);
  const importId = row.rows[0]?.id ?? null;
  if (importId !== null) await (db as unknown as ImportDb).deleteFrom('site_list_import_rejects').where('import_id', '=', importId).execute();
  return importId;
}

async function recordedResult(db: Db, workflowId: string): Promise<SiteListImportResult | null> {
  const row = await sql<{
    id: number;
    source: string;
    started_at: Date;
    finished_at: Date;
    rows_read: number;
    rows_valid: number;
    rows_rejected: number;
    new_sites: number;
    reranked_sites: number;
    unranked_sites: number;
    rejected_sample: RejectedRow[] | null;
    list_sha256: string | null;
  }>`SELECT * FROM site_list_imports WHERE workflow_id = ${workflowId} AND status = 'completed'`.execute(db);
  const r = row.rows[0];
  if (!r) return null;
  return {
    importId: r.id,
    source: r.source,
    status: 'completed',
    rowsRead: r.rows_read,
    rowsValid: r.rows_valid,
    rowsRejected: r.rows_rejected,
    newSites: r.new_sites,
    rerankedSites: r.reranked_sites,
    unrankedSites: r.unranked_sites,
    rejectedSample: r.rejected_sample ?? [],
    sha256: r.list_sha256 ?? '',
    seconds: Math.round((r.finished_at.getTime() - r.started_at.getTime()) / 100) / 10,
  };
}

/**
 * A later row whose domain or rank already appeared on an earlier line is rejected, naming that
 * first line (even when the first row was itself rejected for the other key: both rows are in
 * conflict in the list).
 */
async function markDuplicates(db: Db, staging: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
    await sql`
      UPDATE ${sql.table(staging)} AS s
      SET reason = d.reason, content = coalesce(s.content, s.rank || ',' || s.domain)
      FROM (
        SELECT line,
          CASE WHEN first_domain_line < line THEN format('duplicate domain %s (first on line %s)', domain, first_domain_line)
               ELSE format('duplicate rank %s (first on line %s)', rank, first_rank_line) END AS reason
        FROM (
          SELECT line, rank, domain,
            -- Byte order: the same partitions as the default collation's, and a faster sort.
            min(line) OVER (PARTITION BY domain COLLATE "C") AS first_domain_line,
            min(line) OVER (PARTITION BY rank) AS first_rank_line
          FROM ${sql.table(staging)} WHERE reason IS NULL
        ) w
        WHERE first_domain_line < line OR first_rank_line < line
      ) d
      WHERE s.line = d.line`.execute(trx);
  });
}

async function firstRejects(db: Db, staging: string): Promise<RejectedRow[]> {
  const rows = await sql<RejectedRow>`
    SELECT line, content, reason FROM ${sql.table(staging)} WHERE reason IS NOT NULL ORDER BY line LIMIT ${REJECTED_SAMPLE_SIZE}`.execute(db);
  return rows.rows;
}

async function saveRejects(trx: Transaction<Database> | Db, importId: number, staging: string): Promise<void> {
  await sql`
    INSERT INTO site_list_import_rejects (import_id, line, content, reason)
    SELECT ${importId}, line, content, reason FROM ${sql.table(staging)} WHERE reason IS NOT NULL ORDER BY line LIMIT ${MAX_STORED_REJECTS}`.execute(trx);
}

/**
 * The list applied in set-based SQL: re-rank known sites whose rank changed, insert new ones,
 * unrank (rank 0, row kept) those no longer listed; each change goes to site_rank_changes.
 */
async function applyList(trx: Transaction<Database>, importId: number, staging: string): Promise<Pick<ImportCounts, 'newSites' | 'rerankedSites' | 'unrankedSites'>> {
  const stg = sql.table(staging);
  const reranked = await sql<{ n: number }>`
    WITH changed AS (
      SELECT s.id, s.current_rank AS old_rank, st.rank AS new_rank
      FROM ${stg} st JOIN sites s ON s.domain = st.domain
      WHERE st.reason IS NULL AND s.current_rank <> st.rank
    ), updated AS (
      UPDATE sites s SET current_rank = c.new_rank, rank_updated_at = now() FROM changed c WHERE s.id = c.id
    ), history AS (
      INSERT INTO site_rank_changes (import_id, site_id, old_rank, new_rank) SELECT ${importId}, id, old_rank, new_rank FROM changed RETURNING 1
    )
    SELECT count(*)::int AS n FROM history`.execute(trx);
  const unranked = await sql<{ n: number }>`
    WITH dropped AS (
      SELECT s.id, s.current_rank AS old_rank FROM sites s
      WHERE s.current_rank > 0 AND NOT EXISTS (SELECT 1 FROM ${stg} st WHERE st.domain = s.domain AND st.reason IS NULL)
    ), updated AS (
      UPDATE sites s SET current_rank = 0, rank_updated_at = now() FROM dropped d WHERE s.id = d.id
    ), history AS (
      INSERT INTO site_rank_changes (import_id, site_id, old_rank, new_rank) SELECT ${importId}, id, old_rank, 0 FROM dropped RETURNING 1
    )
    SELECT count(*)::int AS n FROM history`.execute(trx);
  const inserted = await sql<{ n: number }>`
    WITH inserted AS (
      INSERT INTO sites (domain, current_rank)
      SELECT st.domain, st.rank FROM ${stg} st
      WHERE st.reason IS NULL AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.domain = st.domain)
      ORDER BY st.rank
      RETURNING id, current_rank
    ), history AS (
      INSERT INTO site_rank_changes (import_id, site_id, old_rank, new_rank) SELECT ${importId}, id, NULL, current_rank FROM inserted RETURNING 1
    )
    SELECT count(*)::int AS n FROM history`.execute(trx);
  return { newSites: inserted.rows[0]!.n, rerankedSites: reranked.rows[0]!.n, unrankedSites: unranked.rows[0]!.n };
}

async function recordFailure(
  db: Db,
  importId: number,
  staging: string,
  failure: { status: ImportFailureDetails['status']; message: string; counts: Partial<ImportCounts>; rejectedSample?: RejectedRow[]; saveRejects: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('site_list_imports')
      .set({
        status: failure.status,
        finished_at: sql<Date>`now()`,
        error: failure.message,
        rows_read: failure.counts.rowsRead ?? null,
        rows_valid: failure.counts.rowsValid ?? null,
        rows_rejected: failure.counts.rowsRejected ?? null,
        rejected_sample: failure.rejectedSample ? JSON.stringify(failure.rejectedSample) : null,
      })
      .where('id', '=', importId)
      .where('status', '<>', 'completed')
      .execute();
    if (failure.saveRejects && failure.counts.rowsRejected) await saveRejects(trx, importId, staging);
  });
}
