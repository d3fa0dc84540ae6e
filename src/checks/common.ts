// Small pure helpers shared by the graders: lookup outcome classes, record access that never
// throws on odd stored data, host-name and address checks.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { QueryOutcome, RecordData } from '../dns/types';
import { LOOKUP_FAILURE_STATUSES } from '../dns/types';
import type { AreaGrade, GradedArea, RemarkRef } from './types';
import { remark } from './remarks';

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
      out.push(data.strings.map((s) => (typeof s === 'string' ? s : '')).join(''));
      continue;
    }
    const text = textAt(outcome, i);
    const strings = text === undefined ? null : parseTxtPresentation(text);
    if (strings) out.push(strings.join(''));
  }
  return out;
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * RFC 1123 §2.1 host name (letters, digits, inner hyphens; a label may start with a digit), at
 * most 253 characters, one optional trailing dot. The root and empty names are not host names.
 */
export function isHostName(name: string): boolean {
  if (typeof name !== 'string') return false;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  for (const label of bare.split('.')) if (!HOST_LABEL.test(label)) return false;
  return true;
}

/** Like isHostName, but service labels with underscores (`_spf.example.com`) are allowed. */
export function isDnsName(name: string): boolean {
  if (typeof name !== 'string') return false;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  for (const label of bare.split('.')) if (!/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(label)) return false;
  return true;
}

export function normaliseName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** True when `host` is `domain` or below it, on label boundaries. */
export function isAtOrBelow(host: string, domain: string): boolean {
  return host === domain || (host.length > domain.length && host.endsWith(domain) && host[host.length - domain.length - 1] === '.');
}

export function isIpLiteral(text: string): boolean {
  return typeof text === 'string' && !text.includes('%') && (isIPv4(text) || isIPv6(text));
}

// Special-purpose blocks that are not globally reachable (IANA special-purpose registries, as
// Python's ipaddress.is_global, plus multicast). node:net's BlockList does the prefix matching.
// (No ::ffff:0:0/96 entry: BlockList would then match every IPv4 address checked.)
const NON_GLOBAL = new BlockList();
for (const [net, len] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_GLOBAL.addSubnet(net, len, 'ipv4');
for (const [net, len] of [
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
  ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NON_GLOBAL.addSubnet(net, len, 'ipv6');

/** False for private, loopback, link-local, documentation, shared, reserved, multicast... addresses. */
export function isGlobalAddress(address: string): boolean {
  if (isIPv4(address)) return !NON_GLOBAL.check(address, 'ipv4');
  if (isIPv6(address) && !address.includes('%')) return !NON_GLOBAL.check(address, 'ipv6');
  return false;
}

/** The addresses an A/AAAA pair of lookups returned. */
export function addressesOf(...outcomes: Array<QueryOutcome | undefined>): string[] {
  const out: string[] = [];
  for (const outcome of outcomes) {
    if (!outcome || classify(outcome) !== 'records') continue;
    const count = recordCount(outcome);
    for (let i = 0; i < count; i++) {
      const data = outcome.data?.[i];
      const address = data && (data.type === 'A' || data.type === 'AAAA') ? data.address : textAt(outcome, i);
      if (typeof address === 'string' && isIpLiteral(address)) out.push(address);
    }
  }
  return out;
}

/** Collects the remarks of one area and builds its AreaGrade. */
export class RemarkList {
  readonly refs: RemarkRef[] = [];
  readonly names: string[] = [];
  constructor(readonly area: GradedArea) {}
  add(name: string): void {
    this.refs.push(remark(this.area, name));
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
