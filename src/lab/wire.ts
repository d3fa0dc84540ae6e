// Wire-format helpers of the lab server's hot paths: a small query reader, the cache key of a
// question, and an answer encoder for precompute. dns-packet stays the decoder of anything
// unusual and the encoder of what the small encoder does not take.
import dnsPacket from 'dns-packet';
import { LabRRType, LabRecord } from './records';

export const TYPE_NUMBER: Readonly<Record<LabRRType, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  DS: 43,
  DNSKEY: 48,
  CAA: 257,
};
const TYPE_NAME = new Map<number, LabRRType>(Object.entries(TYPE_NUMBER).map(([name, number]) => [number, name as LabRRType]));

/** The lab's record type of a QTYPE number, if it is one the world knows. */
export function labTypeOf(number: number): LabRRType | undefined {
  return TYPE_NAME.get(number);
}

/** Bytes of the OPT record the lab appends to every answer to an EDNS query (root, type 41, payload 4096). */
export const OPT_RECORD_LENGTH = 11;

/**
 * What the reader found in a query. One object, reused by every call (the hot path allocates as
 * little as it can): read it before the next readQuery call.
 */
export interface QueryView {
  /** Cache key: the question's QNAME in wire form, lower-cased, then its QTYPE (2 bytes), as latin1. */
  key: string;
  /** QTYPE as a number. */
  type: number;
  /** Offset just past the question (QNAME, QTYPE, QCLASS). */
  questionEnd: number;
  /** The QNAME had upper-case letters (the answer must then echo the query's bytes). */
  mixedCase: boolean;
  /** An OPT record was present. */
  edns: boolean;
  /** Largest UDP answer the client takes: 512 without EDNS, else its payload size (at least 512). */
  udpLimit: number;
}

/** Buffer's own latin1 decoder (what toString('latin1') calls after its encoding dispatch). */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

const view: QueryView = { key: '', type: 0, questionEnd: 0, mixedCase: false, edns: false, udpLimit: 512 };

/**
 * Reads a plain query: QR=0, opcode QUERY, one IN question with a name of ASCII labels, no
 * answer or authority records, at most one additional record which is a root OPT without options,
 * nothing after.
 * Anything else returns undefined and takes the full dns-packet path.
 *
 * Hand-written because it is the server's hot path: dns-packet's decode builds a whole object tree
 * (header fields, question and OPT objects, label strings) for every query, which cost more CPU and
 * garbage than answering from the cache does; this reads the few bytes an answer depends on.
 */
export function readQuery(msg: Buffer): QueryView | undefined {
  const length = msg.length;
  if (length < 17) return undefined; // header + root name + QTYPE + QCLASS
  if ((msg[2] & 0xf8) !== 0) return undefined; // QR set or opcode not QUERY
  if (msg[4] !== 0 || msg[5] !== 1 || msg[6] !== 0 || msg[7] !== 0 || msg[8] !== 0 || msg[9] !== 0 || msg[10] !== 0) return undefined;
  const additionals = msg[11];
  if (additionals > 1) return undefined;
  let offset = 12;
  let mixedCase = false;
  for (;;) {
    const labelLength = msg[offset];
    if (labelLength === undefined || labelLength > 63) return undefined; // past the end, or a compression pointer
    if (labelLength === 0) break;
    const labelEnd = offset + 1 + labelLength;
    if (labelEnd >= length || labelEnd - 12 > 254) return undefined;
    for (let i = offset + 1; i < labelEnd; i++) {
      const byte = msg[i];
      if (byte >= 0x41 && byte <= 0x5a) mixedCase = true;
      else if (byte >= 0x80) return undefined; // not ASCII: let dns-packet's UTF-8 decoding decide
    }
    offset = labelEnd;
  }
  const typeOffset = offset + 1;
  const questionEnd = typeOffset + 4;
  if (questionEnd > length) return undefined;
  if (msg[typeOffset + 2] !== 0 || msg[typeOffset + 3] !== 1) return undefined; // QCLASS IN
  const typeHigh = msg[typeOffset];
  const typeLow = msg[typeOffset + 1];
  // Lower-casing the key must not touch the QTYPE bytes.
  if (mixedCase && ((typeHigh >= 0x41 && typeHigh <= 0x5a) || (typeLow >= 0x41 && typeLow <= 0x5a))) return undefined;
  let end = questionEnd;
  let edns = false;
  let udpLimit = 512;
  if (additionals === 1) {
    // Root name, type 41, and no options (RDLENGTH 0): options go to dns-packet, which validates them.
    if (end + 11 > length || msg[end] !== 0 || msg[end + 1] !== 0 || msg[end + 2] !== 41 || msg[end + 9] !== 0 || msg[end + 10] !== 0) return undefined;
    edns = true;
    udpLimit = Math.max(512, (msg[end + 3] << 8) | msg[end + 4]);
    end += 11;
  }
  if (end !== length) return undefined;
  const key = (msg as unknown as Latin1Slicer).latin1Slice(12, typeOffset + 2);
  view.key = mixedCase ? key.toLowerCase() : key;
  view.type = (typeHigh << 8) | typeLow;
  view.questionEnd = questionEnd;
  view.mixedCase = mixedCase;
  view.edns = edns;
  view.udpLimit = udpLimit;
  return view;
}

