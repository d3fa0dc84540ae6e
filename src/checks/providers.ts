// Email provider (from MX) and DNS provider (from NS) classification over the seed tables, per
// host name on label boundaries (PIPE-14, MX-8), deciding by majority with table order as the
// tie-break, so the result does not depend on the order the answer listed the records in.
import { isAtOrBelow, normaliseName } from './common';
import { DNS_PROVIDER_ID, DNS_PROVIDERS, EMAIL_PROVIDER_ID, EMAIL_PROVIDERS, type ProviderRow } from './tables';

interface CompiledRule {
  row: ProviderRow;
  priority: number;
  labels: string[];
}

function compile(rows: readonly ProviderRow[]): CompiledRule[] {
  return rows
    .map((row, priority) => ({
      row,
      priority,
      labels: row.matchString.toLowerCase().split('.').filter((l) => l.length > 0),
    }))
    .filter((rule) => rule.row.match !== 'special' && rule.row.match !== 'never');
}

const EMAIL_RULES = compile(EMAIL_PROVIDERS);
const DNS_RULES = compile(DNS_PROVIDERS);

/** True when the rule matches the host (lower case, no trailing dot). */
export function ruleMatches(rule: Pick<CompiledRule, 'labels'> & { row: Pick<ProviderRow, 'match'> }, host: string): boolean {
  const labels = host.split('.');
  const pattern = rule.labels;
  if (pattern.length === 0) return false;
  switch (rule.row.match) {
    case 'suffix': {
      if (pattern.length > labels.length) return false;
      const offset = labels.length - pattern.length;
      return pattern.every((label, i) => labels[offset + i] === label);
    }
    case 'label-infix':
      for (let start = 0; start + pattern.length <= labels.length; start++) {
        if (pattern.every((label, i) => labels[start + i] === label)) return true;
      }
      return false;
    case 'label-prefix':
      // e.g. `.awsdns-`: one label starting with the pattern (a single pattern label)
      return labels.some((label) => label.startsWith(pattern[0]!) && label.length > pattern[0]!.length);
    default:
      return false;
  }
}

function classifyHost(host: string, domain: string, rules: CompiledRule[], selfHostedId: number): { id: number; priority: number } | null {
  if (domain !== '' && isAtOrBelow(host, domain)) return { id: selfHostedId, priority: -1 };
  for (const rule of rules) if (ruleMatches(rule, host)) return { id: rule.row.id, priority: rule.priority };
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
