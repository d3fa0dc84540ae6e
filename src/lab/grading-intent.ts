// The grade arithmetic the lab's expectations are stated in: spec §8–§14 with the §25 corrections
// and §27's "keep the point tables", written out independently of src/checks (which it is meant
// to check). Scenarios call these with what they deliberately put in the records; nothing here
// parses a record.
import type { GradedArea } from '../checks/types';

export interface AreaExpectation {
  /** 0..100, or null when the area cannot be determined (its lookup failed) or does not apply. */
  grade: number | null;
  /** Remark enum names of the area (src/checks/remarks.ts), with repeats, in no particular order. */
  remarks: string[];
}

export type SiteGradeExpectations = Record<GradedArea, AreaExpectation>;

const clamp = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));
const lookupFailed = (): AreaExpectation => ({ grade: null, remarks: ['LOOKUP_FAILED'] });

export type SpfQualifier = '-all' | '~all' | '?all' | '+all' | 'none';

// Remarks that make receivers return permerror (RFC 7208): the record is unusable (SPF-22).
const SPF_PERMERROR = new Set([
  'INVALID_RECORD_START',
  'INVALID_INCLUDE_FORMAT',
  'INCLUDE_RETURNED_MANY_SPF',
  'INVALID_A_MECHANISM',
  'INVALID_MX_MECHANISM',
  'TOO_MANY_MX_RECORDS_RETURNED',
  'INVALID_REDIRECT_MECHANISM',
  'NO_RECORD_AT_REDIRECT',
  'REDIRECT_RETURNED_MANY_SPF',
  'INVALID_IPV4_MECHANISM',
  'INVALID_IPV6_MECHANISM',
  'INVALID_MECHANISM',
  'MULTIPLE_SPF_RECORDS',
  'INVALID_IPV4_CIDR',
  'INVALID_IPV6_CIDR',
  'INVALID_IPV4_VALUE',
  'INVALID_IPV6_VALUE',
  'TOO_MANY_DNS_LOOKUPS',
  'TOO_MANY_VOID_LOOKUPS',
  'INCLUDE_NO_SPF_RECORD',
  'INCLUDE_LOOP',
  'REDIRECT_LOOP',
  'MULTIPLE_REDIRECT_MODIFIERS',
  'MULTIPLE_EXP_MODIFIERS',
  'INVALID_EXISTS_MECHANISM',
  'INVALID_MACRO',
]);
// Informational remarks cost nothing; every other non-permerror remark costs 2 points (SPF-G5).
const SPF_FREE = new Set(['NO_ALL_MECHANISM']);

export const SPF_QUALIFIER_POINTS: Record<SpfQualifier, number> = { '-all': 100, '~all': 75, '?all': 50, '+all': 0, none: 20 };

export const expectSpf = {
  /** No SPF record: 0 when the domain has MX (receivers penalise it), 20 otherwise (SPF-1 fixed). */
  absent: (hasMx: boolean): AreaExpectation => ({ grade: hasMx ? 0 : 20, remarks: ['NO_SPF_FOUND'] }),
  record(qualifier: SpfQualifier, remarks: string[] = []): AreaExpectation {
    if (remarks.some((r) => SPF_PERMERROR.has(r))) return { grade: 0, remarks };
    const deductions = remarks.filter((r) => !SPF_FREE.has(r)).length * 2;
    return { grade: clamp(SPF_QUALIFIER_POINTS[qualifier] - deductions), remarks };
  },
  lookupFailed,
  /** A lookup inside the include/redirect tree failed: temperror, not determinable. */
  nestedLookupFailed: (): AreaExpectation => ({ grade: null, remarks: ['NESTED_LOOKUP_FAILED'] }),
};

export interface DmarcTags {
  p: 'none' | 'quarantine' | 'reject';
  sp?: 'none' | 'quarantine' | 'reject';
  pct?: number;
  rua?: boolean;
  ruf?: boolean;
  adkim?: 's' | 'r';
  aspf?: 's' | 'r';
  fo?: '0' | '1' | 'd' | 's';
}

