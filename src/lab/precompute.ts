// Which questions about one site the lab server answers ahead of time: what the DNS engine asks of
// every site (src/dns/README.md, "What one site scan asks"), limited to names inside the site, plus
// the addresses and TXT records of the site's own names (its name servers, mail hosts and SPF
// targets). Anything else (provider infrastructure, names that do not exist, the random-label
// control query) is answered on first demand and cached.
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
  for (const zone of [site.zone, ...site.childZones]) {
    for (const record of zone.records) {
      if (record.type === 'A' || record.type === 'AAAA') {
        add(record.name, 'A');
        add(record.name, 'AAAA');
      } else if (record.type === 'TXT') add(record.name, 'TXT');
    }
  }
  const addresses = new Set<string>();
  for (const server of site.nameServers) if (server.address !== null) addresses.add(server.address);
  for (const address of addresses) {
    questions.push({ address, name: d, type: 'NS' }, { address, name: d, type: 'SOA' });
  }
  return questions;
}
