// The scan stage: DNS lookups only, raw answers to Postgres, counts back to the workflow.
import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import { LOOKUP_FAILURE_STATUSES, type SiteScan } from '../dns/types';
import { queriesIn } from '../dns/site-queries';
import type { ChunkRef, LookupFailureCounts, ScanChunkResult } from '../shared/types';

/** What the scan activity needs of the DNS engine (src/dns/scanner.ts provides it). */
export interface SiteScanner {
  scanSite(domain: string): Promise<SiteScan>;
}

export interface ScanActivityDeps {
  db: Db;
  scanner: SiteScanner;
  /** Sites scanned concurrently within one chunk. */
  sitesInFlight: number;
  /** Rows per database write (and heartbeat). */
  writeBatchSize?: number;
}

const FAILURE_STATUSES = new Set<string>(LOOKUP_FAILURE_STATUSES);
const UNREACHABLE_STATUSES = new Set<string>(['TIMEOUT', 'NETWORK_ERROR']);

interface PendingRow {
  ordinal: number;
  site_id: number;
  rank: number;
  domain: string;
  scan: SiteScan;
  queries: number;
  failures: number;
  failureKinds: LookupFailureCounts;
}

export function createScanActivities({ db, scanner, sitesInFlight, writeBatchSize = 25 }: ScanActivityDeps) {
  async function writeRows(runId: number, rows: PendingRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date();
    await db
      .insertInto('site_runs')
      .values(
        rows.map((r) => ({
          run_id: runId,
          site_id: r.site_id,
          ordinal: r.ordinal,
          run_rank: r.rank,
          domain: r.domain,
          scan: JSON.stringify(r.scan),
          queries: r.queries,
          lookup_failures: r.failures,
          failure_kinds: JSON.stringify(r.failureKinds),
          start_time: r.scan.startedAt,
          end_time: r.scan.endedAt,
          scanned_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['run_id', 'site_id']).doUpdateSet({
          scan: (eb) => eb.ref('excluded.scan'),
          queries: (eb) => eb.ref('excluded.queries'),
          lookup_failures: (eb) => eb.ref('excluded.lookup_failures'),
          failure_kinds: (eb) => eb.ref('excluded.failure_kinds'),
          start_time: (eb) => eb.ref('excluded.start_time'),
          end_time: (eb) => eb.ref('excluded.end_time'),
          scanned_at: (eb) => eb.ref('excluded.scanned_at'),
        }),
      )
      .execute();
  }

  return {
    /**
     * Scans the sites of one chunk of a run's snapshot. Safe to run twice: sites already written
     * (by an earlier attempt that died after writing) are skipped, and writes are upserts.
     */
    async scanChunk({ runId, firstOrdinal, endOrdinal }: ChunkRef): Promise<ScanChunkResult> {
      const ctx = Context.current();
      const pending = await sql<{ ordinal: number; site_id: number; rank: number; domain: string }>`
        SELECT rs.ordinal, rs.site_id, rs.rank, rs.domain FROM run_sites rs
        WHERE rs.run_id = ${runId} AND rs.ordinal >= ${firstOrdinal} AND rs.ordinal < ${endOrdinal}
          AND NOT EXISTS (SELECT 1 FROM site_runs sr WHERE sr.run_id = rs.run_id AND sr.site_id = rs.site_id AND sr.scanned_at IS NOT NULL)
        ORDER BY rs.ordinal`.execute(db);
      const sites = pending.rows;
      const total = endOrdinal - firstOrdinal;
      const lookupFailures: LookupFailureCounts = {};
      let queries = 0;
      let unreachableSites = 0;
      let reachableSites = 0;
      let written = total - sites.length;
      // Sites whose every query timed out are held back until some site of the chunk answers:
      // if none does, the resolver is down (an infrastructure fault) and the attempt fails,
      // to be retried, rather than recording a chunk of false timeouts.
      let heldBack: PendingRow[] = [];
      let buffer: PendingRow[] = [];
      const flush = async () => {
        const rows = buffer;
        buffer = [];
        await writeRows(runId, rows);
        written += rows.length;
        ctx.heartbeat({ written });
      };
      let next = 0;
      const worker = async () => {
        while (next < sites.length) {
          if (ctx.cancellationSignal.aborted) return;
          const site = sites[next++];
          const scan = await scanner.scanSite(site.domain);
          const outcomes = queriesIn(scan);
          let failures = 0;
          let unreachable = 0;
          const failureKinds: LookupFailureCounts = {};
          for (const q of outcomes) {
            if (FAILURE_STATUSES.has(q.status)) {
              failures++;
              failureKinds[q.status] = (failureKinds[q.status] ?? 0) + 1;
              lookupFailures[q.status] = (lookupFailures[q.status] ?? 0) + 1;
            }
            if (UNREACHABLE_STATUSES.has(q.status)) unreachable++;
          }
          queries += outcomes.length;
          const row: PendingRow = { ...site, scan, queries: outcomes.length, failures, failureKinds };
          if (unreachable === outcomes.length) {
            unreachableSites++;
            if (reachableSites === 0) {
              heldBack.push(row);
              continue;
            }
          } else if (reachableSites++ === 0) {
            buffer.push(...heldBack);
            heldBack = [];
          }
          buffer.push(row);
          if (buffer.length >= writeBatchSize) await flush();
        }
      };
      // Heartbeat on a timer too: a flush can wait on slow sites (each bounded by the per-site
      // deadline), and a live attempt must never look dead. The SDK throttles what is sent.
      const ticker = setInterval(() => ctx.heartbeat({ written }), 2_000);
      try {
        await Promise.all(Array.from({ length: Math.min(sitesInFlight, sites.length) }, worker));
      } finally {
        clearInterval(ticker);
      }
      if (ctx.cancellationSignal.aborted) {
        await flush();
        throw new CancelledFailure('scanChunk cancelled');
      }
      if (heldBack.length > 0) {
        const info = activityInfo();
        const lastAttempt = info.retryPolicy?.maximumAttempts !== undefined && info.attempt >= info.retryPolicy.maximumAttempts;
        if (!lastAttempt && heldBack.length === sites.length && sites.length >= 5) {
          throw ApplicationFailure.retryable(
            `every query of all ${sites.length} sites of run ${runId} ordinals ${firstOrdinal}-${endOrdinal - 1} timed out or hit a network error: resolver unreachable?`,
            'ResolverUnreachable',
          );
        }
        buffer.push(...heldBack);
      }
      await flush();
      return { sites: total, scanned: written, queries, lookupFailures, unreachableSites };
    },
  };
}

export type ScanActivities = ReturnType<typeof createScanActivities>;
