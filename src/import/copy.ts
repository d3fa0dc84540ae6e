// Bulk load through COPY (pg-copy-streams) on a connection of the Kysely pool.
import { pipeline } from 'node:stream/promises';
import type { CompiledQuery } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../db/connection';

/** A value in COPY's text format: `\N` for null, backslash escapes for the four special characters. */
export function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Postgres text cannot hold NUL; the rejected row keeps a visible stand-in instead.
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\\\t\n\r\u0000]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\uFFFD'));
}

/** Joins COPY lines into chunks of about `size` characters: far fewer writes than one per row. */
async function* chunked(lines: AsyncIterable<string>, size = 256 * 1024): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Runs `COPY ... FROM STDIN` fed by `lines` (each ending in a newline) and returns the rows loaded.
 * Kysely does not hand out its pg client, but its Postgres connection passes a query's `sql`
 * straight to pg's `client.query`, which accepts a Submittable such as a pg-copy-streams stream
 * in place of SQL text; the check below fails loudly if that ever stops being true.
 */
export async function copyInto(db: Db, statement: string, lines: AsyncIterable<string>): Promise<number> {
  return db.getExecutor().provideConnection(async (connection) => {
    const stream = copyFrom(statement);
    let submitted = false;
    const submit = stream.submit.bind(stream);
    stream.submit = (pgConnection) => {
      submitted = true;
      submit(pgConnection);
    };
    await connection.executeQuery({ sql: stream as unknown as string, parameters: [] } as unknown as CompiledQuery);
    if (!submitted) {
      stream.destroy();
      throw new Error('COPY could not be started: the database connection did not accept a pg-copy-streams query');
    }
    await pipeline(chunked(lines), stream);
    return stream.rowCount;
  });
}
