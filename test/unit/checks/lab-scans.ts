// Builds the SiteScan the scanner would store for a lab site, without a network: the lab world's
// recursive and authoritative views answer in memory, and src/dns's own presentation code and
// SPF-tree walker turn the answers into QueryOutcomes. Used by the checks tests and bench/grade.ts.
import { extractAnswers, type WireAnswer } from '../../../src/dns/present';
import { walkSpfTree } from '../../../src/dns/spf-tree';
import type { HostAddresses, NameServerScan, QueryOutcome, RRType, SiteScan } from '../../../src/dns/types';
import type { LabAnswer } from '../../../src/lab/records';
import type { LabWorld } from '../../../src/lab/world';

export function outcomeOf(name: string, type: RRType, answer: LabAnswer): QueryOutcome {
  const base = { name, type, records: [] as string[], data: [] as QueryOutcome['data'] };
  if (answer.action?.kind === 'drop') return { ...base, status: 'TIMEOUT' };
  if (answer.rcode !== 'NOERROR') return { ...base, status: answer.rcode };
  const section = extractAnswers(name, type, answer.answers as unknown as WireAnswer[]);
  const outcome: QueryOutcome = {
    ...base,
    status: section.records.length > 0 ? 'NOERROR' : 'NODATA',
    records: section.records,
    data: section.data,
    flags: { aa: answer.aa, tc: false, ad: false, ra: !answer.aa },
  };
  if (section.ttl !== undefined) outcome.ttl = section.ttl;
  if (section.cnames) outcome.cnames = section.cnames;
  return outcome;
}

export async function labScan(world: LabWorld, index: number): Promise<SiteScan> {
  const domain = world.domain(index);
  const ask = (name: string, type: RRType): QueryOutcome => outcomeOf(name, type, world.resolve(name, type));
  const hostAddresses = (host: string): HostAddresses => ({ host, a: ask(host, 'A'), aaaa: ask(host, 'AAAA') });
  const ns = ask(domain, 'NS');
  const nameServers: NameServerScan[] =
    ns.status !== 'NOERROR'
      ? []
      : [...new Set(ns.data.flatMap((d) => (d.type === 'NS' && d.target !== '' ? [d.target] : [])))].map((host) => {
          const addresses = hostAddresses(host);
          const ips = [...addresses.a.data, ...addresses.aaaa.data].flatMap((d) => (d.type === 'A' || d.type === 'AAAA' ? [d.address] : []));
          return {
            ...addresses,
            direct: ips.map((address) => ({
              address,
              ns: outcomeOf(domain, 'NS', world.authoritative(address, domain, 'NS')),
              soa: outcomeOf(domain, 'SOA', world.authoritative(address, domain, 'SOA')),
            })),
          };
        });
  const mx = ask(domain, 'MX');
  const mxHosts =
    mx.status !== 'NOERROR'
      ? []
      : [...new Set(mx.data.flatMap((d) => (d.type === 'MX' && d.exchange !== '' ? [d.exchange] : [])))].map(hostAddresses);
  const txt = ask(domain, 'TXT');
  const msdcsSoa = ask(`_msdcs.${domain}`, 'SOA');
  const scan: SiteScan = {
    domain,
    startedAt: '2021-03-31T08:00:00.000Z',
    endedAt: '2021-03-31T08:00:01.000Z',
    mx,
    txt,
    caa: ask(domain, 'CAA'),
    ds: ask(domain, 'DS'),
    dnskey: ask(domain, 'DNSKEY'),
    ns,
    soa: ask(domain, 'SOA'),
    dmarc: ask(`_dmarc.${domain}`, 'TXT'),
    bimi: ask(`default._bimi.${domain}`, 'TXT'),
    msdcsSoa,
    nameServers,
    mxHosts,
    spfLookups: await walkSpfTree(domain, txt, async (name, type) => ask(name, type)),
  };
  if (msdcsSoa.status === 'NOERROR') scan.msdcsControlSoa = ask(`zq7c0ntr0l${index}.${domain}`, 'SOA');
  return scan;
}
