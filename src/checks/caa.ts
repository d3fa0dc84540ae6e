// CAA (RFC 8659): per-record validation of flags, tag and the issue/issuewild/iodef values, the
// statistics fields, and the grade. Never throws: malformed records become remarks.
import type { SiteScan } from '../dns/types';
import * as common from './common';
import { isDmarcUri } from './dmarc';
import type { AreaGrade } from './types';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { classify, dataAt, isHostName, recordCount, RemarkList, textAt } = common;

export interface CaaProperty {
  flags: number;
  tag: string; // lower case
  value: string;
}

export interface CaaAnalysis {
  lookup: 'records' | 'none' | 'failed';
  properties: CaaProperty[];
  acceptedIssue: number;
  acceptedIssuewild: number;
  validIodef: number;
  issueCount: number;
  issuewildCount: number;
  iodefCount: number;
  remarks: string[];
}

const KNOWN_TAGS = new Set(['issue', 'issuewild', 'iodef', 'issuemail', 'issuevmc', 'contactemail', 'contactphone']);

/** Reads one record's presentation text `flags tag "value"` (only when the scan stored no parsed data). */
function parsePresentation(text: string, remarks: string[]): CaaProperty | null {
  const match = /^(\S+) (\S+) (.*)$/s.exec(text);
  if (!match) {
    remarks.push('INVALID_PROPERTY_STRUCTURE');
    return null;
  }
  if (!/^[0-9]{1,3}$/.test(match[1]!) || Number(match[1]) > 255) {
    remarks.push('INVALID_FLAG');
    return null;
  }
  let value = match[3]!;
  const quotes = (value.match(/(?<!\\)"/g) ?? []).length;
  if (quotes !== 0 && !(quotes === 2 && value.startsWith('"') && value.endsWith('"') && value.length >= 2)) {
    remarks.push('VALUE_QUOTE_ERROR');
    return null;
  }
  if (quotes === 0 && /\s/.test(value)) {
    remarks.push('VALUE_NOT_QUOTED');
    return null;
  }
  if (quotes === 2) value = value.slice(1, -1).replace(/\\([0-9]{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e) & 0xff) : e));
  return { flags: Number(match[1]), tag: match[2]!, value };
}

const CAA_LABEL = /^[a-z0-9](?:-*[a-z0-9])*$/i;

/** RFC 8659 §4.2 issue-value: [issuer-domain-name] [";" parameters]. Returns the verdict. */
function checkIssueValue(value: string): 'issuer' | 'forbid' | 'bad-domain' | 'bad-parameters' {
  const semicolon = value.indexOf(';');
  const domain = (semicolon < 0 ? value : value.slice(0, semicolon)).trim();
  const parameters = semicolon < 0 ? '' : value.slice(semicolon + 1).trim();
  if (domain !== '' && !(domain.length <= 253 && domain.split('.').every((l) => l.length <= 63 && CAA_LABEL.test(l)))) {
    return 'bad-domain';
  }
  if (parameters !== '') {
    for (const parameter of parameters.split(';')) {
      const p = parameter.trim();
      if (p === '') continue;
      if (!/^[a-z0-9]+[ \t]*=[ \t]*[\x21-\x3a\x3c-\x7e]*$/i.test(p)) return 'bad-parameters';
    }
  }
  return domain === '' ? 'forbid' : 'issuer';
}

function checkIodef(value: string): 'valid' | 'no-scheme' | 'bad-email' | 'bad-url' {
  const lower = value.toLowerCase();
  if (lower.startsWith('mailto:')) return isDmarcUri(value) ? 'valid' : 'bad-email';
  if (lower.startsWith('http:') || lower.startsWith('https:')) {
    try {
      const url = new URL(value);
      return isHostName(url.hostname) && url.hostname.includes('.') ? 'valid' : 'bad-url';
    } catch {
      return 'bad-url';
    }
  }
  return 'no-scheme';
}

export function analyseCaa(scan: SiteScan): CaaAnalysis {
  const analysis: CaaAnalysis = {
    lookup: classify(scan.caa),
    properties: [],
    acceptedIssue: 0,
    acceptedIssuewild: 0,
    validIodef: 0,
    issueCount: 0,
    issuewildCount: 0,
    iodefCount: 0,
    remarks: [],
  };
  if (analysis.lookup !== 'records') return analysis;
  const remarks = analysis.remarks;
  const count = recordCount(scan.caa);
  for (let i = 0; i < count; i++) {
    const data = dataAt(scan.caa, i, 'CAA');
    let property: CaaProperty | null;
    if (data && typeof data.tag === 'string' && typeof data.value === 'string' && Number.isInteger(data.flags)) {
      property = { flags: data.flags, tag: data.tag, value: data.value };
    } else {
      const text = textAt(scan.caa, i);
      property = text === undefined ? (remarks.push('INVALID_PROPERTY_STRUCTURE'), null) : parsePresentation(text, remarks);
    }
    if (!property) continue;
    if (property.flags < 0 || property.flags > 255) {
      remarks.push('INVALID_FLAG');
      continue;
    }
    if ((property.flags & 0x7f) !== 0) remarks.push('RESERVED_FLAGS_SET');
    if (property.tag === '' || !/^[a-z0-9]+$/i.test(property.tag)) {
      remarks.push(property.tag === '' ? 'INVALID_PROPERTY_STRUCTURE' : 'INVALID_TAG');
      continue;
    }
    if (property.tag.length > 15) remarks.push('TAG_TOO_LONG');
    const tag = property.tag.toLowerCase(); // tags are case-insensitive (RFC 8659 §4.1)
    analysis.properties.push({ ...property, tag });
    if (!KNOWN_TAGS.has(tag)) {
      if (property.flags & 0x80) remarks.push('CRITICAL_UNKNOWN_TAG');
      continue;
    }
    if (tag === 'issue') analysis.issueCount++;
    else if (tag === 'issuewild') analysis.issuewildCount++;
    else if (tag === 'iodef') analysis.iodefCount++;
    if (property.value.includes('"')) {
      remarks.push('VALUE_QUOTE_ERROR'); // a stray quote: the record was mis-quoted in its zone file
      continue;
    }
    if (tag === 'issue' || tag === 'issuewild') {
      const verdict = checkIssueValue(property.value);
      if (verdict === 'bad-domain') remarks.push(tag === 'issue' ? 'ISSUE_DOMAIN_INVALID' : 'ISSUEWILD_DOMAIN_INVALID');
      else if (verdict === 'bad-parameters') remarks.push('INVALID_ISSUE_PARAMETERS');
      else if (tag === 'issue') analysis.acceptedIssue++;
      else analysis.acceptedIssuewild++;
    } else if (tag === 'iodef') {
      const verdict = checkIodef(property.value.trim());
      if (verdict === 'valid') analysis.validIodef++;
      else remarks.push(verdict === 'no-scheme' ? 'IODEF_NO_SCHEME' : verdict === 'bad-email' ? 'IODEF_INVALID_EMAIL' : 'IODEF_INVALID_URL');
    }
  }
  if (analysis.issueCount === 0) remarks.push('NO_ISSUE_PROPERTY');
  return analysis;
}

// Every remark costs 2 points except the informational one.
const FREE = new Set(['NO_ISSUE_PROPERTY']);

/** CAA grade (spec §10.2, §25.4 fixed): +85 issue, +10 issuewild, +5 valid iodef; −2 per other remark; 0..100. */
export function gradeCaa(analysis: CaaAnalysis): AreaGrade {
  const remarks = new RemarkList('caa');
  if (analysis.lookup === 'failed') {
    remarks.add('LOOKUP_FAILED');
    return remarks.grade(null);
  }
  if (analysis.lookup === 'none') {
    remarks.add('NO_CAA_RECORDS');
    return remarks.grade(0);
  }
  for (const name of analysis.remarks) remarks.add(name);
  let points = 0;
  if (analysis.acceptedIssue > 0) points += 85;
  if (analysis.acceptedIssuewild > 0) points += 10;
  if (analysis.validIodef > 0) points += 5;
  points -= 2 * remarks.count((name) => !FREE.has(name));
  return remarks.grade(points);
}