/**
 * DM-G02..G10 without the URI-keyed table (DM-1), capped at 100 (DM-2), with monotonic pct bands
 * (DM-3): 0 → −2, 1–70 → +1, 71–89 → +3, 90–99 → +4, 100 → +5; an invalid pct (outside 0–100) earns nothing.
 */
export function dmarcPoints(tags: DmarcTags): number {
  let points = 0;
  if (tags.adkim === 's') points += 5;
  if (tags.aspf === 's') points += 5;
  if (tags.fo === '1') points += 4;
  else if (tags.fo === 'd' || tags.fo === 's') points += 2;
  points += { none: 10, quarantine: 30, reject: 60 }[tags.p];
  points += { none: 0, quarantine: 10, reject: 15 }[tags.sp ?? tags.p];
  const pct = tags.pct ?? 100;
  if (pct === 0) points -= 2;
  else if (pct <= 70) points += 1;
  else if (pct <= 89) points += 3;
  else if (pct <= 99) points += 4;
  else if (pct === 100) points += 5;
  if (tags.rua) points += 5;
  if (tags.ruf) points += 5;
  return clamp(points);
}

export const expectDmarc = {
  absent: (): AreaExpectation => ({ grade: 0, remarks: ['NO_DMARC_RECORD'] }),
  record(tags: DmarcTags, remarks: string[] = []): AreaExpectation {
    const all = tags.p === 'none' ? ['POLICY_NONE', ...remarks] : remarks;
    return { grade: dmarcPoints(tags), remarks: all };
  },
  /** A record receivers ignore (bad start, several records, no usable policy). */
  unusable: (remarks: string[]): AreaExpectation => ({ grade: 0, remarks }),
  lookupFailed,
};

export const expectCaa = {
  absent: (): AreaExpectation => ({ grade: 0, remarks: ['NO_CAA_RECORDS'] }),
  /** CAA-G2 points (valid properties only), −2 per error or warning, floored at 0 (CAA-2, CAA-8). */
  records(has: { issue?: boolean; issuewild?: boolean; iodef?: boolean }, remarks: string[] = []): AreaExpectation {
    const points = (has.issue ? 85 : 0) + (has.issuewild ? 10 : 0) + (has.iodef ? 5 : 0);
    const deductions = remarks.filter((r) => r !== 'NO_ISSUE_PROPERTY').length * 2;
    return { grade: clamp(points - deductions), remarks };
  },
  lookupFailed,
};

const NS_DEDUCTIONS: Record<string, number> = {
  ONLY_ONE_NS_RECORD: 20,
  NULL_NS_RECORD: 15,
  NAMESERVER_HAS_NO_A: 15,
  NAMESERVER_HAS_INVALID_RESPONSE: 15,
  NAMESERVER_IS_NOT_PUBLIC: 10,
  NO_NAME_SERVERS_RETURNED: 25,
  NAME_SERVER_MISMATCH: 10,
  NAMESERVER_NOT_RESPONDING: 15,
  NAMESERVER_NOT_AUTHORITATIVE: 15,
  NAMESERVER_ADDRESS_LOOKUP_FAILED: 10,
  NAMESERVER_IS_IP_ADDRESS: 15,
  NAMESERVER_IS_CNAME: 10,
  NAMESERVERS_SHARE_ADDRESS: 10,
};

export const expectNs = {
  absent: (): AreaExpectation => ({ grade: 0, remarks: ['NO_NS_RECORDS'] }),
  /** NS-G2..G4: 100 minus the per-occurrence deductions, floored at 0. */
  servers(remarks: string[]): AreaExpectation {
    let grade = 100;
    for (const r of remarks) grade -= NS_DEDUCTIONS[r] ?? 0;
    return { grade: clamp(grade), remarks };
  },
  lookupFailed,
};