const keyScratch = Buffer.allocUnsafe(300);

/** The cache key of (name, type) as readQuery computes it; `name` lower case, without the final dot. */
export function questionKey(name: string, type: LabRRType | number): string {
  const number = typeof type === 'number' ? type : TYPE_NUMBER[type];
  if (name.length > 255) {
    // Longer than any name a query can carry: never asked, but still a key of its own.
    let key = '';
    for (const label of name.split('.')) key += String.fromCharCode(label.length) + label;
    return key + '\u0000' + String.fromCharCode(number >> 8, number & 0xff);
  }
  // Written to a buffer and read back once, so the key is one flat string (concatenation would
  // keep a tree of pieces alive in every map entry).
  let at = 0;
  if (name !== '' && name !== '.') {
    let start = 0;
    for (;;) {
      const dot = name.indexOf('.', start);
      const end = dot < 0 ? name.length : dot;
      keyScratch[at] = end - start;
      at += 1 + keyScratch.write(name.slice(start, end), at + 1, 'latin1');
      if (dot < 0) break;
      start = dot + 1;
    }
  }
  keyScratch[at] = 0;
  keyScratch[at + 1] = number >> 8;
  keyScratch[at + 2] = number & 0xff;
  return keyScratch.toString('latin1', 0, at + 3);
}

/** The name of a key (labels joined by dots; '.' for the root), as dns-packet would decode it. */
export function nameOfKey(key: string): string {
  const labels: string[] = [];
  let offset = 0;
  for (;;) {
    const labelLength = key.charCodeAt(offset);
    if (labelLength === 0) break;
    labels.push(key.slice(offset + 1, offset + 1 + labelLength));
    offset += 1 + labelLength;
  }
  return labels.length === 0 ? '.' : labels.join('.');
}

// ---------------------------------------------------------------------------------------------
// Answer encoding for precompute.

/** dns-packet's RDATA encoders (`record(type)`, exported at runtime though not in its typings). */
interface RdataEncoder {
  encode: ((data: unknown, buf: Buffer, offset: number) => Buffer) & { bytes: number };
  encodingLength(data: unknown): number;
}
const rdataEncoder = (dnsPacket as unknown as { record(type: string): RdataEncoder }).record;

export interface AnswerWireInput {
  /** Header flags (rcode, AA, RA); QR is added. */
  flags: number;
  name: string;
  type: LabRRType;
  answers: readonly LabRecord[];
  authorities: readonly LabRecord[];
}

class NotSimple extends Error {}
const notSimple = new NotSimple();

/**
 * Writes at `offset` the answer dns-packet's encode would give for a response with ID 0, one IN
 * question, these records (class IN, no name compression) and the lab's OPT record; returns the
 * offset after it, or -1 when an input is out of the common case (a name with empty or long
 * labels, non-ASCII characters or escapes; an unusual address), for dns-packet to encode instead.
 * Throws RangeError when the buffer is too small.
 *
 * Hand-written because precompute encodes every answer of every site (≈ 17 per site, 1.7 M for
 * 100,000 sites) before a run starts, and dns-packet's generic encoder (two passes over the packet,
 * a regular expression and a split per name) made most of that time. The rarer record types keep
 * dns-packet's own RDATA encoders; a unit test holds the output byte for byte to dns-packet's.
 */
