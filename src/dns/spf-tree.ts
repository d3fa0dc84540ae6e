// Fetches what evaluating a site's SPF record would look up, so the grader can count DNS lookups
// and void lookups (RFC 7208 §4.6.4) without touching the network. This is not an SPF evaluator:
// it reads just enough of each record (its terms) to know which names to ask for, and walks the
// include/redirect tree level by level, bounded well past the RFC's limits.
import { tryNormaliseQueryName } from './names';
import type { QueryOutcome, RRType } from './types';

export interface SpfWalkLimits {
  /** DNS-querying terms (include, a, mx, exists, redirect) looked up before the walk stops. RFC: 10. */
  maxLookups: number;
  /** Void lookups (NXDOMAIN or no records) after which the walk stops. RFC: 2. */
  maxVoidLookups: number;
  /** Include/redirect nesting depth. */
  maxDepth: number;
  /** MX hosts whose addresses an `mx` mechanism fetches. RFC: more than 10 is an error. */
  maxMxHosts: number;
  /** Hard cap on queries made by one walk (MX host addresses included). */
  maxQueries: number;
}

export const DEFAULT_SPF_WALK_LIMITS: SpfWalkLimits = {
  maxLookups: 30,
  maxVoidLookups: 10,
  maxDepth: 10,
  maxMxHosts: 12,
  maxQueries: 120,
};

export type SpfLookup = (name: string, type: RRType) => Promise<QueryOutcome>;

/** The SPF records (character-strings joined) among a TXT answer (RFC 7208 §4.5: `v=spf1` then a space or the end). */
export function spfRecordsOf(txt: QueryOutcome): string[] {
  const records: string[] = [];
  for (const data of txt.data) {
    if (data.type !== 'TXT') continue;
    const record = data.strings.join('');
    if (/^v=spf1(?: |$)/i.test(record)) records.push(record);
  }
  return records;
}

type PlannedKind = 'include' | 'redirect' | 'a' | 'mx' | 'exists';

interface PlannedLookup {
  kind: PlannedKind;
  /** The domain-spec as written, lower case (for SKIPPED entries). */
  written: string;
  /** The name to ask, or null when it cannot be asked (macro, invalid). */
  name: string | null;
  skipReason?: string;
  depth: number;
}

/** The lookups the terms of one SPF record ask for, in term order. */
export function plannedLookups(record: string, currentDomain: string, depth: number): PlannedLookup[] {
  const planned: PlannedLookup[] = [];
  const terms = record.split(/[ \t]+/).slice(1);
  for (const term of terms) {
    if (term === '') continue;
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term);
    if (modifier) {
      if (modifier[1]!.toLowerCase() === 'redirect') planned.push(target('redirect', modifier[2]!, currentDomain, depth));
      continue;
    }
    const mechanism = /^[+\-~?]?([a-z][a-z0-9_.-]*)(?::([^/]*))?(\/.*)?$/i.exec(term);
    if (!mechanism) continue;
    const kind = mechanism[1]!.toLowerCase();
    const spec = mechanism[2];
    if (kind === 'include' || kind === 'exists') {
      if (spec === undefined || spec === '') continue; // a syntax error the grader reports; nothing to ask
      planned.push(target(kind, spec, currentDomain, depth));
    } else if (kind === 'a' || kind === 'mx') {
      planned.push(target(kind, spec === undefined || spec === '' ? currentDomain : spec, currentDomain, depth));
    }
    // ip4, ip6, all need no lookup; ptr needs the connecting client's address, unknown here.
  }
  return planned;
}

function target(kind: PlannedKind, spec: string, _currentDomain: string, depth: number): PlannedLookup {
  const written = spec.toLowerCase();
  if (written.includes('%')) {
    return { kind, written, name: null, depth, skipReason: 'domain-spec has macros, which need the sender to expand' };
  }
  const name = tryNormaliseQueryName(written);
  if (name === null) return { kind, written, name: null, depth, skipReason: 'not a valid domain name' };
  return { kind, written, name, depth };
}

function typesFor(kind: PlannedKind): RRType[] {
  switch (kind) {
    case 'include':
    case 'redirect':
      return ['TXT'];
    case 'a':
      return ['A', 'AAAA'];
    case 'mx':
      return ['MX'];
    case 'exists':
      return ['A'];
  }
}

function skipped(name: string, type: RRType, error: string): QueryOutcome {
  return { name, type, status: 'SKIPPED', records: [], data: [], error };
}

