// Small pure helpers shared by the graders: lookup outcome classes, record access that never
// throws on odd stored data, host-name and address checks.
import { isIPv6 } from 'node:net';
import type { QueryOutcome, RecordData } from '../dns/types';
import { LOOKUP_FAILURE_STATUSES } from '../dns/types';
import type { AreaGrade, GradedArea, RemarkRef } from './types';
import * as remarks from './remarks';

const FAILURE = new Set<string>(LOOKUP_FAILURE_STATUSES);

/** How a stored lookup ended, as the graders need it. */
export type LookupClass = 'records' | 'none' | 'failed';

/**
 * 'records': an answer with records; 'none': NODATA/NXDOMAIN (or NOERROR with nothing usable);
 * 'failed': the answer could not be had (SERVFAIL, timeout, ..., SKIPPED, or missing from the scan).
 */
export function classify(outcome: QueryOutcome | undefined | null): LookupClass {
  if (!outcome || typeof outcome !== 'object') return 'failed';
  const status = outcome.status;
  if (status === 'NXDOMAIN' || status === 'NODATA') return 'none';
  if (status === 'NOERROR') return recordCount(outcome) > 0 ? 'records' : 'none';
  if (FAILURE.has(status) || status === 'SKIPPED') return 'failed';
  return 'failed';
}

export function recordCount(outcome: QueryOutcome): number {
  const records = Array.isArray(outcome.records) ? outcome.records.length : 0;
  const data = Array.isArray(outcome.data) ? outcome.data.length : 0;
  return Math.max(records, data);
}

/** The parsed data of record `index` if the scan stored it with the expected type. */
export function dataAt<T extends RecordData['type']>(
  outcome: QueryOutcome,
  index: number,
  type: T,
): (RecordData & { type: T }) | undefined {
  const data = Array.isArray(outcome.data) ? outcome.data[index] : undefined;
  if (data && typeof data === 'object' && data.type === type) return data as RecordData & { type: T };
  return undefined;
}

export function textAt(outcome: QueryOutcome, index: number): string | undefined {
  const text = Array.isArray(outcome.records) ? outcome.records[index] : undefined;
  return typeof text === 'string' ? text : undefined;
}

/**
 * Reads dnspython-style TXT presentation text (`"a" "b\"c" "\255"`) into its character-strings.
 * Written by hand because no installed library parses presentation format; only used when the
 * scan did not store parsed data. Returns null when the text is not a sequence of quoted strings.
 */
export function parseTxtPresentation(text: string): string[] | null {
  const strings: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    if (i >= n) break;
    if (text[i] !== '"') return null;
    i++;
    let current = '';
    let closed = false;
    while (i < n) {
      const ch = text[i]!;
      if (ch === '"') {
        closed = true;
        i++;
        break;
      }
      if (ch === '\\') {
        const digits = /^[0-9]{3}/.exec(text.slice(i + 1, i + 4));
        if (digits) {
          current += String.fromCharCode(Number(digits[0]) & 0xff);
          i += 4;
        } else if (i + 1 < n) {
          current += text[i + 1];
          i += 2;
        } else return null;
        continue;
      }
      current += ch;
      i++;
    }
    if (!closed) return null;
    strings.push(current);
  }
  return strings.length > 0 ? strings : null;
}

/**
 * The TXT records of an answer, each the concatenation of its character-strings with no
 * separator (RFC 7208 §3.3, RFC 7489 §6.6.2). Records that cannot be read are skipped.
 */
export function txtRecords(outcome: QueryOutcome | undefined): string[] {
  if (!outcome || classify(outcome) !== 'records') return [];
  const out: string[] = [];
  const count = recordCount(outcome);
  for (let i = 0; i < count; i++) {
    const data = dataAt(outcome, i, 'TXT');
    if (data && Array.isArray(data.strings)) {
      const strings = data.strings;
      if (strings.length === 1 && typeof strings[0] === 'string') out.push(strings[0]);
      else out.push(strings.map((s) => (typeof s === 'string' ? s : '')).join(''));
      continue;
    }
    const text = textAt(outcome, i);
    const strings = text === undefined ? null : parseTxtPresentation(text);
    if (strings) out.push(strings.join(''));
  }
  return out;
}

// One expression over the whole name: faster than splitting into labels on the hot path.
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?$/i;
const DNS_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

/**
 * RFC 1123 §2.1 host name (letters, digits, inner hyphens; a label may start with a digit), at
 * most 253 characters, one optional trailing dot. The root and empty names are not host names.
 */
export function isHostName(name: string): boolean {
  if (typeof name !== 'string') return false;
  const length = name.endsWith('.') ? name.length - 1 : name.length;
  return length > 0 && length <= 253 && HOST_NAME.test(name);
}

/** Like isHostName, but service labels with underscores (`_spf.example.com`) are allowed. */
export function isDnsName(name: string): boolean {
  if (typeof name !== 'string') return false;
  const length = name.endsWith('.') ? name.length - 1 : name.length;
  return length > 0 && length <= 253 && DNS_NAME.test(name);
}

/** Lower case, no trailing dot. Names the scanner stored are already so; they are returned as they are. */
export function normaliseName(name: string): string {
  let clean = name.charCodeAt(name.length - 1) !== 46; // '.'
  for (let i = 0; clean && i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) clean = false;
  }
  if (clean) return name;
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** True when `host` is `domain` or below it, on label boundaries. */
export function isAtOrBelow(host: string, domain: string): boolean {
  return host === domain || (host.length > domain.length && host.endsWith(domain) && host[host.length - domain.length - 1] === '.');
}

