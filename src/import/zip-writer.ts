// Writes a one-member zip archive as a stream (for tests and the benchmark), with fflate's
// streaming Zip so a million-row list is never whole in memory.
import fs from 'node:fs';
import { once } from 'node:events';
import { Zip, ZipDeflate } from 'fflate';

/**
 * Streams `chunks` (the member's content) into `zipPath` as member `memberName`, deflated.
 * Returns the member's uncompressed size.
 */
export async function writeZipFile(zipPath: string, memberName: string, chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<number> {
  const out = fs.createWriteStream(zipPath);
  let failure: Error | null = null;
  let finished = false;
  const zip = new Zip((err, data, final) => {
    if (err) failure = err;
    else out.write(data);
    if (final) finished = true;
  });
  const member = new ZipDeflate(memberName, { level: 6 });
  zip.add(member);
  let size = 0;
  // Small pieces (a row each) are gathered first: a deflate call per row costs far more than a copy.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (final: boolean) => {
    const buffer = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    size += buffer.length;
    member.push(buffer, final);
    if (failure) throw failure;
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  try {
    for await (const chunk of chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (pendingBytes >= 64 * 1024) await flush(false);
    }
    await flush(true);
    zip.end();
    if (failure) throw failure;
    if (!finished) throw new Error(`zip ${zipPath}: the archive did not finish`);
    out.end();
    await once(out, 'finish');
    return size;
  } catch (err) {
    out.destroy();
    throw err;
  }
}
