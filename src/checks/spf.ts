// SPF (RFC 7208): record selection, a static evaluation of the include/redirect tree from the
// lookups the scan stored (counting DNS-querying terms and void lookups across the whole tree),
// the final qualifier, and the grade. Never throws: every malformed input becomes a remark.
import type { QueryOutcome, RRType, SiteScan } from '../dns/types';
import { classify, isGlobalAddress, isDnsName, normaliseName, RemarkList, txtRecords } from './common';
import { isIPv4, isIPv6 } from 'node:net';
import type { AreaGrade } from './types';
import { SPF_POLICY_ID } from './tables';

export type SpfQualifier = '+all' | '?all' | '~all' | '-all';

/** RFC 7208 §4.5: the version is `v=spf1` followed by a space or the end (case-insensitive). */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

export function spfRecordsIn(outcome: QueryOutcome | undefined): string[] {
  return txtRecords(outcome).filter(isSpfRecord);
}

export interface SpfEvaluation {
  /** What a receiver's check_host() would end in, as far as the stored data tells. */
  result: 'ok' | 'permerror' | 'temperror';
  /** Qualifier of the deciding `all` (following redirect=), or null when none. */
  qualifier: SpfQualifier | null;
  /** A bare `all` (no qualifier) decided the policy. */
  bareAll: boolean;
  lookups: number;
  voidLookups: number;
  /** Remark names, in the order raised. */
  remarks: string[];
  /** The record publishes something other than `all` (mechanisms or a redirect), i.e. it authorises senders. */
  authorisesSenders: boolean;
}

// Remarks that make the record unusable (permerror, RFC 7208 §4.6, §5.2, §6); the record is then graded as broken.
const PERMERROR = new Set([
  'INVALID_RECORD_START', 'INVALID_INCLUDE_FORMAT', 'INCLUDE_RETURNED_MANY_SPF', 'INVALID_A_MECHANISM',
  'INVALID_MX_MECHANISM', 'TOO_MANY_MX_RECORDS_RETURNED', 'INVALID_REDIRECT_MECHANISM', 'NO_RECORD_AT_REDIRECT',
  'REDIRECT_RETURNED_MANY_SPF', 'INVALID_IPV4_MECHANISM', 'INVALID_IPV6_MECHANISM', 'INVALID_MECHANISM',
  'INVALID_IPV4_CIDR', 'INVALID_IPV6_CIDR', 'INVALID_IPV4_VALUE', 'INVALID_IPV6_VALUE', 'TOO_MANY_DNS_LOOKUPS',
  'TOO_MANY_VOID_LOOKUPS', 'INCLUDE_NO_SPF_RECORD', 'INCLUDE_LOOP', 'REDIRECT_LOOP', 'MULTIPLE_REDIRECT_MODIFIERS',
  'MULTIPLE_EXP_MODIFIERS', 'INVALID_EXISTS_MECHANISM', 'INVALID_MACRO',
]);
export function isSpfPermerror(name: string): boolean {
  return PERMERROR.has(name);
}

const MAX_LOOKUPS = 10;
const MAX_VOID_LOOKUPS = 2;
const MAX_MX_NAMES = 10;

const MACRO_EXPAND = /%(?:\{[slodiphcrtv][0-9]*r?[.\-+,/_=]*\}|%|_|-)/gi;
const MACRO_LITERAL = /^[\x21-\x24\x26-\x7e]*$/;

/** RFC 7208 §7.1 macro-string: literals (no space, no stray `%`) and well-formed expansions. */
function isMacroString(text: string): boolean {
  return MACRO_LITERAL.test(text.replace(MACRO_EXPAND, ''));
}

/**
 * RFC 7208 §8.1 domain-spec: a macro-string ending in a macro or in `.toplabel[.]`; a name
 * without macros must also be a usable DNS name. Returns 'macro' when it needs a sender to expand.
 */
