// BIMI (draft-brand-indicators-for-message-identification, from -02 on): the default._bimi record
// and its DMARC prerequisite, all or nothing. Never throws.
import type { SiteScan } from '../dns/types';
import * as common from './common';
import type { DmarcAnalysis } from './dmarc';
import { RemarkLevel, type AreaGrade } from './types';
import { findRemark } from './remarks';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { classify, isHostName, RemarkList, txtRecords } = common;

export interface BimiAnalysis {
  lookup: 'records' | 'none' | 'failed';
  record: string | null;
  remarks: string[];
  /** The lookup of the record or of its DMARC prerequisite failed. */
  undetermined: boolean;
}

const LOOKS_LIKE_BIMI = /^\s*v\s*=\s*bimi/i;
const VALID_START = /^v[ \t]*=[ \t]*BIMI1[ \t]*(?:;|$)/;

function httpsUrl(text: string): 'https' | 'http' | 'invalid' {
  if (/^http:\/\//i.test(text)) return 'http';
  if (!/^https:\/\//i.test(text)) return 'invalid';
  try {
    const url = new URL(text);
    return isHostName(url.hostname) && url.hostname.includes('.') ? 'https' : 'invalid';
  } catch {
    return 'invalid';
  }
}

function checkDmarc(dmarc: DmarcAnalysis, remarks: string[]): boolean {
  if (dmarc.status === 'failed') return false;
  const record = dmarc.record;
  if (dmarc.status !== 'ok' || !record || dmarc.effectivePolicy === null) {
    remarks.push('DMARC_NOT_DEFINED');
    return true;
  }
  if (dmarc.effectivePolicy === 'none') {
    remarks.push('DMARC_STRICT_ENOUGH_POLICY');
    return true;
  }
  if ((record.pct ?? 100) !== 100 || record.invalid.has('pct')) remarks.push('DMARC_STRICT_ENOUGH_PERCENT');
  if (record.sp === 'none') remarks.push('DMARC_SUBDOMAIN_POLICY_NOT_STRICT');
  return true;
}

export function analyseBimi(scan: SiteScan, dmarc: DmarcAnalysis): BimiAnalysis {
  const lookup = classify(scan.bimi);
  const analysis: BimiAnalysis = { lookup, record: null, remarks: [], undetermined: false };
  if (lookup === 'failed') return { ...analysis, undetermined: true };
  const candidates = txtRecords(scan.bimi).filter((t) => LOOKS_LIKE_BIMI.test(t));
  const remarks = analysis.remarks;
  if (candidates.length === 0) {
    remarks.push('N0_BIMI_RECORDS');
    return analysis;
  }
  if (candidates.length > 1) {
    remarks.push('TOO_MANY_BIMI_RECORDS');
    return analysis;
  }
  const record = candidates[0]!;
  analysis.record = record;
  if (!checkDmarc(dmarc, remarks)) return { ...analysis, undetermined: true };
  if (!VALID_START.test(record)) {
    remarks.push('INVALID_START');
    return analysis;
  }
  const tags = new Map<string, string>();
  for (const rawPart of record.split(';')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const match = /^([A-Za-z0-9_]+)[ \t]*=[ \t]*(.*)$/s.exec(part);
    if (!match) continue;
    const tag = match[1]!.toLowerCase();
    if (tags.has(tag)) {
      if (!remarks.includes('DUPLICATE_TAG_FOUND')) remarks.push('DUPLICATE_TAG_FOUND');
      continue;
    }
    tags.set(tag, match[2]!.trim());
  }
  const logo = tags.get('l');
  const authority = tags.get('a');
  if (logo === undefined) remarks.push('LOGO_NOT_DEFINED');
  else if (logo === '') remarks.push(authority ? 'LOGO_LOCATION_BLANK' : 'BIMI_OPTED_OUT');
  else {
    for (const uri of logo.split(',').map((u) => u.trim())) {
      const kind = httpsUrl(uri);
      if (kind !== 'https') {
        remarks.push(kind === 'http' ? 'LOGO_NOT_HTTPS' : 'LOGO_INVALID_LOCATION');
        break;
      }
      if (!/\.svgz?$/i.test(new URL(uri).pathname)) {
        remarks.push('LOGO_INVALID_FORMAT');
        break;
      }
    }
  }
  if (authority !== undefined && authority !== '') {
    if (httpsUrl(authority) !== 'https') remarks.push('INVALID_AUTHORITY_LOCATION');
  } else if (logo) remarks.push('NO_AUTHORITY_EVIDENCE');
  return analysis;
}

/** BIMI grade (spec §14.1, §25.8 fixed): 100 when nothing but information is raised, else 0. */
export function gradeBimi(analysis: BimiAnalysis): AreaGrade {
  const remarks = new RemarkList('bimi');
  for (const name of analysis.remarks) remarks.add(name);
  if (analysis.undetermined) {
    remarks.add('LOOKUP_FAILED');
    return remarks.grade(null);
  }
  const blocking = remarks.refs.some((ref) => (findRemark(ref)?.level ?? RemarkLevel.Fatal) !== RemarkLevel.Info);
  return remarks.grade(blocking ? 0 : 100);
}
