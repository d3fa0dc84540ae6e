// The site-list import activities (issue 5), on the dnstats-process queue.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/connection';
import { loadConfig } from '../config';
import { InvalidSiteListError, SiteListUnreachableError } from '../import/errors';
import { importSiteList, type ImportProgress } from '../import/import-list';
import { resolveSiteListSource, type FetchOptions } from '../import/source';
import type { ImportSiteListInput, SiteListImportResult } from '../import/types';

export const IMPORT_FAILURE_TYPES = {
  /** Bad input: unsupported source, missing file, corrupt zip, empty, garbage, too many bad rows. */
  invalid: 'InvalidSiteListError',
  /** The source could not be reached or read now; retried. */
  unreachable: 'SiteListUnreachableError',
} as const;

export interface ImportActivityDeps {
  db: Db;
  /** Used when the workflow gives no source (default: config.tranco.url, DNSTATS_TRANCO_URL). */
  defaultSource?: string;
  fetch?: Omit<FetchOptions, 'signal'>;
  /** How often the long activity heartbeats (default 5 s). */
  heartbeatIntervalMs?: number;
}

function toFailure(err: unknown): unknown {
  if (err instanceof InvalidSiteListError) {
    return ApplicationFailure.create({ type: IMPORT_FAILURE_TYPES.invalid, message: err.message, nonRetryable: true, details: [err.details] });
  }
  if (err instanceof SiteListUnreachableError) {
    return ApplicationFailure.create({ type: IMPORT_FAILURE_TYPES.unreachable, message: err.message, nonRetryable: false });
  }
  return err;
}

export function createImportActivities(deps: ImportActivityDeps) {
  const defaultSource = () => deps.defaultSource ?? loadConfig().tranco.url;
  return {
    /** The source the import will read, checked and with any password hidden (for the emails). */
    async resolveSiteListSource({ source }: { source?: string }): Promise<{ source: string; display: string }> {
      try {
        const chosen = source ?? defaultSource();
        return { source: chosen, display: resolveSiteListSource(chosen).display };
      } catch (err) {
        throw toFailure(err);
      }
    },

    /**
     * Downloads, validates and applies one list; returns counts and the first rejected rows,
     * never the list. Heartbeats its progress; a retried attempt starts clean, and an attempt
     * after a completed one returns the recorded result.
     */
    async importSiteList(input: ImportSiteListInput): Promise<SiteListImportResult> {
      const context = Context.current();
      let progress: ImportProgress = { phase: 'fetching', rowsRead: 0 };
      context.heartbeat(progress);
      // A timer rather than per-row heartbeats: the long SQL statements of the apply phase must
      // heartbeat too, and the SDK throttles the sends anyway.
      const timer = setInterval(() => context.heartbeat(progress), deps.heartbeatIntervalMs ?? 5_000);
      try {
        return await importSiteList(deps.db, input, {
          signal: context.cancellationSignal,
          onProgress: (p) => (progress = p),
          fetch: deps.fetch,
        });
      } catch (err) {
        throw toFailure(err);
      } finally {
        clearInterval(timer);
      }
    },
  };
}

export type ImportActivities = ReturnType<typeof createImportActivities>;