export function encodeAnswerWire(input: AnswerWireInput, buf: Buffer, offset: number): number {
  try {
    let at = offset;
    buf.writeUInt16BE(0, at); // ID
    buf.writeUInt16BE((input.flags & 0x7fff) | 0x8000, at + 2);
    buf.writeUInt16BE(1, at + 4);
    buf.writeUInt16BE(input.answers.length, at + 6);
    buf.writeUInt16BE(input.authorities.length, at + 8);
    buf.writeUInt16BE(1, at + 10); // the OPT record
    at = writeName(buf, at + 12, input.name);
    buf.writeUInt16BE(TYPE_NUMBER[input.type], at);
    buf.writeUInt16BE(1, at + 2);
    at += 4;
    for (const record of input.answers) at = writeRecord(buf, at, record);
    for (const record of input.authorities) at = writeRecord(buf, at, record);
    if (at + OPT_RECORD_LENGTH > buf.length) throw new RangeError('answer does not fit');
    buf[at] = 0; // root
    buf.writeUInt16BE(41, at + 1);
    buf.writeUInt16BE(4096, at + 3); // payload size the lab advertises
    buf.writeUInt32BE(0, at + 5); // extended rcode, version, flags
    buf.writeUInt16BE(0, at + 9); // no options
    return at + OPT_RECORD_LENGTH;
  } catch (err) {
    if (err === notSimple) return -1;
    throw err;
  }
}

function writeRecord(buf: Buffer, offset: number, record: LabRecord): number {
  let at = writeName(buf, offset, record.name);
  buf.writeUInt16BE(TYPE_NUMBER[record.type], at);
  buf.writeUInt16BE(1, at + 2); // IN
  buf.writeUInt32BE(record.ttl || 0, at + 4);
  at += 8;
  const rdata = at + 2;
  let end: number;
  switch (record.type) {
    case 'A':
      end = writeIPv4(buf, rdata, record.data);
      break;
    case 'NS':
    case 'CNAME':
      end = writeName(buf, rdata, record.data);
      break;
    case 'MX':
      buf.writeUInt16BE(record.data.preference || 0, rdata);
      end = writeName(buf, rdata + 2, record.data.exchange);
      break;
    case 'TXT':
      end = rdata;
      for (const text of record.data) {
        const length = buf.write(text, end + 1, 'utf8');
        if (length !== Buffer.byteLength(text)) throw new RangeError('answer does not fit');
        buf[end] = length & 0xff; // as dns-packet: a string over 255 bytes is the builder's bug
        end += 1 + length;
      }
      break;
    case 'SOA': {
      const soa = record.data;
      if (soa.rname.includes('\\')) throw notSimple; // dns-packet's mailbox escapes
      end = writeName(buf, writeName(buf, rdata, soa.mname), soa.rname);
      buf.writeUInt32BE(soa.serial || 0, end);
      buf.writeUInt32BE(soa.refresh || 0, end + 4);
      buf.writeUInt32BE(soa.retry || 0, end + 8);
      buf.writeUInt32BE(soa.expire || 0, end + 12);
      buf.writeUInt32BE(soa.minimum || 0, end + 16);
      end += 20;
      break;
    }
    default: {
      // AAAA, CAA, DS, DNSKEY: dns-packet's RDATA encoder writes RDLENGTH and RDATA.
      const encoder = rdataEncoder(record.type);
      const data = record.type === 'CAA' ? { ...record.data } : record.data; // its CAA encoder may set flags
      if (at + encoder.encodingLength(data) > buf.length) throw new RangeError('answer does not fit');
      encoder.encode(data, buf, at);
      return at + encoder.encode.bytes;
    }
  }
  buf.writeUInt16BE(end - rdata, at);
  return end;
}

/** A name as dns-packet writes it (no compression), for names of plain ASCII labels of 1..63 bytes. */
function writeName(buf: Buffer, offset: number, name: string): number {
  let start = 0;
  let end = name.length;
  if (end > 0 && name.charCodeAt(0) === 0x2e) start++; // dns-packet strips one leading and one final dot
  if (end > start && name.charCodeAt(end - 1) === 0x2e) end--;
  if (offset + 2 + end - start > buf.length) throw new RangeError('answer does not fit');
  let lengthAt = offset;
  let at = offset + 1;
  for (let i = start; i < end; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x2e) {
      const labelLength = at - lengthAt - 1;
      if (labelLength === 0 || labelLength > 63) throw notSimple;
      buf[lengthAt] = labelLength;
      lengthAt = at++;
    } else {
      if (code <= 0x20 || code >= 0x7f || code === 0x5c) throw notSimple; // control, UTF-8, escape: dns-packet decides
      buf[at++] = code;
    }
  }
  if (end > start) {
    const labelLength = at - lengthAt - 1;
    if (labelLength === 0 || labelLength > 63) throw notSimple;
    buf[lengthAt] = labelLength;
    buf[at++] = 0;
    return at;
  }
  buf[offset] = 0; // the root
  return offset + 1;
}

function writeIPv4(buf: Buffer, offset: number, address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4) throw notSimple;
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) throw notSimple;
    buf[offset + i] = Number(part);
  }
  return offset + 4;
}
