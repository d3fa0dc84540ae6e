// Where a site list comes from, and getting it onto the local disk: yauzl needs random access to
// a zip (its central directory is at the end), so a URL is downloaded to a temp file first; a
// local file is read where it is.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { InvalidSiteListError, SiteListUnreachableError } from './errors';

export type SiteListSource =
  | { kind: 'url'; url: string; display: string }
  | { kind: 'file'; path: string; display: string };

/** The list as a local file: its path, its SHA-256 and size, and how to remove it if it was downloaded. */
export interface LocalSiteList {
  path: string;
  sha256: string;
  bytes: number;
  /** Whether the file (by name) claims to be a zip archive. */
  namedZip: boolean;
  cleanup(): Promise<void>;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /** Whole-download limit (default 10 minutes). */
  timeoutMs?: number;
  /** Refuse anything larger (default 2 GiB; the Tranco zip is about 10 MB). */
  maxBytes?: number;
  /** Where downloads go (default: the OS temp dir). */
  tempDir?: string;
}

const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** Hides a password in a URL, so the source can be named in messages, emails and the database. */
function displayUrl(url: URL): string {
  if (url.password) url.password = '***';
  return url.toString();
}

/**
 * Reads a source string: an http(s) URL, a file: URL, or a path (relative paths resolve against
 * the worker's working directory; the CLI makes them absolute first).
 */
export function resolveSiteListSource(source: unknown): SiteListSource {
  if (typeof source !== 'string' || source.trim() === '') {
    throw new InvalidSiteListError(`site list source ${JSON.stringify(source)}: expected a URL or a file path`);
  }
  const text = source.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new InvalidSiteListError(`site list source ${JSON.stringify(text)}: not a valid URL`);
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', url: url.toString(), display: displayUrl(new URL(url)) };
    if (url.protocol === 'file:') {
      const filePath = fileURLToPath(url);
      return { kind: 'file', path: filePath, display: filePath };
    }
    throw new InvalidSiteListError(`site list source ${displayUrl(url)}: unsupported scheme ${url.protocol} (use http, https, file or a path)`);
  }
  const filePath = path.resolve(text);
  return { kind: 'file', path: filePath, display: filePath };
}

function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/** Passes bytes through, hashing and counting them, and stops past the size limit. */
class HashingCounter extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly display: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new InvalidSiteListError(`site list ${this.display}: larger than ${this.maxBytes} bytes, refused`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

async function localFile(source: Extract<SiteListSource, { kind: 'file' }>, options: FetchOptions): Promise<LocalSiteList> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(source.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InvalidSiteListError(`site list ${source.display}: ${reason}`);
  }
  if (!stat.isFile()) throw new InvalidSiteListError(`site list ${source.display}: not a regular file`);
  const counter = new HashingCounter(options.maxBytes ?? DEFAULT_MAX_BYTES, source.display);
  try {
    await pipeline(fs.createReadStream(source.path), counter, new NullSink());
  } catch (err) {
    if (err instanceof InvalidSiteListError) throw err;
    throw new InvalidSiteListError(`site list ${source.display}: cannot be read: ${(err as Error).message}`);
  }
  return { path: source.path, sha256: counter.hash.digest('hex'), bytes: counter.bytes, namedZip: isZipName(source.path), cleanup: async () => undefined };
}

/** Consumes a stream that is read only to be hashed. */
class NullSink extends Writable {
  override _write(_chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    callback();
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}`;
  return cause?.message ?? (err as Error).message;
}

async function download(source: Extract<SiteListSource, { kind: 'url' }>, options: FetchOptions): Promise<LocalSiteList> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const dir = await fs.promises.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'dnstats-import-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const filePath = path.join(dir, isZipName(new URL(source.url).pathname) ? 'list.zip' : 'list');
  const failed = (err: unknown, during: string): Error => {
    if (options.signal?.aborted) return err as Error; // cancelled: report as such, not as a fault
    if (err instanceof InvalidSiteListError) return err;
    if (timeout.aborted) return new SiteListUnreachableError(`site list ${source.display}: ${during} timed out after ${timeoutMs / 1000} s`, { cause: err });
    return new SiteListUnreachableError(`site list ${source.display} is unreachable: ${during} failed: ${describeFetchError(err)}`, { cause: err });
  };
  try {
    let response: Response;
    try {
      response = await fetch(source.url, { signal, redirect: 'follow', headers: { 'user-agent': 'dnstats site-list import' } });
    } catch (err) {
      throw failed(err, 'connecting');
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      // Server-side and rate-limit answers may pass; a missing or forbidden list will not.
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        throw new SiteListUnreachableError(`site list ${source.display} is unavailable: ${status}`);
      }
      throw new InvalidSiteListError(`site list ${source.display}: ${status}`);
    }
    if (!response.body) throw new InvalidSiteListError(`site list ${source.display}: the response has no body`);
    const counter = new HashingCounter(options.maxBytes ?? DEFAULT_MAX_BYTES, source.display);
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counter, fs.createWriteStream(filePath));
    } catch (err) {
      throw failed(err, `downloading (after ${counter.bytes} bytes)`);
    }
    return { path: filePath, sha256: counter.hash.digest('hex'), bytes: counter.bytes, namedZip: isZipName(new URL(response.url || source.url).pathname), cleanup };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}

/** Gets the list onto the local disk (a no-op for a local file), hashing it on the way. */
export function fetchSiteList(source: SiteListSource, options: FetchOptions = {}): Promise<LocalSiteList> {
  return source.kind === 'file' ? localFile(source, options) : download(source, options);
}