function checkDomainSpec(spec: string): 'ok' | 'macro' | 'invalid-macro' | 'invalid' {
  if (spec.length === 0) return 'invalid';
  if (spec.includes('%')) return isMacroString(spec) ? 'macro' : 'invalid-macro';
  if (!MACRO_LITERAL.test(spec)) return 'invalid';
  const bare = spec.endsWith('.') ? spec.slice(0, -1) : spec;
  const labels = bare.split('.');
  const top = labels[labels.length - 1]!;
  // toplabel: alphanumeric with at least one letter, or containing an inner hyphen (RFC 7208 §7.1).
  if (labels.length < 2 || !/^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i.test(top)) return 'invalid';
  return isDnsName(bare) ? 'ok' : 'invalid';
}

const DECIMAL_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const STRICT_IPV4 = new RegExp(`^${DECIMAL_OCTET}(?:\\.${DECIMAL_OCTET}){3}$`);

function cidr(text: string, max: number): boolean {
  return /^(?:0|[1-9][0-9]{0,2})$/.test(text) && Number(text) <= max;
}

/** Looks stored lookups up by (name, type). */
export class LookupIndex {
  private readonly byKey = new Map<string, QueryOutcome>();
  constructor(lookups: readonly QueryOutcome[] | undefined) {
    if (!Array.isArray(lookups)) return;
    for (const outcome of lookups) {
      if (!outcome || typeof outcome.name !== 'string') continue;
      const key = `${outcome.type} ${normaliseName(outcome.name)}`;
      const existing = this.byKey.get(key);
      // A SKIPPED entry never hides a real answer for the same question.
      if (!existing || (existing.status === 'SKIPPED' && outcome.status !== 'SKIPPED')) this.byKey.set(key, outcome);
    }
  }
  get(name: string, type: RRType): QueryOutcome | undefined {
    return this.byKey.get(`${type} ${normaliseName(name)}`);
  }
}

interface EvalState {
  index: LookupIndex;
  lookups: number;
  voids: number;
  remarks: string[];
  temperror: boolean;
  permerror: boolean;
  limitReported: boolean;
}

interface RecordResult {
  qualifier: SpfQualifier | null;
  bareAll: boolean;
  authorisesSenders: boolean;
}

type Term =
  | { kind: 'mechanism'; qualifier: string; name: string; value: string | undefined; raw: string }
  | { kind: 'modifier'; name: string; value: string; raw: string };

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);

function parseTerm(raw: string): Term | null {
  const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/is.exec(raw);
  if (modifier) return { kind: 'modifier', name: modifier[1]!.toLowerCase(), value: modifier[2]!, raw };
  const mechanism = /^([+\-~?]?)([a-z][a-z0-9_.-]*)([:/].*)?$/is.exec(raw);
  if (!mechanism) return null;
  const name = mechanism[2]!.toLowerCase();
  if (!MECHANISMS.has(name)) return null;
  return { kind: 'mechanism', qualifier: mechanism[1] || '+', name, value: mechanism[3], raw };
}

/**
 * Statically evaluates the SPF record of `domain` against the stored lookups. The whole tree is
 * walked as a receiver would when no mechanism matches (the worst case for the limits).
 */
export function evaluateSpf(domain: string, record: string, lookups: readonly QueryOutcome[] | undefined): SpfEvaluation {
  const state: EvalState = {
    index: new LookupIndex(lookups),
    lookups: 0,
    voids: 0,
    remarks: [],
    temperror: false,
    permerror: false,
    limitReported: false,
  };
  const result = evaluateRecord(state, normaliseName(domain), record, [normaliseName(domain)], true);
  return {
    result: state.permerror ? 'permerror' : state.temperror ? 'temperror' : 'ok',
    qualifier: result.qualifier,
    bareAll: result.bareAll,
    lookups: state.lookups,
    voidLookups: state.voids,
    remarks: state.remarks,
    authorisesSenders: result.authorisesSenders,
  };
}