function isVoid(outcomes: QueryOutcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => o.status === 'NXDOMAIN' || o.status === 'NODATA');
}

/**
 * Every lookup evaluating `domain`'s SPF record(s) in `apexTxt` needs, in the order planned
 * (breadth first: the terms of one level in term order, then the next level).
 */
export async function walkSpfTree(
  domain: string,
  apexTxt: QueryOutcome,
  lookup: SpfLookup,
  limits: SpfWalkLimits = DEFAULT_SPF_WALK_LIMITS,
): Promise<QueryOutcome[]> {
  const results: QueryOutcome[] = [];
  const asked = new Map<string, Promise<QueryOutcome>>(); // `${type} ${name}` → its lookup
  const recorded = new Set<string>();
  const walkedRecords = new Set<string>(); // owner names whose SPF record was walked
  let lookups = 0;
  let voids = 0;
  let queries = 0;
  let stopped = false;

  walkedRecords.add(domain);
  let level: PlannedLookup[] = spfRecordsOf(apexTxt).flatMap((record) => plannedLookups(record, domain, 1));

  while (level.length > 0 && !stopped) {
    // Apply the lookup budget in plan order before sending anything.
    const admitted: PlannedLookup[] = [];
    let overBudget: QueryOutcome | undefined;
    for (const item of level) {
      if (lookups >= limits.maxLookups || queries >= limits.maxQueries) {
        overBudget = skipped(item.name ?? item.written, typesFor(item.kind)[0]!, `SPF walk stopped after ${lookups} lookups`);
        stopped = true;
        break;
      }
      lookups++;
      admitted.push(item);
      if (item.name !== null) queries += typesFor(item.kind).length;
    }

    const levelResults = await Promise.all(
      admitted.map(async (item): Promise<QueryOutcome[]> => {
        const types = typesFor(item.kind);
        if (item.name === null) return [skipped(item.written, types[0]!, item.skipReason!)];
        const name = item.name;
        const outcomes = await Promise.all(types.map((type) => cachedLookup(name, type)));
        if (item.kind === 'mx' && outcomes[0]!.status === 'NOERROR') {
          const hosts = [...new Set(outcomes[0]!.data.flatMap((d) => (d.type === 'MX' && d.exchange !== '' ? [d.exchange] : [])))];
          const admittedHosts = hosts.slice(0, limits.maxMxHosts);
          const hostOutcomes = await Promise.all(
            admittedHosts.flatMap((host) => (['A', 'AAAA'] as const).map((type) => cachedLookup(host, type))),
          );
          outcomes.push(...hostOutcomes);
        }
        return outcomes;
      }),
    );

    const next: PlannedLookup[] = [];
    admitted.forEach((item, index) => {
      const outcomes = levelResults[index]!;
      for (const outcome of outcomes) {
        const key = `${outcome.type} ${outcome.name}`;
        if (outcome.status === 'SKIPPED') results.push(outcome);
        else if (!recorded.has(key)) {
          recorded.add(key);
          results.push(outcome);
        }
      }
      if (item.name !== null && isVoid(outcomes.slice(0, typesFor(item.kind).length))) voids++;
      if ((item.kind === 'include' || item.kind === 'redirect') && item.name !== null && outcomes[0]!.status === 'NOERROR') {
        if (walkedRecords.has(item.name)) return; // a loop: walked already
        walkedRecords.add(item.name);
        const nested = spfRecordsOf(outcomes[0]!).flatMap((record) => plannedLookups(record, item.name!, item.depth + 1));
        if (item.depth >= limits.maxDepth) {
          if (nested.length > 0) {
            overBudget ??= skipped(nested[0]!.name ?? nested[0]!.written, typesFor(nested[0]!.kind)[0]!, `SPF walk stopped at include depth ${item.depth}`);
          }
          return;
        }
        next.push(...nested);
      }
    });
    if (overBudget) {
      results.push(overBudget);
      break;
    }
    if (voids > limits.maxVoidLookups && next.length > 0) {
      results.push(skipped(next[0]!.name ?? next[0]!.written, typesFor(next[0]!.kind)[0]!, `SPF walk stopped after ${voids} void lookups`));
      break;
    }
    level = next;
  }
  return results;

  function cachedLookup(name: string, type: RRType): Promise<QueryOutcome> {
    const key = `${type} ${name}`;
    let pending = asked.get(key);
    if (!pending) {
      pending = lookup(name, type);
      asked.set(key, pending);
    }
    return pending;
  }
}
