// MX (RFC 5321 §5.1, RFC 7505 null MX, RFC 2181 §10.3): per-record validation, exchange
// resolution from the stored host lookups, and the grade. Never throws.
import type { HostAddresses, SiteScan } from '../dns/types';
import * as common from './common';
import type { AreaGrade } from './types';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { addressesOf, classify, dataAt, isHostName, isIpLiteral, normaliseName, recordCount, RemarkList, textAt } = common;

export interface MxEntry {
  preference: number;
  exchange: string; // lower case, no trailing dot; '' for the null MX target
}

export interface MxAnalysis {
  lookup: 'records' | 'none' | 'failed';
  entries: MxEntry[];
  total: number;
  valid: number;
  /** A single null MX (RFC 7505): the domain accepts no mail. */
  nullMx: boolean;
  /** A null MX appears among the records (alone or not). */
  hasNullMxRecord: boolean;
  remarks: string[];
}

// Top-level labels that never lead to the public DNS: RFC 6761 §6.3/6.4 (localhost, invalid),
// RFC 6762 (local), and the private-network names of ICANN's name-collision work. A full public
// suffix list is not needed for MX-3: whether the exchange resolves is checked separately.
const NON_PUBLIC_TLDS = new Set(['localhost', 'invalid', 'local', 'lan', 'home', 'corp', 'internal', 'intranet', 'private', 'localdomain']);

function readRecord(text: string | undefined, remarks: string[]): MxEntry | null {
  if (text === undefined || text === '') {
    remarks.push('BLANK_MX_RECORD');
    return null;
  }
  const parts = text.split(' ');
  if (parts.length > 2) {
    remarks.push('TOO_MANY_PARTS');
    return null;
  }
  if (parts.length < 2 || parts[1] === '') {
    remarks.push('TOO_FEW_PARTS');
    return null;
  }
  if (!/^[0-9]{1,10}$/.test(parts[0]!)) {
    remarks.push('INVALID_PREFERENCE');
    return null;
  }
  const preference = Number(parts[0]);
  if (preference > 65535) {
    remarks.push('PREFERENCE_OUT_OF_RANGE');
    return null;
  }
  const exchange = parts[1] === '.' ? '' : normaliseName(parts[1]!);
  return { preference, exchange };
}

export function analyseMx(scan: SiteScan): MxAnalysis {
  const lookup = classify(scan.mx);
  const analysis: MxAnalysis = { lookup, entries: [], total: 0, valid: 0, nullMx: false, hasNullMxRecord: false, remarks: [] };
  if (lookup !== 'records') return analysis;
  const remarks = analysis.remarks;
  const count = recordCount(scan.mx);
  analysis.total = count;
  const parsed: Array<MxEntry | null> = [];
  for (let i = 0; i < count; i++) {
    const data = dataAt(scan.mx, i, 'MX');
    if (data && typeof data.exchange === 'string' && Number.isInteger(data.preference)) {
      if (data.preference < 0 || data.preference > 65535) {
        remarks.push('PREFERENCE_OUT_OF_RANGE');
        parsed.push(null);
      } else parsed.push({ preference: data.preference, exchange: data.exchange === '.' ? '' : normaliseName(data.exchange) });
    } else parsed.push(readRecord(textAt(scan.mx, i), remarks));
  }
  const entries = parsed.filter((e): e is MxEntry => e !== null);
  analysis.entries = entries;
  const nulls = entries.filter((e) => e.exchange === '');
  analysis.hasNullMxRecord = nulls.length > 0;
  if (nulls.length > 0) {
    if (count === 1) {
      analysis.nullMx = true;
      remarks.push('NULL_MX');
      if (nulls[0]!.preference !== 0) remarks.push('NULL_MX_NONZERO_PREFERENCE');
      analysis.valid = 1;
      return analysis;
    }
    remarks.push('NULL_MX_WITH_OTHER_MX');
  }
  const domain = normaliseName(String(scan.domain ?? ''));
  const hosts = new Map<string, HostAddresses>();
  for (const host of Array.isArray(scan.mxHosts) ? scan.mxHosts : []) {
    if (host && typeof host.host === 'string') hosts.set(normaliseName(host.host), host);
  }
  const seen = new Map<string, boolean>(); // exchange → was valid
  for (const entry of entries) {
    const exchange = entry.exchange;
    if (exchange === '') continue; // counted invalid above
    if (seen.has(exchange)) {
      remarks.push('DUPLICATE_EXCHANGE');
      if (seen.get(exchange)) analysis.valid++;
      continue;
    }
    seen.set(exchange, false);
    if (isIpLiteral(exchange)) {
      remarks.push('EXCHANGE_IS_AN_IP');
      continue;
    }
    if (!isHostName(exchange)) {
      remarks.push('INVALID_EXCHANGE');
      continue;
    }
    const labels = exchange.split('.');
    if (labels.length < 2 || NON_PUBLIC_TLDS.has(labels[labels.length - 1]!)) {
      remarks.push('NOT_PUBLIC_DOMAIN');
      continue;
    }
    const host = hosts.get(exchange);
    if (host) {
      if ((host.a?.cnames?.length ?? 0) > 0 || (host.aaaa?.cnames?.length ?? 0) > 0) remarks.push('EXCHANGE_IS_CNAME');
      if (addressesOf(host.a, host.aaaa).length === 0) {
        if (classify(host.a) === 'failed' || classify(host.aaaa) === 'failed') remarks.push('EXCHANGE_ADDRESS_LOOKUP_FAILED');
        else {
          remarks.push('EXCHANGE_HAS_NO_ADDRESS');
          continue;
        }
      }
    }
    // The classic zone-file slip: a relative name completed with the origin twice.
    if (domain !== '' && exchange.endsWith(`${domain}.${domain}`)) remarks.push('POSSIBLE_BAD_EXCHANGE');
    seen.set(exchange, true);
    analysis.valid++;
  }
  return analysis;
}

const WARNING_DEDUCTION = 5;
const DEDUCTED = new Set(['POSSIBLE_BAD_EXCHANGE', 'EXCHANGE_IS_CNAME', 'DUPLICATE_EXCHANGE']);

/**
 * MX grade (spec §13.2, §25.7 fixed): 100 × valid ÷ total records, −5 per warning, integer 0..100.
 * A lone null MX is a valid "no mail" declaration (100). No MX at all is graded only when the
 * domain sends mail (its SPF authorises senders): 0; otherwise it is not applicable (null).
 */
export function gradeMx(analysis: MxAnalysis, sendsMail: boolean): AreaGrade {
  const remarks = new RemarkList('mx');
  if (analysis.lookup === 'failed') {
    remarks.add('LOOKUP_FAILED');
    return remarks.grade(null);
  }
  if (analysis.lookup === 'none') {
    remarks.add(sendsMail ? 'NO_MX_RECORDS' : 'NO_MAIL_SERVICE');
    return remarks.grade(sendsMail ? 0 : null);
  }
  for (const name of analysis.remarks) remarks.add(name);
  if (analysis.valid === 0 || analysis.total === 0) return remarks.grade(0);
  const ratio = (100 * analysis.valid) / analysis.total;
  return remarks.grade(Math.max(0, Math.round(ratio) - WARNING_DEDUCTION * remarks.count((n) => DEDUCTED.has(n))));
}