function raise(state: EvalState, name: string, top: boolean): void {
  // Inside included/redirected records only what breaks the evaluation is the domain's problem.
  if (!top && !PERMERROR.has(name) && name !== 'NESTED_LOOKUP_FAILED') return;
  if (PERMERROR.has(name)) state.permerror = true;
  state.remarks.push(name);
}

/** Counts one DNS-querying term; false once the 10-lookup limit is exceeded. */
function countLookup(state: EvalState): boolean {
  state.lookups++;
  if (state.lookups > MAX_LOOKUPS) {
    if (!state.limitReported) {
      state.limitReported = true;
      state.remarks.push('TOO_MANY_DNS_LOOKUPS');
      state.permerror = true;
    }
    return false;
  }
  return true;
}

function countVoid(state: EvalState): void {
  state.voids++;
  if (state.voids === MAX_VOID_LOOKUPS + 1) {
    state.remarks.push('TOO_MANY_VOID_LOOKUPS');
    state.permerror = true;
  }
}

/** A stored lookup's class; a missing or skipped entry is a lookup that could not be made. */
function lookup(state: EvalState, name: string, type: RRType): { cls: 'records' | 'none' | 'failed'; outcome?: QueryOutcome } {
  const outcome = state.index.get(name, type);
  return { cls: classify(outcome), outcome };
}

function evaluateRecord(state: EvalState, current: string, record: string, stack: string[], top: boolean): RecordResult {
  const result: RecordResult = { qualifier: null, bareAll: false, authorisesSenders: false };
  if (!isSpfRecord(record)) {
    raise(state, 'INVALID_RECORD_START', top);
    return result;
  }
  // RFC 7208 §12: terms are separated by one or more spaces.
  const rawTerms = record.split(' ').slice(1).filter((t) => t.length > 0);
  let allSeen = false;
  let redirect: string | null = null;
  let redirects = 0;
  let exps = 0;
  const includes = new Set<string>();
  let termsAfterAll = false;

  for (const raw of rawTerms) {
    if (state.permerror && !top) return result;
    const term = parseTerm(raw);
    if (term === null) {
      if (!allSeen) raise(state, 'INVALID_MECHANISM', top);
      else termsAfterAll = true;
      continue;
    }
    if (term.kind === 'modifier') {
      if (term.name === 'v') {
        raise(state, 'TOO_MANY_STARTS', top);
      } else if (term.name === 'redirect') {
        redirects++;
        if (redirects === 2) raise(state, 'MULTIPLE_REDIRECT_MODIFIERS', top);
        const check = checkDomainSpec(term.value);
        if (check === 'invalid') raise(state, 'INVALID_REDIRECT_MECHANISM', top);
        else if (check === 'invalid-macro') raise(state, 'INVALID_MACRO', top);
        else if (redirects === 1) redirect = check === 'macro' ? '' : normaliseName(term.value);
      } else if (term.name === 'exp') {
        exps++;
        if (exps === 2) raise(state, 'MULTIPLE_EXP_MODIFIERS', top);
        const check = checkDomainSpec(term.value);
        if (check === 'invalid-macro') raise(state, 'INVALID_MACRO', top);
      } else if (!isMacroString(term.value)) {
        // Unknown modifiers are ignored (RFC 7208 §6), but their value must still be a macro-string.
        raise(state, 'INVALID_MACRO', top);
      }
      continue;
    }
    if (allSeen) {
      // Mechanisms after `all` are never evaluated (RFC 7208 §5.1).
      if (term.name === 'all') raise(state, 'TOO_MANY_ENDINGS', top);
      termsAfterAll = true;
      continue;
    }
    if (term.name !== 'all') result.authorisesSenders = true;
    evaluateMechanism(state, current, term as Extract<Term, { kind: 'mechanism' }>, stack, top, includes, result);
    if (term.name === 'all' && term.value === undefined) allSeen = true;
  }
  if (termsAfterAll) raise(state, 'TERMS_AFTER_ALL', top);

  if (redirect !== null) {
    result.authorisesSenders = true;
    if (allSeen) {
      raise(state, 'REDIRECT_IGNORED', top);
    } else if (!state.permerror || top) {
      followRedirect(state, redirect, stack, top, result);
    }
  }
  return result;
}

