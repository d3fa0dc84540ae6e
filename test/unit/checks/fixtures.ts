// Hand-built SiteScans for the checks tests: a healthy site, and helpers to change one thing.
import type { DnskeyData, NameServerScan, QueryOutcome, QueryStatus, RecordData, RRType, SiteScan } from '../../../src/dns/types';
import { dnskeyRdata, dsDigest, keyTag } from '../../../src/checks/dnssec';

export const DOMAIN = 'example.com';

export function outcome(name: string, type: RRType, data: RecordData[], extra: Partial<QueryOutcome> = {}): QueryOutcome {
  return {
    name,
    type,
    status: data.length > 0 ? 'NOERROR' : 'NODATA',
    records: data.map(render),
    data,
    flags: { aa: false, tc: false, ad: false, ra: true },
    ...extra,
  };
}

/** An outcome with presentation text only (the scan stored no parsed data). */
export function textOnly(name: string, type: RRType, records: string[]): QueryOutcome {
  return { name, type, status: records.length > 0 ? 'NOERROR' : 'NODATA', records, data: [] };
}

export function status(name: string, type: RRType, s: QueryStatus): QueryOutcome {
  return { name, type, status: s, records: [], data: [] };
}

function render(d: RecordData): string {
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'CNAME':
    case 'NS':
      return `${d.target}.`;
    case 'MX':
      return `${d.preference} ${d.exchange}.`;
    case 'TXT':
      return d.strings.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(' ');
    case 'CAA':
      return `${d.flags} ${d.tag} "${d.value}"`;
    case 'SOA':
      return `${d.mname}. ${d.rname}. ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'DS':
      return `${d.keyTag} ${d.algorithm} ${d.digestType} ${d.digest}`;
    case 'DNSKEY':
      return `${d.flags} ${d.protocol} ${d.algorithm} ${d.publicKey}`;
  }
}

export const txt = (...strings: string[]): RecordData => ({ type: 'TXT', strings });
export const a = (address: string): RecordData => ({ type: address.includes(':') ? 'AAAA' : 'A', address });
export const ns = (target: string): RecordData => ({ type: 'NS', target });
export const mx = (preference: number, exchange: string): RecordData => ({ type: 'MX', preference, exchange });
export const caa = (flags: number, tag: string, value: string): RecordData => ({ type: 'CAA', flags, tag, value });

export const SOA = { mname: 'ns1.example.net', rname: 'hostmaster.example.com', serial: 2021033101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 };
export const soa = (fields: Partial<typeof SOA> = {}): RecordData => ({ type: 'SOA', ...SOA, ...fields });

// A deterministic ECDSA P-256-sized key (64 bytes); DS digests are computed from it.
export const KSK: DnskeyData = { flags: 257, protocol: 3, algorithm: 13, publicKey: Buffer.alloc(64, 7).toString('base64') };
export const ZSK: DnskeyData = { flags: 256, protocol: 3, algorithm: 13, publicKey: Buffer.alloc(64, 9).toString('base64') };
export const dnskey = (key: DnskeyData): RecordData => ({ type: 'DNSKEY', ...key });
export function dsOf(key: DnskeyData, digestType = 2, owner = DOMAIN): RecordData {
  const rdata = dnskeyRdata(key);
  return { type: 'DS', keyTag: keyTag(rdata, key.algorithm), algorithm: key.algorithm, digestType, digest: dsDigest(owner, rdata, digestType === 3 ? 2 : digestType)! };
}

export const NS_HOSTS = [
  { host: 'ns1.example.net', address: '185.10.0.1' },
  { host: 'ns2.example.org', address: '2a00:1450:4001::53' },
];

export function nameServer(host: string, addresses: string[], answer: (address: string) => { ns?: QueryOutcome; soa?: QueryOutcome } = () => ({})): NameServerScan {
  const v4 = addresses.filter((x) => !x.includes(':')).map(a);
  const v6 = addresses.filter((x) => x.includes(':')).map(a);
  return {
    host,
    a: outcome(host, 'A', v4),
    aaaa: outcome(host, 'AAAA', v6),
    direct: addresses.map((address) => ({
      address,
      ns: outcome(DOMAIN, 'NS', NS_HOSTS.map((h) => ns(h.host)), { flags: { aa: true, tc: false, ad: false, ra: false } }),
      soa: outcome(DOMAIN, 'SOA', [soa()], { flags: { aa: true, tc: false, ad: false, ra: false } }),
      ...answer(address),
    })),
  };
}

/** A healthy site: mail, SPF -all, DMARC reject, CAA, two consistent name servers, DNSSEC, no BIMI. */
export function healthySite(): SiteScan {
  return {
    domain: DOMAIN,
    startedAt: '2021-03-31T08:00:00.000Z',
    endedAt: '2021-03-31T08:00:01.000Z',
    mx: outcome(DOMAIN, 'MX', [mx(10, 'mx1.example.com'), mx(20, 'mx2.example.com')]),
    txt: outcome(DOMAIN, 'TXT', [txt('v=spf1 ip4:185.1.2.0/24 -all'), txt('google-site-verification=abc')]),
    caa: outcome(DOMAIN, 'CAA', [caa(0, 'issue', 'letsencrypt.org')]),
    ds: outcome(DOMAIN, 'DS', [dsOf(KSK)]),
    dnskey: outcome(DOMAIN, 'DNSKEY', [dnskey(KSK), dnskey(ZSK)]),
    ns: outcome(DOMAIN, 'NS', NS_HOSTS.map((h) => ns(h.host))),
    soa: outcome(DOMAIN, 'SOA', [soa()]),
    dmarc: outcome(`_dmarc.${DOMAIN}`, 'TXT', [txt('v=DMARC1; p=reject; rua=mailto:dmarc@example.com')]),
    bimi: status(`default._bimi.${DOMAIN}`, 'TXT', 'NXDOMAIN'),
    msdcsSoa: status(`_msdcs.${DOMAIN}`, 'SOA', 'NXDOMAIN'),
    nameServers: NS_HOSTS.map((h) => nameServer(h.host, [h.address])),
    mxHosts: ['mx1.example.com', 'mx2.example.com'].map((host, i) => ({
      host,
      a: outcome(host, 'A', [a(`185.1.2.${i + 10}`)]),
      aaaa: outcome(host, 'AAAA', []),
    })),
    spfLookups: [],
  };
}

/** The healthy site with `change` applied. */
export function siteWith(change: (scan: SiteScan) => void): SiteScan {
  const scan = healthySite();
  change(scan);
  return scan;
}
