// The per-category domain lists of a run (spec §20), streamed from Postgres through a server-side
// cursor into CSV files: memory holds one fetch of rows, never a whole report.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { CATEGORIES, conditionSql, remarkReportName } from './categories';
import { csvLine } from './escape';
import { findRemark } from '../checks/remarks';
import type { GradedArea } from '../checks/types';

const FETCH_ROWS = 5_000;
export const REPORT_HEADER = 'rank,domain\n';

export interface ReportFile {
  name: string;
  /** Path relative to the run folder, e.g. `reports/mx_domains.csv`. */
  file: string;
  rows: number;
  kind: 'category' | 'remark';
  description: string;
  /** For remark reports. */
  remark?: { id: number; type: string; name: string; level: number };
}

/** A CSV file written with backpressure: each write waits for the stream when its buffer is full. */
class CsvWriter {
  private readonly stream: fs.WriteStream;
  rows = 0;

  constructor(readonly filePath: string) {
    this.stream = fs.createWriteStream(filePath, { encoding: 'utf8' });
    this.stream.on('error', () => undefined); // surfaced by close()
    this.stream.write(REPORT_HEADER);
  }

  async write(text: string, rows: number): Promise<void> {
    this.rows += rows;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/** Runs `query` as a cursor of this transaction, handing over one fetch of rows at a time. */
async function forEachFetch<Row>(trx: Transaction<Database>, cursor: string, query: ReturnType<typeof sql>, onRows: (rows: Row[]) => Promise<void>): Promise<void> {
  await sql`DECLARE ${sql.id(cursor)} NO SCROLL CURSOR FOR ${query}`.execute(trx);
  for (;;) {
    const { rows } = await sql<Row>`FETCH ${sql.raw(String(FETCH_ROWS))} FROM ${sql.id(cursor)}`.execute(trx);
    if (rows.length > 0) await onRows(rows);
    if (rows.length < FETCH_ROWS) break;
  }
  await sql`CLOSE ${sql.id(cursor)}`.execute(trx);
}

/** The graded rows of a run: the population every report and statistic is about. */
export function gradedSites(runId: number) {
  return sql`site_runs.run_id = ${runId} AND site_runs.graded_at IS NOT NULL`;
}

export interface WriteReportsOptions {
  /** Called after each report (heartbeats). */
  onReport?: (report: ReportFile) => void;
}

/**
 * Writes every category report and one report per remark code into `<dir>/reports/`, in one
 * read-only snapshot so the lists agree with each other. Returns what it wrote.
 */
export async function writeRunReports(db: Kysely<Database>, runId: number, dir: string, options: WriteReportsOptions = {}): Promise<ReportFile[]> {
  const reportsDir = path.join(dir, 'reports');
  fs.mkdirSync(reportsDir, { recursive: true });
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`SET TRANSACTION READ ONLY`.execute(trx);
      const written: ReportFile[] = [];
      for (const category of CATEGORIES) {
        const file = `reports/${category.name}.csv`;
        const writer = new CsvWriter(path.join(dir, file));
        try {
          await forEachFetch<{ run_rank: number; domain: string }>(
            trx,
            'category_report',
            sql`SELECT run_rank, domain FROM site_runs WHERE ${gradedSites(runId)} AND ${conditionSql(category.fact, category.test)} ORDER BY ordinal`,
            (rows) => writer.write(rows.map((r) => csvLine([r.run_rank, r.domain])).join(''), rows.length),
          );
        } finally {
          await writer.close();
        }
        const report: ReportFile = { name: category.name, file, rows: writer.rows, kind: 'category', description: category.description };
        written.push(report);
        options.onReport?.(report);
      }
      for (const report of await writeRemarkReports(trx, runId, dir)) {
        written.push(report);
        options.onReport?.(report);
      }
      return written;
    });
}

/**
 * One pass over the run's remarks, in site order, feeding one file per remark code. A code raised
 * twice for a site (allowed: the graders may repeat a remark) lists the site once.
 */
async function writeRemarkReports(trx: Transaction<Database>, runId: number, dir: string): Promise<ReportFile[]> {
  const catalogue = await trx
    .selectFrom('remarks')
    .innerJoin('remark_types', 'remark_types.id', 'remarks.remark_type_id')
    .select(['remarks.id', 'remarks.name', 'remarks.enum_value', 'remarks.remark_level', 'remarks.title', 'remark_types.name as type'])
    .orderBy('remark_types.id')
    .orderBy('remarks.enum_value')
    .execute();
  // Codes kept only for compatibility, which the graders never raise, get no empty file.
  const reported = catalogue.filter((r) => findRemark({ type: r.type as GradedArea, value: r.enum_value })?.emitted !== false);
  const writers = new Map<number, { writer: CsvWriter; lastOrdinal: number; row: (typeof catalogue)[number] }>();
  for (const row of reported) {
    writers.set(row.id, { writer: new CsvWriter(path.join(dir, `reports/${remarkReportName(row.type, row.name)}.csv`)), lastOrdinal: -1, row });
  }
  try {
    await forEachFetch<{ remark_id: number; ordinal: number; run_rank: number; domain: string }>(
      trx,
      'remark_report',
      sql`SELECT x.remark_id, site_runs.ordinal, site_runs.run_rank, site_runs.domain
          FROM site_runs JOIN siterun_remarks x ON x.site_run_id = site_runs.id
          WHERE ${gradedSites(runId)} ORDER BY site_runs.ordinal, x.remark_id`,
      async (rows) => {
        const pending = new Map<number, { text: string[]; rows: number }>();
        for (const r of rows) {
          const target = writers.get(r.remark_id);
          if (!target || target.lastOrdinal === r.ordinal) continue;
          target.lastOrdinal = r.ordinal;
          let batch = pending.get(r.remark_id);
          if (!batch) pending.set(r.remark_id, (batch = { text: [], rows: 0 }));
          batch.text.push(csvLine([r.run_rank, r.domain]));
          batch.rows++;
        }
        for (const [remarkId, batch] of pending) await writers.get(remarkId)!.writer.write(batch.text.join(''), batch.rows);
      },
    );
  } finally {
    await Promise.all([...writers.values()].map((w) => w.writer.close()));
  }
  return [...writers.values()].map(({ writer, row }) => ({
    name: remarkReportName(row.type, row.name),
    file: `reports/${remarkReportName(row.type, row.name)}.csv`,
    rows: writer.rows,
    kind: 'remark' as const,
    description: `${row.type.toUpperCase()}: ${row.title}`,
    remark: { id: row.id, type: row.type, name: row.name, level: row.remark_level },
  }));
}