function evaluateMechanism(
  state: EvalState,
  current: string,
  term: Extract<Term, { kind: 'mechanism' }>,
  stack: string[],
  top: boolean,
  includes: Set<string>,
  result: RecordResult,
): void {
  const value = term.value;
  switch (term.name) {
    case 'all': {
      if (value !== undefined) {
        raise(state, 'INVALID_MECHANISM', top);
        return;
      }
      result.qualifier = `${term.qualifier}all` as SpfQualifier;
      result.bareAll = term.raw.toLowerCase() === 'all';
      return;
    }
    case 'include': {
      if (value === undefined || !value.startsWith(':')) {
        raise(state, 'INVALID_INCLUDE_FORMAT', top);
        return;
      }
      const spec = value.slice(1);
      const check = checkDomainSpec(spec);
      if (check === 'invalid') return raise(state, 'INVALID_INCLUDE_FORMAT', top);
      if (check === 'invalid-macro') return raise(state, 'INVALID_MACRO', top);
      if (!countLookup(state)) return;
      if (check === 'macro') return; // depends on the sender; cannot be followed statically
      const target = normaliseName(spec);
      if (includes.has(target)) raise(state, 'DUPLICATE_INCLUDE', top);
      includes.add(target);
      if (stack.includes(target)) return raise(state, 'INCLUDE_LOOP', top);
      const txt = lookup(state, target, 'TXT');
      if (txt.cls === 'failed') return failNested(state);
      if (txt.cls === 'none') {
        countVoid(state);
        return raise(state, 'INCLUDE_NO_SPF_RECORD', top);
      }
      const records = spfRecordsIn(txt.outcome);
      if (records.length === 0) return raise(state, 'INCLUDE_NO_SPF_RECORD', top);
      if (records.length > 1) return raise(state, 'INCLUDE_RETURNED_MANY_SPF', top);
      evaluateRecord(state, target, records[0]!, [...stack, target], false);
      return;
    }
    case 'a':
    case 'mx': {
      const invalid = term.name === 'a' ? 'INVALID_A_MECHANISM' : 'INVALID_MX_MECHANISM';
      // a / mx [":" domain-spec] [ip4-cidr] ["//" ip6-cidr]
      const parsed = /^(?::([^/]*))?(?:\/([0-9]+))?(?:\/\/([0-9]+))?$/.exec(value ?? '');
      if (!parsed || (parsed[2] !== undefined && !cidr(parsed[2], 32)) || (parsed[3] !== undefined && !cidr(parsed[3], 128))) {
        return raise(state, invalid, top);
      }
      let target = current;
      let check: ReturnType<typeof checkDomainSpec> = 'ok';
      if (parsed[1] !== undefined) {
        check = checkDomainSpec(parsed[1]);
        if (check === 'invalid') return raise(state, invalid, top);
        if (check === 'invalid-macro') return raise(state, 'INVALID_MACRO', top);
        target = normaliseName(parsed[1]);
      }
      if (!countLookup(state)) return;
      if (check === 'macro') return;
      if (term.name === 'a') {
        const a = lookup(state, target, 'A');
        const aaaa = lookup(state, target, 'AAAA');
        if (a.cls === 'records' || aaaa.cls === 'records') return;
        if (a.cls === 'failed' || aaaa.cls === 'failed') return failNested(state);
        countVoid(state);
        return raise(state, 'NO_A_RECORDS_IN_MECHANISM', top);
      }
      const mx = lookup(state, target, 'MX');
      if (mx.cls === 'failed') return failNested(state);
      if (mx.cls === 'none') {
        countVoid(state);
        return raise(state, 'NO_MX_RECORDS_IN_MECHANISM', top);
      }
      const count = Array.isArray(mx.outcome!.records) ? mx.outcome!.records.length : 0;
      if (Math.max(count, Array.isArray(mx.outcome!.data) ? mx.outcome!.data.length : 0) > MAX_MX_NAMES) {
        raise(state, 'TOO_MANY_MX_RECORDS_RETURNED', top);
      }
      return;
    }
    case 'ptr': {
      if (value !== undefined) {
        const spec = /^:(.*)$/s.exec(value);
        const check = spec ? checkDomainSpec(spec[1]!) : 'invalid';
        if (check === 'invalid') return raise(state, 'INVALID_MECHANISM', top);
        if (check === 'invalid-macro') return raise(state, 'INVALID_MACRO', top);
      }
      raise(state, 'HAS_PTR', top);
      countLookup(state);
      return;
    }
    case 'exists': {
      const spec = value !== undefined && value.startsWith(':') ? value.slice(1) : '';
      const check = checkDomainSpec(spec);
      if (check === 'invalid') return raise(state, 'INVALID_EXISTS_MECHANISM', top);
      if (check === 'invalid-macro') return raise(state, 'INVALID_MACRO', top);
      if (!countLookup(state)) return;
      if (check === 'macro') return;
      const a = lookup(state, normaliseName(spec), 'A');
      if (a.cls === 'failed') return failNested(state);
      if (a.cls === 'none') countVoid(state);
      return;
    }
    case 'ip4': {
      const parsed = value !== undefined ? /^:([^/]*)(?:\/(.*))?$/s.exec(value) : null;
      if (!parsed || parsed[1] === '') return raise(state, 'INVALID_IPV4_MECHANISM', top);
      if (!STRICT_IPV4.test(parsed[1]!)) return raise(state, 'INVALID_IPV4_VALUE', top);
      if (parsed[2] !== undefined && !cidr(parsed[2], 32)) return raise(state, 'INVALID_IPV4_CIDR', top);
      if (!isGlobalAddress(parsed[1]!)) raise(state, 'NON_PUBLIC_ADDRESS', top);
      return;
    }
    case 'ip6': {
      // The address itself contains colons: everything after "ip6:" up to an optional "/len".
      const parsed = value !== undefined ? /^:([^/]*)(?:\/(.*))?$/s.exec(value) : null;
      if (!parsed || parsed[1] === '') return raise(state, 'INVALID_IPV6_MECHANISM', top);
      const address = parsed[1]!;
      if (address.includes('%') || !isIPv6(address) || isIPv4(address)) return raise(state, 'INVALID_IPV6_VALUE', top);
      if (parsed[2] !== undefined && !cidr(parsed[2], 128)) return raise(state, 'INVALID_IPV6_CIDR', top);
      if (!isGlobalAddress(address)) raise(state, 'NON_PUBLIC_ADDRESS', top);
      return;
    }
  }
}

