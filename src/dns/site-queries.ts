// Every QueryOutcome one SiteScan holds, flattened (for counting, failure summaries, benchmarks).
import type { QueryOutcome, SiteScan } from './types';

export function queriesIn(scan: SiteScan): QueryOutcome[] {
  const list: QueryOutcome[] = [scan.mx, scan.txt, scan.caa, scan.ds, scan.dnskey, scan.ns, scan.soa, scan.dmarc, scan.bimi, scan.msdcsSoa];
  if (scan.msdcsControlSoa) list.push(scan.msdcsControlSoa);
  for (const ns of scan.nameServers) {
    list.push(ns.a, ns.aaaa);
    for (const direct of ns.direct) list.push(direct.ns, direct.soa);
  }
  for (const host of scan.mxHosts) list.push(host.a, host.aaaa);
  list.push(...scan.spfLookups);
  return list;
}
