// Turns decoded answer records (dns-packet's objects) into the two forms a QueryOutcome carries:
// the presentation text of spec §5.1 (dnspython 1.x renderings, which later stages parse) and
// the parsed RecordData.
import type { RecordData, RRType, SoaData } from './types';

/** The fields of a decoded dns-packet answer this module reads. */
export interface WireAnswer {
  name: string;
  type: string;
  ttl?: number;
  class?: string;
  data?: unknown;
}

function absolute(name: string): string {
  return name === '.' || name === '' ? '.' : `${name}.`;
}

function hostName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === '.') return '';
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** True when every byte is printable ASCII other than `"` and `\` (nothing to escape). */
function isPlainText(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x20 || byte > 0x7e || byte === 0x22 || byte === 0x5c) return false;
  }
  return true;
}

/** dnspython's `_escapify`: `"` and `\` get a backslash, bytes outside 0x20..0x7e become \DDD. */
export function escapeCharacterString(bytes: Buffer): string {
  // Most strings have nothing to escape; their text is their bytes.
  if (isPlainText(bytes)) return bytes.toString('latin1');
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += '\\' + byte.toString().padStart(3, '0');
  }
  return out;
}

// dnspython 1.x `_base64ify` cuts the key into 32-character chunks separated by spaces.
function chunkedBase64(bytes: Buffer): string {
  const base64 = bytes.toString('base64');
  const chunks: string[] = [];
  for (let i = 0; i < base64.length; i += 32) chunks.push(base64.slice(i, i + 32));
  return chunks.join(' ');
}

function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.alloc(0);
}

export interface Presented {
  text: string;
  data: RecordData;
}

/** Presentation text and parsed data of one answer record of type `type`. Throws on data it cannot read. */
export function presentRecord(type: RRType, answer: WireAnswer): Presented {
  const data = answer.data as never;
  switch (type) {
    case 'A':
    case 'AAAA': {
      const address = String(data);
      return { text: address, data: { type, address } };
    }
    case 'CNAME':
    case 'NS': {
      const target = String(data);
      return { text: absolute(target), data: { type, target: hostName(target) } };
    }
    case 'MX': {
      const mx = data as { preference: number; exchange: string };
      return {
        text: `${mx.preference} ${absolute(mx.exchange)}`,
        data: { type, preference: mx.preference, exchange: hostName(mx.exchange) },
      };
    }
    case 'TXT': {
      const parts: unknown[] = Array.isArray(data) ? data : [data];
      let text = '';
      const strings: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        const part = asBuffer(parts[i]);
        const plain = isPlainText(part);
        const escaped = plain ? part.toString('latin1') : escapeCharacterString(part);
        text += i === 0 ? `"${escaped}"` : ` "${escaped}"`;
        // Strings are decoded as UTF-8 (invalid bytes become U+FFFD); the exact bytes survive in
        // `text`. For plain ASCII both decodings are the same string.
        strings.push(plain ? escaped : part.toString('utf8'));
      }
      return { text, data: { type, strings } };
    }
    case 'CAA': {
      const caa = data as { flags: number; tag: string; value: string };
      const tag = String(caa.tag);
      const value = String(caa.value);
      return {
        text: `${caa.flags} ${escapeCharacterString(Buffer.from(tag))} "${escapeCharacterString(Buffer.from(value))}"`,
        data: { type, flags: caa.flags, tag, value },
      };
    }
    case 'SOA': {
      const soa = data as SoaData;
      return {
        text: `${absolute(soa.mname)} ${absolute(soa.rname)} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`,
        data: {
          type,
          mname: hostName(soa.mname),
          rname: hostName(soa.rname),
          serial: soa.serial,
          refresh: soa.refresh,
          retry: soa.retry,
          expire: soa.expire,
          minimum: soa.minimum,
        },
      };
    }
    case 'DS': {
      const ds = data as { keyTag: number; algorithm: number; digestType: number; digest: Buffer };
      const digest = asBuffer(ds.digest).toString('hex');
      return {
        text: `${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${digest}`,
        data: { type, keyTag: ds.keyTag, algorithm: ds.algorithm, digestType: ds.digestType, digest },
      };
    }
    case 'DNSKEY': {
      // dns-packet rejects any protocol other than 3 while decoding, so 3 is the only value here.
      const key = data as { flags: number; algorithm: number; key: Buffer };
      const bytes = asBuffer(key.key);
      return {
        text: `${key.flags} 3 ${key.algorithm} ${chunkedBase64(bytes)}`,
        data: { type, flags: key.flags, protocol: 3, algorithm: key.algorithm, publicKey: bytes.toString('base64') },
      };
    }
  }
}

export interface AnswerSection {
  records: string[];
  data: RecordData[];
  ttl?: number;
  cnames?: string[];
}

const MAX_CNAME_CHAIN = 16;

/**
 * The records of the asked type at the end of the CNAME chain that starts at `qname`, in answer
 * order. Records owned by other names (which a server has no business sending) are ignored.
 */
export function extractAnswers(qname: string, qtype: RRType, answers: readonly WireAnswer[]): AnswerSection {
  const asked = qname.toLowerCase();
  let owner = asked;
  let cnames: string[] | undefined;
  if (qtype !== 'CNAME' && hasCname(answers)) {
    for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
      const alias = aliasOf(answers, owner);
      if (!alias) break;
      const target = hostName(String(alias.data));
      if (target === asked || cnames?.includes(target)) break; // a loop
      (cnames ??= []).push(target);
      owner = target;
    }
  }
  let records: string[] = [];
  let data: RecordData[] = [];
  let ttl: number | undefined;
  let count = 0;
  for (const answer of answers) {
    if (answer.type !== qtype || (answer.name !== owner && hostName(answer.name) !== owner)) continue;
    if (answer.class !== undefined && answer.class !== 'IN') continue;
    const presented = presentRecord(qtype, answer);
    // Most answers hold one record: a literal of one element is a quarter of the memory of an
    // array grown by push (which reserves 17 slots), and these arrays live as long as the scan.
    if (count === 0) {
      records = [presented.text];
      data = [presented.data];
    } else {
      records.push(presented.text);
      data.push(presented.data);
    }
    count++;
    if (typeof answer.ttl === 'number') ttl = ttl === undefined ? answer.ttl : Math.min(ttl, answer.ttl);
  }
  const section: AnswerSection = { records, data };
  if (ttl !== undefined) section.ttl = ttl;
  if (cnames !== undefined) section.cnames = cnames;
  return section;
}

function hasCname(answers: readonly WireAnswer[]): boolean {
  for (const answer of answers) if (answer.type === 'CNAME') return true;
  return false;
}

/** The CNAME record owned by `owner` (lower case), if any. */
function aliasOf(answers: readonly WireAnswer[], owner: string): WireAnswer | undefined {
  for (const answer of answers) if (answer.type === 'CNAME' && hostName(answer.name) === owner) return answer;
  return undefined;
}
