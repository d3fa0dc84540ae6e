// Wire-format helpers of the lab server's hot path: a small query reader and the cache key of a
// question. dns-packet stays the encoder of answers and the decoder of anything unusual.
import { LabRRType } from './records';

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
  const key = msg.toString('latin1', 12, typeOffset + 2);
  view.key = mixedCase ? key.toLowerCase() : key;
  view.type = (typeHigh << 8) | typeLow;
  view.questionEnd = questionEnd;
  view.mixedCase = mixedCase;
  view.edns = edns;
  view.udpLimit = udpLimit;
  return view;
}

/** The cache key of (name, type) as readQuery computes it; `name` lower case, without the final dot. */
export function questionKey(name: string, type: LabRRType | number): string {
  const number = typeof type === 'number' ? type : TYPE_NUMBER[type];
  let key = '';
  if (name !== '' && name !== '.') {
    for (const label of name.split('.')) key += String.fromCharCode(label.length) + label;
  }
  return key + '\u0000' + String.fromCharCode(number >> 8, number & 0xff);
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