function failNested(state: EvalState): void {
  if (!state.remarks.includes('NESTED_LOOKUP_FAILED')) state.remarks.push('NESTED_LOOKUP_FAILED');
  state.temperror = true;
}

function followRedirect(state: EvalState, target: string, stack: string[], top: boolean, result: RecordResult): void {
  if (!countLookup(state)) return;
  if (target === '') return; // a macro: the target depends on the sender
  if (stack.includes(target)) return raise(state, 'REDIRECT_LOOP', top);
  const txt = lookup(state, target, 'TXT');
  if (txt.cls === 'failed') return failNested(state);
  if (txt.cls === 'none') {
    countVoid(state);
    return raise(state, 'NO_RECORD_AT_REDIRECT', top);
  }
  const records = spfRecordsIn(txt.outcome);
  if (records.length === 0) return raise(state, 'NO_RECORD_AT_REDIRECT', top);
  if (records.length > 1) return raise(state, 'REDIRECT_RETURNED_MANY_SPF', top);
  // The target's result is the domain's result (RFC 7208 §6.1), so its problems are the domain's too.
  const inner = evaluateRecord(state, target, records[0]!, [...stack, target], top);
  result.qualifier = inner.qualifier;
  result.bareAll = inner.bareAll;
}

// ---------------------------------------------------------------------------------------------

