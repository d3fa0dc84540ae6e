// SPF (RFC 7208): record selection, a static evaluation of the include/redirect tree from the
// lookups the scan stored (counting DNS-querying terms and void lookups across the whole tree),
// the final qualifier, and the grade. Never throws: every malformed input becomes a remark.
import type { QueryOutcome, RRType, SiteScan } from '../dns/types';
import * as common from './common';
import { isIPv4, isIPv6 } from 'node:net';
import type { AreaGrade } from './types';
import { SPF_POLICY_ID } from './tables';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { classify, isGlobalAddress, isDnsName, normaliseName, recordCount, RemarkList, STRICT_IPV4, txtRecords } = common;

export type SpfQualifier = '+all' | '?all' | '~all' | '-all';

/** RFC 7208 §4.5: the version is `v=spf1` followed by a space or the end (case-insensitive). */
export function isSpfRecord(text: string): boolean {
  // A prefix comparison rather than a regular expression: most TXT records are long and not SPF.
  return (text.length === 6 || text.charCodeAt(6) === 32) && text.slice(0, 6).toLowerCase() === 'v=spf1';
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


function cidr(text: string, max: number): boolean {
  return /^(?:0|[1-9][0-9]{0,2})$/.test(text) && Number(text) <= max;
}

/**
 * Looks stored lookups up by (name, type). A linear search: a site's tree holds a few dozen
 * entries at most, and building a map per site costs more than it saves.
 */
export class LookupIndex {
  private readonly lookups: readonly QueryOutcome[];
  constructor(lookups: readonly QueryOutcome[] | undefined) {
    this.lookups = Array.isArray(lookups) ? lookups : [];
  }
  get(name: string, type: RRType): QueryOutcome | undefined {
    const wanted = normaliseName(name);
    let skipped: QueryOutcome | undefined;
    for (const outcome of this.lookups) {
      if (!outcome || outcome.type !== type || typeof outcome.name !== 'string') continue;
      if (outcome.name !== wanted) continue; // the scanner stores names lower case, without the root dot
      // A SKIPPED entry never hides a real answer for the same question.
      if (outcome.status !== 'SKIPPED') return outcome;
      skipped ??= outcome;
    }
    return skipped;
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

/**
 * One term of a record, parsed and checked for syntax once. Records repeat across sites (every
 * customer of a mail provider includes the same ones), so compiled records are cached by text.
 */
type CompiledTerm =
  | { kind: 'invalid' } // neither a known mechanism nor a modifier
  | { kind: 'modifier'; name: string; error?: string; target: string | null } // target null: a macro
  | {
      kind: 'mechanism';
      name: string;
      qualifier: string;
      bare: boolean;
      /** A syntax problem (a permerror remark), if any. */
      error?: string;
      /** Name to look up: '' for the current domain, null when it has macros (not followable). */
      target?: string | null;
      /** ip4/ip6 naming a non-routable network. */
      nonPublic?: boolean;
    };

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const COMPILED = new Map<string, CompiledTerm[]>();
const COMPILED_LIMIT = 5_000;

function compileRecord(record: string): CompiledTerm[] {
  let compiled = COMPILED.get(record);
  if (!compiled) {
    // RFC 7208 §12: terms are separated by one or more spaces.
    compiled = record.split(' ').slice(1).filter((t) => t.length > 0).map(compileTerm);
    if (COMPILED.size >= COMPILED_LIMIT) COMPILED.clear();
    COMPILED.set(record, compiled);
  }
  return compiled;
}

function specTarget(spec: string, invalid: string): { error?: string; target?: string | null } {
  const check = checkDomainSpec(spec);
  if (check === 'invalid') return { error: invalid };
  if (check === 'invalid-macro') return { error: 'INVALID_MACRO' };
  return { target: check === 'macro' ? null : normaliseName(spec) };
}

function compileTerm(raw: string): CompiledTerm {
  const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/is.exec(raw);
  if (modifier) {
    const name = modifier[1]!.toLowerCase();
    const value = modifier[2]!;
    if (name === 'redirect') {
      const { error, target } = specTarget(value, 'INVALID_REDIRECT_MECHANISM');
      return { kind: 'modifier', name, error, target: target ?? null };
    }
    if (name === 'exp') {
      return { kind: 'modifier', name, error: checkDomainSpec(value) === 'invalid-macro' ? 'INVALID_MACRO' : undefined, target: null };
    }
    // Unknown modifiers are ignored (RFC 7208 §6), but their value must still be a macro-string.
    return { kind: 'modifier', name, error: name !== 'v' && !isMacroString(value) ? 'INVALID_MACRO' : undefined, target: null };
  }
  const mechanism = /^([+\-~?]?)([a-z][a-z0-9_.-]*)([:/].*)?$/is.exec(raw);
  if (!mechanism) return { kind: 'invalid' };
  const name = mechanism[2]!.toLowerCase();
  if (!MECHANISMS.has(name)) return { kind: 'invalid' };
  const value = mechanism[3];
  const term = { kind: 'mechanism' as const, name, qualifier: mechanism[1] || '+', bare: raw.toLowerCase() === 'all' };
  switch (name) {
    case 'all':
      return value === undefined ? term : { ...term, error: 'INVALID_MECHANISM' };
    case 'include':
    case 'exists': {
      const invalid = name === 'include' ? 'INVALID_INCLUDE_FORMAT' : 'INVALID_EXISTS_MECHANISM';
      if (value === undefined || !value.startsWith(':')) return { ...term, error: invalid };
      return { ...term, ...specTarget(value.slice(1), invalid) };
    }
    case 'a':
    case 'mx': {
      const invalid = name === 'a' ? 'INVALID_A_MECHANISM' : 'INVALID_MX_MECHANISM';
      // a / mx [":" domain-spec] [ip4-cidr] ["//" ip6-cidr]
      const parsed = /^(?::([^/]*))?(?:\/([0-9]+))?(?:\/\/([0-9]+))?$/.exec(value ?? '');
      if (!parsed || (parsed[2] !== undefined && !cidr(parsed[2], 32)) || (parsed[3] !== undefined && !cidr(parsed[3], 128))) {
        return { ...term, error: invalid };
      }
      return parsed[1] === undefined ? { ...term, target: '' } : { ...term, ...specTarget(parsed[1], invalid) };
    }
    case 'ptr': {
      if (value === undefined) return term;
      const spec = /^:(.*)$/s.exec(value);
      if (!spec) return { ...term, error: 'INVALID_MECHANISM' };
      const { error } = specTarget(spec[1]!, 'INVALID_MECHANISM');
      return error ? { ...term, error } : term;
    }
    case 'ip4': {
      const parsed = value !== undefined ? /^:([^/]*)(?:\/(.*))?$/s.exec(value) : null;
      if (!parsed || parsed[1] === '') return { ...term, error: 'INVALID_IPV4_MECHANISM' };
      if (!STRICT_IPV4.test(parsed[1]!)) return { ...term, error: 'INVALID_IPV4_VALUE' };
      if (parsed[2] !== undefined && !cidr(parsed[2], 32)) return { ...term, error: 'INVALID_IPV4_CIDR' };
      return { ...term, nonPublic: !isGlobalAddress(parsed[1]!) };
    }
    default: {
      // ip6: the address itself contains colons, so everything after "ip6:" up to an optional "/len".
      const parsed = value !== undefined ? /^:([^/]*)(?:\/(.*))?$/s.exec(value) : null;
      if (!parsed || parsed[1] === '') return { ...term, error: 'INVALID_IPV6_MECHANISM' };
      const address = parsed[1]!;
      if (address.includes('%') || !isIPv6(address) || isIPv4(address)) return { ...term, error: 'INVALID_IPV6_VALUE' };
      if (parsed[2] !== undefined && !cidr(parsed[2], 128)) return { ...term, error: 'INVALID_IPV6_CIDR' };
      return { ...term, nonPublic: !isGlobalAddress(address) };
    }
  }
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
  let allSeen = false;
  let redirect: string | null | undefined; // undefined: none; null: a macro target
  let redirects = 0;
  let exps = 0;
  const includes: string[] = [];
  let termsAfterAll = false;

  for (const term of compileRecord(record)) {
    if (state.permerror && !top) return result;
    if (term.kind === 'invalid') {
      if (!allSeen) raise(state, 'INVALID_MECHANISM', top);
      else termsAfterAll = true;
      continue;
    }
    if (term.kind === 'modifier') {
      if (term.name === 'v') raise(state, 'TOO_MANY_STARTS', top);
      else if (term.name === 'redirect') {
        redirects++;
        if (redirects === 2) raise(state, 'MULTIPLE_REDIRECT_MODIFIERS', top);
        if (term.error) raise(state, term.error, top);
        else if (redirects === 1) redirect = term.target;
      } else {
        if (term.name === 'exp' && ++exps === 2) raise(state, 'MULTIPLE_EXP_MODIFIERS', top);
        if (term.error) raise(state, term.error, top);
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
    if (term.error) {
      raise(state, term.error, top);
      continue;
    }
    evaluateMechanism(state, current, term, stack, top, includes, result);
    if (term.name === 'all') allSeen = true;
  }
  if (termsAfterAll) raise(state, 'TERMS_AFTER_ALL', top);

  if (redirect !== undefined) {
    result.authorisesSenders = true;
    if (allSeen) raise(state, 'REDIRECT_IGNORED', top);
    else if (!state.permerror || top) followRedirect(state, redirect, stack, top, result);
  }
  return result;
}

function evaluateMechanism(
  state: EvalState,
  current: string,
  term: Extract<CompiledTerm, { kind: 'mechanism' }>,
  stack: string[],
  top: boolean,
  includes: string[],
  result: RecordResult,
): void {
  switch (term.name) {
    case 'all':
      result.qualifier = `${term.qualifier}all` as SpfQualifier;
      result.bareAll = term.bare;
      return;
    case 'include': {
      if (!countLookup(state)) return;
      const target = term.target;
      if (target === null || target === undefined) return; // a macro: depends on the sender
      if (includes.includes(target)) raise(state, 'DUPLICATE_INCLUDE', top);
      includes.push(target);
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
      if (!countLookup(state)) return;
      if (term.target === null || term.target === undefined) return;
      const target = term.target === '' ? current : term.target;
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
      if (recordCount(mx.outcome!) > MAX_MX_NAMES) raise(state, 'TOO_MANY_MX_RECORDS_RETURNED', top);
      return;
    }
    case 'ptr':
      raise(state, 'HAS_PTR', top);
      countLookup(state);
      return;
    case 'exists': {
      if (!countLookup(state)) return;
      if (term.target === null || term.target === undefined) return;
      const a = lookup(state, term.target, 'A');
      if (a.cls === 'failed') return failNested(state);
      if (a.cls === 'none') countVoid(state);
      return;
    }
    default:
      // ip4 / ip6: no lookup
      if (term.nonPublic) raise(state, 'NON_PUBLIC_ADDRESS', top);
  }
}

function failNested(state: EvalState): void {
  if (!state.remarks.includes('NESTED_LOOKUP_FAILED')) state.remarks.push('NESTED_LOOKUP_FAILED');
  state.temperror = true;
}

function followRedirect(state: EvalState, target: string | null, stack: string[], top: boolean, result: RecordResult): void {
  if (!countLookup(state)) return;
  if (target === null) return; // a macro: the target depends on the sender
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
  /** No SPF record, but a TXT record that was evidently meant as one (`v=spf10`, ` v=spf1 ...`, `v=spf2`). */
  lookalike: boolean;
}

const LOOKS_LIKE_SPF = /^\s*v\s*=\s*spf/i;

export function analyseSpf(scan: SiteScan): SpfAnalysis {
  const cls = classify(scan.txt);
  if (cls === 'failed') return { lookup: cls, records: [], evaluation: null, lookalike: false };
  const texts = txtRecords(scan.txt);
  const records = texts.filter(isSpfRecord);
  const evaluation = records.length === 1 ? evaluateSpf(scan.domain, records[0]!, scan.spfLookups) : null;
  const lookalike = records.length === 0 && texts.some((t) => LOOKS_LIKE_SPF.test(t) && !/^\s*v\s*=\s*spf2\.0\//i.test(t));
  return { lookup: cls, records, evaluation, lookalike };
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
    // A record receivers ignore because of its version is, to them, no record at all.
    remarks.add(analysis.lookalike ? 'INVALID_RECORD_START' : 'NO_SPF_FOUND');
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
