// NS (RFC 1034 §4.2, RFC 2181, RFC 2182): the delegation's name servers, their addresses, and what
// each server answers when asked directly. Never throws.
import type { NameServerScan, QueryOutcome, SiteScan } from '../dns/types';
import * as common from './common';
import type { AreaGrade } from './types';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { addressesOf, classify, dataAt, isGlobalAddress, isHostName, isIpLiteral, normaliseName, recordCount, RemarkList, textAt } = common;

export interface NsAnalysis {
  lookup: 'records' | 'none' | 'failed';
  /** NS targets, lower case, no trailing dot ('' for the root), answer order. */
  targets: string[];
  remarks: string[];
}

export function nsTargets(outcome: QueryOutcome): string[] {
  const targets: string[] = [];
  const count = recordCount(outcome);
  for (let i = 0; i < count; i++) {
    const data = dataAt(outcome, i, 'NS');
    const target = data && typeof data.target === 'string' ? data.target : textAt(outcome, i);
    if (typeof target === 'string') targets.push(target === '.' ? '' : normaliseName(target.trim()));
  }
  return targets;
}

/** The NS targets of a direct answer are exactly the delegation's set. */
function sameTargets(answer: QueryOutcome, delegation: Set<string>): boolean {
  const count = recordCount(answer);
  if (count === 0) return delegation.size === 0;
  let found = 0;
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const data = dataAt(answer, i, 'NS');
    const raw = data && typeof data.target === 'string' ? data.target : textAt(answer, i);
    if (typeof raw !== 'string') return false;
    const target = raw === '.' ? '' : normaliseName(raw.trim());
    if (!delegation.has(target)) return false;
    if (!seen.includes(target)) {
      seen.push(target);
      found++;
    }
  }
  return found === delegation.size;
}

type DirectVerdict = 'authoritative' | 'timeout' | 'refused' | 'invalid';

function directVerdict(answer: QueryOutcome | undefined): DirectVerdict {
  if (!answer || typeof answer !== 'object') return 'timeout';
  switch (answer.status) {
    case 'NOERROR':
      // Without flags stored, the answer is taken as authoritative.
      return answer.flags && answer.flags.aa === false ? 'refused' : 'authoritative';
    case 'NODATA':
    case 'NXDOMAIN':
    case 'REFUSED':
      return 'refused'; // the server does not serve the zone: lame
    case 'TIMEOUT':
    case 'NETWORK_ERROR':
    case 'SKIPPED':
      return 'timeout';
    default:
      return 'invalid';
  }
}

/** Checks one name server; returns its addresses and whether it answered authoritatively. */
function checkServer(server: NameServerScan, delegation: Set<string>, remarks: string[]): { addresses: string[]; answered: boolean } {
  const a = server.a;
  const aaaa = server.aaaa;
  if ((a?.cnames?.length ?? 0) > 0 || (aaaa?.cnames?.length ?? 0) > 0) remarks.push('NAMESERVER_IS_CNAME');
  const addresses = addressesOf(a, aaaa);
  if (addresses.length === 0) {
    const failed = classify(a) === 'failed' || classify(aaaa) === 'failed';
    remarks.push(failed ? 'NAMESERVER_ADDRESS_LOOKUP_FAILED' : 'NAMESERVER_HAS_NO_A');
    return { addresses, answered: false };
  }
  if (addresses.some((address) => !isGlobalAddress(address))) remarks.push('NAMESERVER_IS_NOT_PUBLIC');
  const direct = Array.isArray(server.direct) ? server.direct : [];
  const verdicts = new Set<DirectVerdict>();
  let mismatch = false;
  for (const entry of direct) {
    const verdict = directVerdict(entry?.ns);
    verdicts.add(verdict);
    if (verdict === 'authoritative' && !sameTargets(entry.ns, delegation)) mismatch = true;
  }
  if (direct.length === 0) verdicts.add('timeout');
  const answered = verdicts.has('authoritative');
  if (!answered && verdicts.has('timeout') && !verdicts.has('refused') && !verdicts.has('invalid')) remarks.push('NAMESERVER_NOT_RESPONDING');
  if (verdicts.has('refused')) remarks.push('NAMESERVER_NOT_AUTHORITATIVE');
  if (verdicts.has('invalid')) remarks.push('NAMESERVER_HAS_INVALID_RESPONSE');
  if (mismatch) remarks.push('NAME_SERVER_MISMATCH');
  return { addresses, answered };
}