export interface SpfAnalysis {
  lookup: 'records' | 'none' | 'failed';
  records: string[];
  evaluation: SpfEvaluation | null;
}

export function analyseSpf(scan: SiteScan): SpfAnalysis {
  const cls = classify(scan.txt);
  if (cls === 'failed') return { lookup: cls, records: [], evaluation: null };
  const records = spfRecordsIn(scan.txt);
  const evaluation = records.length === 1 ? evaluateSpf(scan.domain, records[0]!, scan.spfLookups) : null;
  return { lookup: cls, records, evaluation };
}

export interface SpfFacts {
  hasSpf: boolean;
  spfRecord: string | null;
  spfPolicyId: number;
}

export function spfFacts(analysis: SpfAnalysis): SpfFacts {
  const { records, evaluation } = analysis;
  if (records.length === 0) return { hasSpf: false, spfRecord: null, spfPolicyId: SPF_POLICY_ID.no_policy };
  if (records.length > 1 || !evaluation) return { hasSpf: true, spfRecord: records[0]!, spfPolicyId: SPF_POLICY_ID.invalid };
  const redirectBroken = evaluation.remarks.some((r) =>
    ['NO_RECORD_AT_REDIRECT', 'REDIRECT_RETURNED_MANY_SPF', 'REDIRECT_LOOP', 'INVALID_RECORD_START'].includes(r),
  );
  const policyId = redirectBroken
    ? SPF_POLICY_ID.invalid
    : evaluation.qualifier
      ? SPF_POLICY_ID[evaluation.qualifier]
      : SPF_POLICY_ID.no_policy;
  return { hasSpf: true, spfRecord: records[0]!, spfPolicyId: policyId };
}

const QUALIFIER_POINTS: Record<SpfQualifier, number> = { '-all': 100, '~all': 75, '?all': 50, '+all': 0 };
/** A record that ends without `all` or redirect (RFC: neutral); the original's value, kept (SPF-24). */
const NO_ALL_POINTS = 20;
const POINTS_PER_REMARK = 2;

/**
 * SPF grade (spec §8.4, with §25.2 fixed): no SPF → 0 if the domain takes mail (a non-null MX),
 * else 20 (null when its MX lookup failed); a permerror record grades as no SPF; otherwise the points of the final qualifier,
 * −2 per remark that is not informational.
 */
export function gradeSpf(analysis: SpfAnalysis, acceptsMail: boolean | null): AreaGrade {
  const remarks = new RemarkList('spf');
  // Unknown whether the domain takes mail (its MX lookup failed): the no-SPF grade is unknown too.
  const noSpfGrade = acceptsMail === null ? null : acceptsMail ? 0 : 20;
  if (analysis.lookup === 'failed') {
    remarks.add('LOOKUP_FAILED');
    return remarks.grade(null);
  }
  if (analysis.records.length === 0) {
    remarks.add('NO_SPF_FOUND');
    return remarks.grade(noSpfGrade);
  }
  if (analysis.records.length > 1 || !analysis.evaluation) {
    remarks.add('MULTIPLE_SPF_RECORDS');
    return remarks.grade(noSpfGrade);
  }
  const evaluation = analysis.evaluation;
  for (const name of evaluation.remarks) remarks.add(name);
  if (evaluation.result === 'permerror') return remarks.grade(noSpfGrade);
  if (evaluation.result === 'temperror') return remarks.grade(null);
  let base: number;
  if (evaluation.qualifier === null) {
    remarks.add('NO_ALL_MECHANISM');
    base = NO_ALL_POINTS;
  } else {
    if (evaluation.qualifier === '+all') remarks.add(evaluation.bareAll ? 'DEFAULT_ALL_QUALIFIER' : 'PASS_ALL');
    base = QUALIFIER_POINTS[evaluation.qualifier];
  }
  const deductions = evaluation.remarks.length * POINTS_PER_REMARK;
  return remarks.grade(Math.max(0, base - deductions));
}
