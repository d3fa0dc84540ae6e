// DMARC (RFC 7489): record selection at _dmarc.<domain>, tag parsing and validation, the facts the
// statistics need, and the grade. Never throws: malformed records become remarks.
import type { SiteScan } from '../dns/types';
import * as common from './common';
import type { AreaGrade } from './types';
import { DMARC_POLICY_ID } from './tables';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { classify, isHostName, RemarkList, txtRecords } = common;

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcRecord {
  text: string;
  tags: Map<string, string>;
  /** Validated values; null when the tag is absent or invalid. */
  p: DmarcPolicy | null;
  sp: DmarcPolicy | null;
  /** The tag is present but its value is invalid. */
  invalid: Set<string>;
  pct: number | null;
  fo: string[] | null;
  ruaValid: boolean;
  rufValid: boolean;
  remarks: string[];
}

export interface DmarcAnalysis {
  lookup: 'records' | 'none' | 'failed';
  /** 'ok' = exactly one record starting with v=DMARC1. */
  status: 'failed' | 'absent' | 'invalid-start' | 'multiple' | 'ok';
  record: DmarcRecord | null;
  /** The policy receivers apply: p, or none when p is missing/invalid but rua is valid (RFC 7489 §6.6.3). */
  effectivePolicy: DmarcPolicy | null;
  /** The texts of the DMARC-looking records, in answer order. */
  texts: string[];
}

const VALID_START = /^v[ \t]*=[ \t]*DMARC1[ \t]*(?:;|$)/;
const LOOKS_LIKE_DMARC = /^\s*v\s*=\s*dmarc/i;
const POLICIES = new Set(['none', 'quarantine', 'reject']);
const KNOWN_TAGS = new Set(['v', 'p', 'sp', 'adkim', 'aspf', 'fo', 'pct', 'rf', 'ri', 'rua', 'ruf', 'np', 'psd', 't']);

/** A DMARC URI (RFC 7489 §6.2): a URI with a scheme, optional `!size[kmgt]`; mailto needs an address. */
export function isDmarcUri(text: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):([^!\s]+)(?:!([0-9]+)[kmgt]?)?$/i.exec(text.trim());
  if (!match) return false;
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  if (scheme === 'mailto') {
    const at = rest.lastIndexOf('@');
    if (at <= 0) return false;
    const local = rest.slice(0, at);
    const domain = rest.slice(at + 1);
    return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local) && isHostName(domain) && domain.includes('.');
  }
  if (scheme === 'http' || scheme === 'https') {
    try {
      const url = new URL(`${scheme}:${rest}`);
      return isHostName(url.hostname) || url.hostname.startsWith('[');
    } catch {
      return false;
    }
  }
  return true;
}

