// From a local list file to validated rows: zip or plain CSV, one `rank,domain` row per line.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { InvalidDomainError, normaliseDomain } from '../dns/names';
import { InvalidSiteListError } from './errors';
import { openZippedList } from './zip';

/** A line longer than this is not a site-list row; the file is refused as not a list. */
export const MAX_LINE_LENGTH = 64 * 1024;
/** Content of a rejected row is kept (in reports and the database) up to this many characters. */
export const MAX_REPORTED_CONTENT = 200;
/** Reasons quote the input, so they are cut too: 100 rejected rows must stay a small payload. */
export const MAX_REASON_LENGTH = 300;
const MAX_RANK = 2_147_483_647; // sites.current_rank is a Postgres integer

export type RowVerdict = { ok: true; rank: number; domain: string } | { ok: false; reason: string };

/**
 * One row's verdict: rank a positive integer, domain a valid site name (normalised to lower-case
 * A-labels by normaliseDomain). Duplicates are found later, across the whole list, in SQL.
 */
export function validateRow(fields: string[]): RowVerdict {
  if (fields.length !== 2) {
    return { ok: false, reason: `expected 2 fields "rank,domain", found ${fields.length}` };
  }
  const rankText = fields[0]!.trim();
  if (!/^[0-9]+$/.test(rankText) || Number(rankText) < 1) {
    return { ok: false, reason: cut(`rank ${JSON.stringify(fields[0])} is not a positive integer`, MAX_REASON_LENGTH) };
  }
  const rank = Number(rankText);
  if (rank > MAX_RANK) return { ok: false, reason: cut(`rank ${rankText} is larger than ${MAX_RANK}`, MAX_REASON_LENGTH) };
  try {
    return { ok: true, rank, domain: normaliseDomain(fields[1]!) };
  } catch (err) {
    // The message quotes the domain (and maybe a label): long quotes are shortened, the reason kept.
    if (err instanceof InvalidDomainError) return { ok: false, reason: cut(err.message.replace(/"([^"]{80})[^"]+"/g, '"$1…"'), MAX_REASON_LENGTH) };
    throw err;
  }
}

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** What a rejected row is reported as: its fields as read, cut to MAX_REPORTED_CONTENT. */
export function reportedContent(fields: string[]): string {
  return cut(fields.join(','), MAX_REPORTED_CONTENT);
}

const ZIP_SIGNATURES = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

async function firstBytes(filePath: string, count: number): Promise<Buffer> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The CSV bytes of a list file: the member of a zip archive (recognised by its signature), or
 * the file itself. Refuses an empty file, and a file named `.zip` that is not one.
 */
export async function openListFile(filePath: string, display: string, namedZip: boolean): Promise<{ stream: Readable; zipMember: string | null }> {
  const head = await firstBytes(filePath, 4);
  if (head.length === 0) throw new InvalidSiteListError(`site list ${display}: the file is empty`);
  if (ZIP_SIGNATURES.some((signature) => head.equals(signature))) {
    const { stream, member } = await openZippedList(filePath, display);
    return { stream, zipMember: member };
  }
  if (namedZip) {
    throw new InvalidSiteListError(`site list ${display}: corrupt zip archive: no zip signature (the file starts with ${JSON.stringify(head.toString('latin1'))})`);
  }
  return { stream: fs.createReadStream(filePath), zipMember: null };
}

export interface ListLine {
  /** 1-based physical line number. */
  line: number;
  fields: string[];
}

/**
 * The non-empty lines of a list, split at commas. Quoting is off: Tranco rows are never quoted,
 * and without it each csv-parse record is exactly one physical line, so line numbers and
 * contents in the report are the file's own (a stray quote cannot swallow the lines after it).
 */
export async function* readListLines(input: Readable, display: string): AsyncGenerator<ListLine> {
  const parser = parse({
    quote: false,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
    bom: true,
    max_record_size: MAX_LINE_LENGTH,
  });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let line = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      line++;
      if (fields.length === 1 && fields[0] === '') continue;
      yield { line, fields };
    }
  } catch (err) {
    if (err instanceof InvalidSiteListError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'CSV_MAX_RECORD_SIZE') {
      // The parser may be ahead of this loop; its own count says which line overflowed.
      const at = (err as { lines?: number }).lines ?? line + 1;
      throw new InvalidSiteListError(`site list ${display}: line ${at} is longer than ${MAX_LINE_LENGTH} characters: not a site list`);
    }
    if (code?.startsWith('CSV_')) throw new InvalidSiteListError(`site list ${display}: unreadable as CSV after line ${line}: ${(err as Error).message}`);
    throw err;
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
}
