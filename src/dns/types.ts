// The scan stage's output: everything grading needs, fetched once, stored as JSON in
// site_runs.scan, read back by processing and grading (which never touch the network).
// This module is a contract between src/dns (which fills it), src/checks (which reads it) and the
// database; keep it free of imports with side effects.

/** Outcome of one DNS query. A TIMEOUT is never "no record": it is its own status. */
export type QueryStatus =
  | 'NOERROR' // answered with at least one record of the asked type
  | 'NODATA' // NOERROR, but no record of the asked type
  | 'NXDOMAIN'
  | 'SERVFAIL'
  | 'REFUSED'
  | 'FORMERR'
  | 'NOTIMP'
  | 'RCODE' // any other response code (see `rcode`)
  | 'TIMEOUT' // no acceptable answer within the attempts
  | 'NETWORK_ERROR' // socket error (unreachable, connection refused, reset)
  | 'MALFORMED' // an answer arrived but could not be decoded
  | 'SKIPPED'; // deliberately not sent (e.g. a bound on the SPF tree was reached)

export const LOOKUP_FAILURE_STATUSES: readonly QueryStatus[] = [
  'SERVFAIL',
  'REFUSED',
  'FORMERR',
  'NOTIMP',
  'RCODE',
  'TIMEOUT',
  'NETWORK_ERROR',
  'MALFORMED',
];

export type RRType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'CAA' | 'DS' | 'DNSKEY' | 'NS' | 'SOA';

export interface MxData {
  preference: number;
  exchange: string; // lower case, no trailing dot; '' for the null MX target '.'
}
export interface CaaData {
  flags: number;
  tag: string;
  value: string;
}
export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
export interface DsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: string; // hex, lower case
}
export interface DnskeyData {
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: string; // base64
}

/** Parsed form of one answer record, by type. */
export type RecordData =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'CNAME' | 'NS'; target: string }
  | ({ type: 'MX' } & MxData)
  | { type: 'TXT'; strings: string[] } // the character-strings, unescaped, in order
  | ({ type: 'CAA' } & CaaData)
  | ({ type: 'SOA' } & SoaData)
  | ({ type: 'DS' } & DsData)
  | ({ type: 'DNSKEY' } & DnskeyData);

export interface QueryOutcome {
  name: string; // as asked: lower case A-labels, no trailing dot
  type: RRType;
  status: QueryStatus;
  rcode?: number;
  /** Answer records of the asked type, in presentation form (spec §5.1 renderings), answer order. */
  records: string[];
  /** The same records, parsed; same order as `records`. */
  data: RecordData[];
  /** Smallest TTL of the returned records. */
  ttl?: number;
  /** CNAME chain followed from `name`, if any. */
  cnames?: string[];
  flags?: { aa: boolean; tc: boolean; ad: boolean; ra: boolean };
  /** 'ip:port' of the server that answered (or was last tried). */
  server?: string;
  transport?: 'udp' | 'tcp';
  rttMs?: number;
  attempts?: number;
  /** Human-readable detail for NETWORK_ERROR / MALFORMED / SKIPPED. */
  error?: string;
  /** True when served from the per-process cache (shared NS/MX host addresses). */
  cached?: boolean;
}

export interface HostAddresses {
  host: string; // lower case, no trailing dot
  a: QueryOutcome;
  aaaa: QueryOutcome;
}

/** One name server of the domain, its addresses, and what each address answers when asked directly. */
export interface NameServerScan extends HostAddresses {
  direct: Array<{
    address: string; // IP (v4 or v6) as asked
    ns: QueryOutcome; // NS of the domain, recursion off
    soa: QueryOutcome; // SOA of the domain, recursion off (serial consistency)
  }>;
}

export interface SiteScan {
  domain: string; // lower case A-labels, no trailing dot
  startedAt: string; // ISO 8601
  endedAt: string;
  mx: QueryOutcome;
  txt: QueryOutcome; // apex TXT
  caa: QueryOutcome;
  ds: QueryOutcome;
  dnskey: QueryOutcome;
  ns: QueryOutcome;
  soa: QueryOutcome;
  dmarc: QueryOutcome; // _dmarc.<domain> TXT
  bimi: QueryOutcome; // default._bimi.<domain> TXT
  msdcsSoa: QueryOutcome; // _msdcs.<domain> SOA
  /** SOA of a random should-not-exist label, asked only when msdcsSoa answered (wildcard control). */
  msdcsControlSoa?: QueryOutcome;
  nameServers: NameServerScan[];
  mxHosts: HostAddresses[];
  /**
   * Every lookup made while walking the SPF include/redirect tree (TXT of each target; A, AAAA
   * and MX for a/mx mechanisms; A/AAAA of hosts an mx mechanism names; A for exists), in the
   * order made, bounded well past RFC 7208's 10-lookup / 2-void-lookup limits. The grader looks
   * entries up by (name, type).
   */
  spfLookups: QueryOutcome[];
}