export function isIpLiteral(text: string): boolean {
  if (typeof text !== 'string' || text.includes('%')) return false;
  // Cheap screen first: node's IPv6 test is a very long regular expression.
  if (text.includes(':')) return isIPv6(text);
  return STRICT_IPV4.test(text);
}

// Special-purpose blocks that are not globally reachable (IANA special-purpose registries, as
// Python's ipaddress.is_global, plus multicast). Matched by hand on the parsed address: node:net's
// BlockList allocates a SocketAddress per check, which dominated the grading profile.
const NON_GLOBAL_V4: ReadonlyArray<[number, number]> = (
  [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
    ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
    ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const
).map(([net, len]) => [ipv4ToInt(net), len]);

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
/** Dotted-quad IPv4 without leading zeros (as RFC 7208's ip4-network and node's isIPv4). */
export const STRICT_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

function ipv4ToInt(address: string): number {
  const parts = address.split('.');
  return ((Number(parts[0]) << 24) | (Number(parts[1]) << 16) | (Number(parts[2]) << 8) | Number(parts[3])) >>> 0;
}

/** The eight 16-bit groups of a valid IPv6 address (embedded IPv4 tails included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    const v4 = ipv4ToInt(text.slice(lastColon + 1));
    tail.push(v4 >>> 16, v4 & 0xffff);
    text = text.slice(0, lastColon); // '::ffff', '64:ff9b:' (from '64:ff9b::a.b.c.d'), ':' (from '::a.b.c.d')
    if (text.endsWith(':') && !text.endsWith('::')) text += ':';
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':').filter((g) => g !== '').map((g) => parseInt(g, 16)) : [];
  const restGroups = rest ? rest.split(':').filter((g) => g !== '').map((g) => parseInt(g, 16)) : [];
  const missing = 8 - headGroups.length - restGroups.length - tail.length;
  return [...headGroups, ...new Array<number>(Math.max(0, missing)).fill(0), ...restGroups, ...tail];
}

const NON_GLOBAL_V6: ReadonlyArray<[number[], number]> = (
  [
    ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
    ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
  ] as const
).map(([net, len]) => [ipv6Groups(net), len]);

function inPrefix6(groups: number[], network: number[], length: number): boolean {
  for (let i = 0; i < 8 && length > 0; i++, length -= 16) {
    const bits = Math.min(16, length);
    const mask = (0xffff << (16 - bits)) & 0xffff;
    if ((groups[i]! & mask) !== (network[i]! & mask)) return false;
  }
  return true;
}

// Name-server and mail-host addresses repeat across many sites: remember recent verdicts (a pure
// function, so the cache changes nothing but speed; bounded so memory does not grow with a run).
const GLOBAL_CACHE = new Map<string, boolean>();
const GLOBAL_CACHE_LIMIT = 20_000;

/** False for private, loopback, link-local, documentation, shared, reserved, multicast... addresses. */
export function isGlobalAddress(address: string): boolean {
  if (typeof address !== 'string') return false;
  let verdict = GLOBAL_CACHE.get(address);
  if (verdict === undefined) {
    verdict = computeIsGlobal(address);
    if (GLOBAL_CACHE.size >= GLOBAL_CACHE_LIMIT) GLOBAL_CACHE.clear();
    GLOBAL_CACHE.set(address, verdict);
  }
  return verdict;
}

function computeIsGlobal(address: string): boolean {
  if (!address.includes(':')) {
    if (!STRICT_IPV4.test(address)) return false;
    const value = ipv4ToInt(address);
    for (const [network, length] of NON_GLOBAL_V4) {
      if (length === 0 || (value ^ network) >>> (32 - length) === 0) return false;
    }
    return true;
  }
  if (address.includes('%') || !isIPv6(address)) return false;
  const groups = ipv6Groups(address);
  if (groups.length !== 8) return false;
  // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const v4 = `${groups[6]! >>> 8}.${groups[6]! & 0xff}.${groups[7]! >>> 8}.${groups[7]! & 0xff}`;
    return computeIsGlobal(v4);
  }
  for (const [network, length] of NON_GLOBAL_V6) if (inPrefix6(groups, network, length)) return false;
  return true;
}

/** The addresses an A/AAAA pair of lookups returned. */
export function addressesOf(...outcomes: Array<QueryOutcome | undefined>): string[] {
  const out: string[] = [];
  for (const outcome of outcomes) {
    if (!outcome || classify(outcome) !== 'records') continue;
    const count = recordCount(outcome);
    for (let i = 0; i < count; i++) {
      const data = outcome.data?.[i];
      if (data && (data.type === 'A' || data.type === 'AAAA') && typeof data.address === 'string') {
        out.push(data.address); // decoded from the wire: already an address
        continue;
      }
      const text = textAt(outcome, i);
      if (text !== undefined && isIpLiteral(text)) out.push(text);
    }
  }
  return out;
}

// Bound once (see spf.ts on tsx's export getters).
const remarkValueOf = remarks.remarkValue;

/** Collects the remarks of one area and builds its AreaGrade. */
export class RemarkList {
  readonly refs: RemarkRef[] = [];
  readonly names: string[] = [];
  constructor(readonly area: GradedArea) {}
  add(name: string): void {
    this.refs.push({ type: this.area, value: remarkValueOf(this.area, name) });
    this.names.push(name);
  }
  addOnce(name: string): void {
    if (!this.names.includes(name)) this.add(name);
  }
  has(name: string): boolean {
    return this.names.includes(name);
  }
  count(predicate: (name: string) => boolean): number {
    let n = 0;
    for (const name of this.names) if (predicate(name)) n++;
    return n;
  }
  grade(value: number | null): AreaGrade {
    return { grade: value === null ? null : clampGrade(value), remarks: this.refs };
  }
}

export function clampGrade(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}
