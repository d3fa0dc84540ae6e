// Writes a one-member zip archive as a stream (for the lab's list, tests and the benchmark).
// Written by hand because no zip-writing package is installed (yauzl only reads); one deflated
// member with a data descriptor is all a Tranco-style archive needs.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { once } from 'node:events';

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const FLAGS = 0x0008 | 0x0800; // sizes and CRC in a data descriptor after the data; UTF-8 name

/**
 * Streams `chunks` (the member's content) into `zipPath` as member `memberName`, deflated.
 * Returns the member's uncompressed size. Sizes must stay under 4 GiB (no zip64).
 */
export async function writeZipFile(zipPath: string, memberName: string, chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<number> {
  const out = fs.createWriteStream(zipPath);
  const name = Buffer.from(memberName, 'utf8');
  let offset = 0;
  const write = async (buffer: Buffer) => {
    offset += buffer.length;
    if (!out.write(buffer)) await once(out, 'drain');
  };
  try {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt16LE(name.length, 26);
    await write(Buffer.concat([local, name]));

    let crc = 0;
    let size = 0;
    const deflater = zlib.createDeflateRaw({ level: 6 });
    const compressedStart = offset;
    const drained = (async () => {
      for await (const piece of deflater) await write(piece as Buffer);
    })();
    // Small pieces (a row each) are gathered first: a zlib write per row costs far more than a copy.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const buffer = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      crc = zlib.crc32(buffer, crc);
      size += buffer.length;
      if (!deflater.write(buffer)) await once(deflater, 'drain');
    };
    for await (const chunk of chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (pendingBytes >= 64 * 1024) await flush();
    }
    if (pendingBytes > 0) await flush();
    deflater.end();
    await drained;
    const compressed = offset - compressedStart;

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await write(descriptor);

    const centralStart = offset;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(FLAGS, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 42); // local header at offset 0
    await write(Buffer.concat([central, name]));

    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12);
    end.writeUInt32LE(centralStart, 16);
    await write(end);
    out.end();
    await once(out, 'finish');
    return size;
  } catch (err) {
    out.destroy();
    throw err;
  }
}