function parseRecord(text: string): DmarcRecord {
  const record: DmarcRecord = {
    text,
    tags: new Map(),
    p: null,
    sp: null,
    invalid: new Set(),
    pct: null,
    fo: null,
    ruaValid: false,
    rufValid: false,
    remarks: [],
  };
  const remarks = record.remarks;
  const order: string[] = [];
  for (const rawPart of text.split(';')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const match = /^([A-Za-z0-9_]+)[ \t]*=[ \t]*(.*)$/s.exec(part);
    if (!match) {
      remarks.push('INVALID_TAG_SYNTAX');
      continue;
    }
    const tag = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    order.push(tag);
    if (record.tags.has(tag)) {
      if (!remarks.includes('DUPLICATE_TAG')) remarks.push('DUPLICATE_TAG');
      continue; // the first occurrence counts
    }
    record.tags.set(tag, value);
    if (!KNOWN_TAGS.has(tag) && !remarks.includes('UNKNOWN_TAG')) remarks.push('UNKNOWN_TAG');
  }
  const tags = record.tags;
  const bad = (tag: string, code: string): void => {
    record.invalid.add(tag);
    remarks.push(code);
  };
  const p = tags.get('p');
  if (p === undefined) remarks.push('NO_POLICY_TAG');
  else if (POLICIES.has(p.toLowerCase())) record.p = p.toLowerCase() as DmarcPolicy;
  else bad('p', 'INVALID_POLICY');
  if (p !== undefined && order[1] !== 'p') remarks.push('POLICY_NOT_SECOND_TAG');

  const sp = tags.get('sp');
  if (sp !== undefined) {
    if (POLICIES.has(sp.toLowerCase())) record.sp = sp.toLowerCase() as DmarcPolicy;
    else bad('sp', 'INVALID_SUBDOMAIN_POLICY');
  }
  const adkim = tags.get('adkim');
  if (adkim !== undefined && !/^[rs]$/i.test(adkim)) bad('adkim', 'INVALID_ADKIM_VALUE');
  const aspf = tags.get('aspf');
  if (aspf !== undefined && !/^[rs]$/i.test(aspf)) bad('aspf', 'INVALID_ASPF_VALUE');
  const fo = tags.get('fo');
  if (fo !== undefined) {
    const options = fo.split(':').map((o) => o.trim().toLowerCase());
    if (options.every((o) => /^[01ds]$/.test(o))) record.fo = options;
    else bad('fo', 'INVALID_FAILURE_REPORTING_VALUE');
  }
  const pct = tags.get('pct');
  if (pct !== undefined) {
    if (/^[0-9]{1,3}$/.test(pct) && Number(pct) <= 100) record.pct = Number(pct);
    else bad('pct', 'INVALID_PCT_VALUE');
  }
  const rf = tags.get('rf');
  if (rf !== undefined && !rf.split(':').every((f) => f.trim().toLowerCase() === 'afrf')) bad('rf', 'INVALID_RF_VALUE');
  const ri = tags.get('ri');
  if (ri !== undefined && !(/^[0-9]{1,10}$/.test(ri) && Number(ri) <= 4294967295)) bad('ri', 'INVALID_RI_VALUE');
  for (const [tag, code] of [['rua', 'INVALID_RUA_URI'], ['ruf', 'INVALID_RUF_URI']] as const) {
    const value = tags.get(tag);
    if (value === undefined) continue;
    const uris = value.split(',');
    const valid = uris.filter(isDmarcUri).length;
    if (valid < uris.length) bad(tag, code);
    if (valid > 0) {
      if (tag === 'rua') record.ruaValid = true;
      else record.rufValid = true;
    }
  }
  return record;
}

export function analyseDmarc(scan: SiteScan): DmarcAnalysis {
  const cls = classify(scan.dmarc);
  if (cls === 'failed') return { lookup: cls, status: 'failed', record: null, effectivePolicy: null, texts: [] };
  const texts = txtRecords(scan.dmarc).filter((t) => LOOKS_LIKE_DMARC.test(t));
  const valid = texts.filter((t) => VALID_START.test(t));
  if (valid.length > 1) return { lookup: cls, status: 'multiple', record: null, effectivePolicy: null, texts };
  if (valid.length === 0) {
    return { lookup: cls, status: texts.length > 0 ? 'invalid-start' : 'absent', record: null, effectivePolicy: null, texts };
  }
  const record = parseRecord(valid[0]!);
  const effectivePolicy = record.p ?? (record.ruaValid ? 'none' : null);
  return { lookup: cls, status: 'ok', record, effectivePolicy, texts };
}

export interface DmarcFacts {
  hasDmarc: boolean;
  dmarcRecord: string | null;
  dmarcPolicyId: number;
  dmarcSubPolicyId: number;
  hasDmarcAggregateReporting: boolean;
  hasDmarcForensicReporting: boolean;
}

