// SOA (RFC 1035 §3.3.13, RFC 1912 §2.2, RFC 2181 §8, RFC 2308 §5): fields, timer sanity, serial
// consistency across the name servers. Never throws.
import type { SiteScan, SoaData } from '../dns/types';
import * as common from './common';
import type { AreaGrade } from './types';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { classify, dataAt, isHostName, recordCount, RemarkList, textAt } = common;

export interface SoaAnalysis {
  lookup: 'records' | 'none' | 'failed';
  soa: SoaData | null;
  /** 'ok', or the fatal problem. */
  status: 'ok' | 'absent' | 'failed' | 'too-many' | 'invalid';
  remarks: string[];
}

const UINT32_MAX = 4294967295;
const TTL_MAX = 2147483647;

/** Splits presentation labels, honouring `\.` escapes (an RNAME's local part may contain dots). */
function labelsOf(name: string): string[] | null {
  const labels: string[] = [];
  let current = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '\\') {
      if (i + 1 >= name.length) return null;
      current += name[i + 1];
      i++;
    } else if (ch === '.') {
      labels.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') labels.push(current);
  return labels;
}

/** RNAME is a mailbox: any first label (RFC 1035 §8), then a host name. */
function isMailboxName(name: string): boolean {
  const labels = labelsOf(name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name);
  if (!labels || labels.length < 2 || labels[0]!.length === 0 || labels[0]!.length > 63) return false;
  return isHostName(labels.slice(1).join('.'));
}

const FIELDS = ['serial', 'refresh', 'retry', 'expire', 'minimum'] as const;
const INVALID_CODE = { serial: 'INVALID_SERIAL', refresh: 'INVALID_REFRESH', retry: 'INVALID_RETRY', expire: 'INVALID_EXPIRE', minimum: 'INVALID_MINIMUM' };
const RANGE_CODE = { serial: 'SERIAL_NOT_IN_RANGE', refresh: 'REFRESH_NOT_IN_RANGE', retry: 'RETRY_NOT_IN_RANGE', expire: 'EXPIRE_NOT_IN_RANGE', minimum: 'MINIMUM_NOT_IN_RANGE' };

function readSoa(scan: SiteScan, remarks: string[]): SoaData | null {
  const data = dataAt(scan.soa, 0, 'SOA');
  let fields: { mname: unknown; rname: unknown; [k: string]: unknown };
  if (data) fields = data as unknown as typeof fields;
  else {
    const text = textAt(scan.soa, 0);
    const parts = text === undefined ? [] : text.split(' ');
    if (parts.length !== 7) return null;
    fields = { mname: parts[0], rname: parts[1] };
    FIELDS.forEach((f, i) => (fields[f] = parts[i + 2]));
  }
  const soa = { mname: String(fields.mname ?? ''), rname: String(fields.rname ?? '') } as SoaData;
  if (!isHostName(soa.mname)) remarks.push('INVALID_MNAME');
  if (!isMailboxName(soa.rname)) remarks.push('INVALID_RNAME');
  for (const field of FIELDS) {
    const raw = fields[field];
    // Decimal digits only (SOA-5).
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^[0-9]{1,20}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < 0) {
      remarks.push(INVALID_CODE[field]);
      soa[field] = -1;
      continue;
    }
    soa[field] = value;
    if (value > (field === 'serial' ? UINT32_MAX : TTL_MAX)) remarks.push(RANGE_CODE[field]);
  }
  return soa;
}

export function analyseSoa(scan: SiteScan): SoaAnalysis {
  const lookup = classify(scan.soa);
  const analysis: SoaAnalysis = { lookup, soa: null, status: 'ok', remarks: [] };
  if (lookup === 'failed') return { ...analysis, status: 'failed' };
  if (lookup === 'none') return { ...analysis, status: 'absent' };
  if (recordCount(scan.soa) > 1) return { ...analysis, status: 'too-many' };
  const remarks = analysis.remarks;
  const soa = readSoa(scan, remarks);
  if (!soa) return { ...analysis, status: 'invalid' };
  analysis.soa = soa;
  const { refresh, retry, expire, minimum } = soa;
  if (refresh >= 0) {
    if (refresh < 1200) remarks.push('REFRESH_TOO_SHORT');
    else if (refresh > 43200) remarks.push('REFRESH_TOO_LONG');
  }
  if (retry >= 0 && refresh >= 0 && retry >= refresh) remarks.push('RETRY_NOT_BELOW_REFRESH');
  if (expire >= 0) {
    if (expire < 604800) remarks.push('EXPIRE_TOO_SHORT');
    if (refresh >= 0 && retry >= 0 && expire <= refresh + retry) remarks.push('EXPIRE_NOT_ABOVE_REFRESH_PLUS_RETRY');
  }
  if (minimum >= 0) {
    if (minimum < 300) remarks.push('MINIMUM_TOO_SHORT');
    else if (minimum > 86400) remarks.push('MINIMUM_TOO_LONG');
  }
  const serials = new Set<number>();
  if (soa.serial >= 0) serials.add(soa.serial);
  for (const server of Array.isArray(scan.nameServers) ? scan.nameServers : []) {
    for (const entry of Array.isArray(server?.direct) ? server.direct : []) {
      const direct = entry?.soa;
      if (classify(direct) !== 'records') continue;
      const data = dataAt(direct, 0, 'SOA');
      const serial = data ? data.serial : Number(textAt(direct, 0)?.split(' ')[2]);
      if (Number.isInteger(serial)) serials.add(serial);
    }
  }
  if (serials.size > 1) remarks.push('SERIAL_INCONSISTENT');
  return analysis;
}

/** SOA grade (spec §12.2, §25.6 fixed): 0 without a usable single SOA; else 100 − 5 per remark, floor 0. */
export function gradeSoa(analysis: SoaAnalysis): AreaGrade {
  const remarks = new RemarkList('soa');
  switch (analysis.status) {
    case 'failed':
      remarks.add('LOOKUP_FAILED');
      return remarks.grade(null);
    case 'absent':
      remarks.add('NO_SOA');
      return remarks.grade(0);
    case 'too-many':
      remarks.add('TOO_MANY_SOA');
      return remarks.grade(0);
    case 'invalid':
      remarks.add('SOA_INVALID');
      return remarks.grade(0);
  }
  for (const name of analysis.remarks) remarks.add(name);
  return remarks.grade(100 - 5 * analysis.remarks.length);
}
