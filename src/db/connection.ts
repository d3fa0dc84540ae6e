import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

// bigint (int8) and count(*) come back as strings by default; every id and count here fits in a
// JS number, so parse them as numbers once, for the whole process.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  url: string;
  /** Connections in this process's pool; size it to the worker's concurrent DB activities. */
  poolSize?: number;
  applicationName?: string;
}

export function connectDatabase({ url, poolSize = 10, applicationName = 'dnstats' }: DatabaseOptions): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: applicationName });
  // An idle client's error (server restart) must not crash the worker; the next query reconnects.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Hides the password of a connection URL for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