export function analyseNs(scan: SiteScan): NsAnalysis {
  const lookup = classify(scan.ns);
  const analysis: NsAnalysis = { lookup, targets: [], remarks: [] };
  if (lookup !== 'records') return analysis;
  const remarks = analysis.remarks;
  analysis.targets = nsTargets(scan.ns);
  const hosts: string[] = [];
  for (const target of analysis.targets) {
    if (target === '') remarks.push('NULL_NS_RECORD');
    else if (isIpLiteral(target)) remarks.push('NAMESERVER_IS_IP_ADDRESS');
    else if (!isHostName(target)) remarks.push('NULL_NS_RECORD');
    else if (!hosts.includes(target)) hosts.push(target);
  }
  if (new Set(analysis.targets).size === 1) remarks.push('ONLY_ONE_NS_RECORD');
  const delegation = new Set(analysis.targets);
  const servers = Array.isArray(scan.nameServers) ? scan.nameServers : [];
  let answering = 0;
  const addressOwner = new Map<string, string>();
  let shared = false;
  const byHost = new Map<string, NameServerScan>();
  for (const server of servers) if (server && typeof server.host === 'string') byHost.set(normaliseName(server.host), server);
  for (const host of hosts) {
    const server = byHost.get(host);
    if (!server) continue;
    const { addresses, answered } = checkServer(server, delegation, remarks);
    if (answered) answering++;
    for (const address of addresses) {
      const owner = addressOwner.get(address);
      if (owner !== undefined && owner !== host) shared = true;
      addressOwner.set(address, host);
    }
  }
  if (shared) remarks.push('NAMESERVERS_SHARE_ADDRESS');
  if (answering === 0) remarks.push('NO_NAME_SERVERS_RETURNED');
  return analysis;
}

const DEDUCTION: Record<string, number> = {
  NULL_NS_RECORD: 15,
  NAMESERVER_HAS_NO_A: 15,
  NAMESERVER_HAS_INVALID_RESPONSE: 15,
  NAMESERVER_IS_NOT_PUBLIC: 10,
  NO_NAME_SERVERS_RETURNED: 25,
  NAME_SERVER_MISMATCH: 10,
  ONLY_ONE_NS_RECORD: 20,
  NAMESERVER_NOT_RESPONDING: 15,
  NAMESERVER_NOT_AUTHORITATIVE: 15,
  NAMESERVER_ADDRESS_LOOKUP_FAILED: 10,
  NAMESERVER_IS_IP_ADDRESS: 15,
  NAMESERVER_IS_CNAME: 10,
  NAMESERVERS_SHARE_ADDRESS: 10,
};

/** NS grade (spec §11.3, §25.5 fixed): 100 minus the deduction of every remark occurrence, floor 0. */
export function gradeNs(analysis: NsAnalysis): AreaGrade {
  const remarks = new RemarkList('ns');
  if (analysis.lookup === 'failed') {
    remarks.add('LOOKUP_FAILED');
    return remarks.grade(null);
  }
  if (analysis.lookup === 'none') {
    remarks.add('NO_NS_RECORDS');
    return remarks.grade(0);
  }
  let points = 100;
  for (const name of analysis.remarks) {
    remarks.add(name);
    points -= DEDUCTION[name] ?? 0;
  }
  return remarks.grade(points);
}

export const NS_DEDUCTIONS: Readonly<Record<string, number>> = DEDUCTION;