const SOA_FATAL = new Set(['NO_SOA', 'TOO_MANY_SOA', 'SOA_INVALID']);
export const expectSoa = {
  absent: (): AreaExpectation => ({ grade: 0, remarks: ['NO_SOA'] }),
  /** SOA-G1..G3: 100 − 5 per remark; a fatal remark → 0. */
  record(remarks: string[] = []): AreaExpectation {
    if (remarks.some((r) => SOA_FATAL.has(r))) return { grade: 0, remarks };
    return { grade: clamp(100 - 5 * remarks.length), remarks };
  },
  lookupFailed,
};

export const expectMx = {
  /** No MX while the domain sends mail (its SPF authorises senders): MX-6. */
  missingButSendsMail: (): AreaExpectation => ({ grade: 0, remarks: ['NO_MX_RECORDS'] }),
  /** No MX and no mail sent: nothing to grade. */
  noMailService: (): AreaExpectation => ({ grade: null, remarks: ['NO_MAIL_SERVICE'] }),
  /** RFC 7505 null MX: a valid declaration of "no mail". */
  nullMx: (extra: string[] = []): AreaExpectation => ({ grade: 100, remarks: ['NULL_MX', ...extra] }),
  /** MX-G2..G4: 100 × valid/total, −5 per warning, integer, floored at 0 (MX-5). */
  records(total: number, valid: number, remarks: string[] = []): AreaExpectation {
    if (valid === 0) return { grade: 0, remarks };
    const warnings = remarks.filter((r) => MX_WARNINGS.has(r)).length;
    return { grade: clamp((100 * valid) / total - 5 * warnings), remarks };
  },
  lookupFailed,
};
const MX_WARNINGS = new Set(['POSSIBLE_BAD_EXCHANGE', 'EXCHANGE_IS_CNAME', 'DUPLICATE_EXCHANGE']);

export const expectBimi = {
  absent: (): AreaExpectation => ({ grade: 0, remarks: ['N0_BIMI_RECORDS'] }),
  /** BIMI-G4, all or nothing: 100 when only informational remarks remain. */
  record(remarks: string[] = []): AreaExpectation {
    const blocking = remarks.filter((r) => r !== 'NO_AUTHORITY_EVIDENCE');
    return { grade: blocking.length === 0 ? 100 : 0, remarks };
  },
  lookupFailed,
};

// DNSSEC grading is new (the original only stored the numbers); the checks library documents it:
// a bogus chain (DS without DNSKEY, or no DS matching a key) is 0; otherwise 100 − 40 per RFC 8624
// "must not" finding − 15 per "not recommended" − 10 per other problem; informational remarks free.
const DNSSEC_FATAL = new Set(['NO_DNSKEY_RECORDS', 'DS_DOES_NOT_MATCH_DNSKEY']);
const DNSSEC_INFO = new Set(['MATCHED_KEY_NOT_SEP', 'DS_DIGEST_UNVERIFIABLE', 'DNSKEY_WITHOUT_DS']);
const DNSSEC_MUST_NOT = new Set(['DS_ALGORITHM_MUST_NOT', 'DS_DIGEST_TYPE_MUST_NOT', 'DNSKEY_ALGORITHM_MUST_NOT']);
const DNSSEC_NOT_RECOMMENDED = new Set(['DS_ALGORITHM_NOT_RECOMMENDED', 'DNSKEY_ALGORITHM_NOT_RECOMMENDED']);
export const expectDnssec = {
  unsigned: (withKeys = false): AreaExpectation => ({ grade: 0, remarks: withKeys ? ['NO_DS_RECORDS', 'DNSKEY_WITHOUT_DS'] : ['NO_DS_RECORDS'] }),
  signed(remarks: string[] = []): AreaExpectation {
    if (remarks.some((r) => DNSSEC_FATAL.has(r))) return { grade: 0, remarks };
    let grade = 100;
    for (const r of remarks) grade -= DNSSEC_MUST_NOT.has(r) ? 40 : DNSSEC_NOT_RECOMMENDED.has(r) ? 15 : DNSSEC_INFO.has(r) ? 0 : 10;
    return { grade: clamp(grade), remarks };
  },
  lookupFailed,
};
