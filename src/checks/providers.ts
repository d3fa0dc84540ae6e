// Email provider (from MX) and DNS provider (from NS) classification over the seed tables, per
// host name on label boundaries (PIPE-14, MX-8), deciding by majority with table order as the
// tie-break, so the result does not depend on the order the answer listed the records in.
import * as common from './common';
import { DNS_PROVIDER_ID, DNS_PROVIDERS, EMAIL_PROVIDER_ID, EMAIL_PROVIDERS, type ProviderRow } from './tables';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { isAtOrBelow, normaliseName } = common;

interface CompiledRule {
  row: ProviderRow;
  priority: number;
  labels: string[];
  /** The pattern's labels joined, with dots around: `.l.google.com.` */
  dotted: string;
}

function compile(rows: readonly ProviderRow[]): CompiledRule[] {
  return rows
    .map((row, priority) => ({
      row,
      priority,
      labels: row.matchString.toLowerCase().split('.').filter((l) => l.length > 0),
    }))
    .map((rule) => ({ ...rule, dotted: `.${rule.labels.join('.')}.` }))
    .filter((rule) => rule.row.match !== 'special' && rule.row.match !== 'never');
}

const EMAIL_RULES = compile(EMAIL_PROVIDERS);
const DNS_RULES = compile(DNS_PROVIDERS);

/** True when the rule matches `dottedHost`, the host with dots around it (`.mx.l.google.com.`). */
function ruleMatches(rule: CompiledRule, dottedHost: string): boolean {
  if (rule.labels.length === 0) return false;
  switch (rule.row.match) {
    case 'suffix':
      return dottedHost.endsWith(rule.dotted);
    case 'label-infix':
      return dottedHost.includes(rule.dotted);
    case 'label-prefix': {
      // e.g. `.awsdns-`: a label that starts with the pattern and goes on
      const at = dottedHost.indexOf(rule.dotted.slice(0, -1));
      return at >= 0 && dottedHost[at + rule.dotted.length - 1] !== '.';
    }
    default:
      return false;
  }
}

/** The id of the first rule (table order) matching the host, for tests and the documentation. */
export function matchingProviderId(table: 'email' | 'dns', host: string): number | null {
  const dotted = `.${normaliseName(host)}.`;
  for (const rule of table === 'email' ? EMAIL_RULES : DNS_RULES) if (ruleMatches(rule, dotted)) return rule.row.id;
  return null;
}

function classifyHost(host: string, domain: string, rules: CompiledRule[], selfHostedId: number): { id: number; priority: number } | null {
  if (domain !== '' && isAtOrBelow(host, domain)) return { id: selfHostedId, priority: -1 };
  const dotted = `.${host}.`;
  for (const rule of rules) if (ruleMatches(rule, dotted)) return { id: rule.row.id, priority: rule.priority };
  return null;
}

function decide(hosts: string[], domain: string, rules: CompiledRule[], selfHostedId: number, unknownId: number): number {
  const votes = new Map<number, { count: number; priority: number }>();
  for (const host of hosts) {
    const result = classifyHost(host, domain, rules, selfHostedId) ?? { id: unknownId, priority: Number.MAX_SAFE_INTEGER };
    const vote = votes.get(result.id) ?? { count: 0, priority: result.priority };
    vote.count++;
    votes.set(result.id, vote);
  }
  let best: { id: number; count: number; priority: number } | null = null;
  for (const [id, vote] of votes) {
    if (!best || vote.count > best.count || (vote.count === best.count && vote.priority < best.priority)) best = { id, ...vote };
  }
  return best ? best.id : unknownId;
}

/**
 * Email provider id from the MX exchanges: the exchanges of the lowest preference vote; a null MX or
 * no MX is "No mail"; exchanges under the domain are "Self-Hosted"; no rule matched is "Unknown".
 */
export function emailProviderId(domain: string, exchanges: Array<{ preference: number; exchange: string }>): number {
  const real = exchanges.filter((e) => e.exchange !== '');
  if (real.length === 0) return EMAIL_PROVIDER_ID.noMail;
  const lowest = Math.min(...real.map((e) => e.preference));
  const hosts = real.filter((e) => e.preference === lowest).map((e) => normaliseName(e.exchange));
  return decide(hosts, normaliseName(domain), EMAIL_RULES, EMAIL_PROVIDER_ID.selfHosted, EMAIL_PROVIDER_ID.unknown);
}

/** DNS provider id from the NS targets (all of them vote); null without NS records. */
export function dnsProviderId(domain: string, targets: string[]): number | null {
  const hosts = targets.filter((t) => t !== '').map(normaliseName);
  if (hosts.length === 0) return null;
  return decide(hosts, normaliseName(domain), DNS_RULES, DNS_PROVIDER_ID.selfHosted, DNS_PROVIDER_ID.unknown);
}
