// Which questions about one site the lab server answers ahead of time: what the DNS engine asks of
// every site (src/dns/README.md, "What one site scan asks"): the apex and its fixed names, the
// addresses of its name servers and mail hosts (inside the site or not: a provider's per-customer
// mail host is a name of its own), the targets of its SPF record, the addresses and TXT records of
// the site's own names, and each name server's direct NS and SOA answers. Anything else (names
// that do not exist, the random-label control query, deeper SPF targets) is answered on first
// demand and cached.
import { LabRRType } from './records';
import type { LabSite } from './site-builder';

export interface SiteQuestion {
  /** null: the recursive-resolver view; else the name-server address asked directly. */
  address: string | null;
  name: string;
  type: LabRRType;
}

const APEX_TYPES: readonly LabRRType[] = ['MX', 'TXT', 'CAA', 'DS', 'DNSKEY', 'NS', 'SOA'];

export function siteQuestions(site: LabSite): SiteQuestion[] {
  const d = site.domain;
  const questions: SiteQuestion[] = APEX_TYPES.map((type) => ({ address: null, name: d, type }));
  questions.push(
    { address: null, name: `_dmarc.${d}`, type: 'TXT' },
    { address: null, name: `default._bimi.${d}`, type: 'TXT' },
    { address: null, name: `_msdcs.${d}`, type: 'SOA' },
  );
  if (site.nonexistent) return questions;
  const seen = new Set(questions.map((q) => `${q.name} ${q.type}`));
  const add = (name: string, type: LabRRType) => {
    const key = `${name} ${type}`;
    if (seen.has(key)) return;
    seen.add(key);
    questions.push({ address: null, name, type });
  };
  const addresses = (host: string) => {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (name === '') return;
    add(name, 'A');
    add(name, 'AAAA');
  };
  for (const zone of [site.zone, ...site.childZones]) {
    for (const record of zone.records) {
      if (record.type === 'A' || record.type === 'AAAA') addresses(record.name);
      else if (record.type === 'TXT') add(record.name, 'TXT');
      else if (record.name === d && record.type === 'NS') addresses(record.data);
      else if (record.name === d && record.type === 'MX') addresses(record.data.exchange);
      if (record.name === d && record.type === 'TXT') {
        const text = record.data.join('');
        if (/^v=spf1( |$)/i.test(text)) for (const [name, type] of spfTargets(text)) add(name, type);
      }
    }
  }
  const direct = new Set<string>();
  for (const server of site.nameServers) if (server.address !== null) direct.add(server.address);
  for (const address of direct) {
    questions.push({ address, name: d, type: 'NS' }, { address, name: d, type: 'SOA' });
  }
  return questions;
}

/** (name, type) the SPF walk asks for the mechanisms of one record; macros and bare `a`/`mx` left out. */
function spfTargets(text: string): Array<[string, LabRRType]> {
  const targets: Array<[string, LabRRType]> = [];
  for (const term of text.split(' ').slice(1)) {
    const match = /^[+?~-]?(include|a|mx|exists|redirect)[:=]([^/]+)/i.exec(term);
    if (!match || match[2].includes('%') || match[2] === '.') continue;
    const name = match[2].toLowerCase().replace(/\.$/, '');
    switch (match[1].toLowerCase()) {
      case 'include':
      case 'redirect':
        targets.push([name, 'TXT']);
        break;
      case 'a':
        targets.push([name, 'A'], [name, 'AAAA']);
        break;
      case 'mx':
        targets.push([name, 'MX']);
        break;
      case 'exists':
        targets.push([name, 'A']);
        break;
    }
  }
  return targets;
}