export function dmarcFacts(analysis: DmarcAnalysis): DmarcFacts {
  const record = analysis.record;
  if (analysis.status === 'multiple') {
    return {
      hasDmarc: true,
      dmarcRecord: analysis.texts.find((t) => VALID_START.test(t)) ?? null,
      dmarcPolicyId: DMARC_POLICY_ID.invalid,
      dmarcSubPolicyId: DMARC_POLICY_ID.invalid,
      hasDmarcAggregateReporting: false,
      hasDmarcForensicReporting: false,
    };
  }
  if (!record) {
    return {
      hasDmarc: false,
      dmarcRecord: null,
      dmarcPolicyId: DMARC_POLICY_ID.no_policy,
      dmarcSubPolicyId: DMARC_POLICY_ID.no_policy,
      hasDmarcAggregateReporting: false,
      hasDmarcForensicReporting: false,
    };
  }
  const policyId = (tag: 'p' | 'sp'): number => {
    if (record[tag]) return DMARC_POLICY_ID[record[tag]!];
    return record.tags.has(tag) ? DMARC_POLICY_ID.invalid : DMARC_POLICY_ID.no_policy;
  };
  return {
    hasDmarc: true,
    dmarcRecord: record.text,
    dmarcPolicyId: policyId('p'),
    dmarcSubPolicyId: policyId('sp'),
    hasDmarcAggregateReporting: record.ruaValid,
    hasDmarcForensicReporting: record.rufValid,
  };
}

const POLICY_POINTS: Record<DmarcPolicy, number> = { none: 10, quarantine: 30, reject: 60 };
const SUB_POLICY_POINTS: Record<DmarcPolicy, number> = { none: 0, quarantine: 10, reject: 15 };

/** pct bands, made monotonic (DM-3): 0 → −2, 1–70 → +1, 71–89 → +3, 90–99 → +4, 100 (or absent) → +5. */
export function pctPoints(pct: number): number {
  if (pct === 0) return -2;
  if (pct <= 70) return 1;
  if (pct <= 89) return 3;
  if (pct <= 99) return 4;
  return 5;
}

/**
 * DMARC grade (spec §9.3 points, §25.3 fixed): policy none/quarantine/reject 10/30/60; strict
 * adkim +5, strict aspf +5; fo 1 → +4, d or s → +2; sub-policy (sp, else p) 0/10/15; pct bands;
 * valid rua +5, valid ruf +5; capped at 100. An invalid tag earns none of its points.
 */
export function gradeDmarc(analysis: DmarcAnalysis): AreaGrade {
  const remarks = new RemarkList('dmarc');
  switch (analysis.status) {
    case 'failed':
      remarks.add('LOOKUP_FAILED');
      return remarks.grade(null);
    case 'absent':
      remarks.add('NO_DMARC_RECORD');
      return remarks.grade(0);
    case 'invalid-start':
      remarks.add('INVALID_DMARC_RECORD_START');
      return remarks.grade(0);
    case 'multiple':
      remarks.add('MULTIPLE_DMARC_RECORDS');
      return remarks.grade(0);
  }
  const record = analysis.record!;
  for (const name of record.remarks) remarks.add(name);
  const policy = analysis.effectivePolicy;
  if (policy === null) return remarks.grade(0); // receivers ignore a record without a usable policy
  if (record.p === 'none') remarks.add('POLICY_NONE');
  let points = POLICY_POINTS[policy];
  if (record.tags.get('adkim')?.toLowerCase() === 's') points += 5;
  if (record.tags.get('aspf')?.toLowerCase() === 's') points += 5;
  if (record.fo) points += record.fo.includes('1') ? 4 : record.fo.includes('d') || record.fo.includes('s') ? 2 : 0;
  if (!record.invalid.has('sp')) points += SUB_POLICY_POINTS[record.sp ?? policy];
  if (!record.invalid.has('pct')) points += pctPoints(record.pct ?? 100);
  if (record.ruaValid) points += 5;
  if (record.rufValid) points += 5;
  return remarks.grade(points);
}
