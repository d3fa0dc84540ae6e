// Record and zone shapes of the lab world. Record data uses dns-packet's shapes so the server can
// encode it directly (no conversion per query).
import type { SoaData } from '../dns/types';

export type LabRRType = 'A' | 'AAAA' | 'NS' | 'MX' | 'TXT' | 'CAA' | 'SOA' | 'DS' | 'DNSKEY' | 'CNAME';

/** The SOA fields, as the scan contract and dns-packet both shape them. */
export type SoaFields = SoaData;

export type LabRecord =
  | { name: string; type: 'A'; ttl: number; data: string }
  | { name: string; type: 'AAAA'; ttl: number; data: string }
  | { name: string; type: 'NS'; ttl: number; data: string }
  | { name: string; type: 'CNAME'; ttl: number; data: string }
  | { name: string; type: 'MX'; ttl: number; data: { preference: number; exchange: string } }
  | { name: string; type: 'TXT'; ttl: number; data: string[] } // character-strings of one record
  | { name: string; type: 'CAA'; ttl: number; data: { flags: number; tag: string; value: string } }
  | { name: string; type: 'SOA'; ttl: number; data: SoaFields }
  | { name: string; type: 'DS'; ttl: number; data: { keyTag: number; algorithm: number; digestType: number; digest: Buffer } }
  | { name: string; type: 'DNSKEY'; ttl: number; data: { flags: number; algorithm: number; key: Buffer } };

/** A zone: its apex and every record in it (owner names lower case, no trailing dot). */
export interface LabZone {
  origin: string;
  records: LabRecord[];
}

export type LabRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR' | 'NOTIMP';

/** What the server does with a matching query instead of (or before) answering. */
export type FaultAction =
  | { kind: 'drop' } // no answer at all: the client times out
  | { kind: 'rcode'; rcode: 'SERVFAIL' | 'REFUSED' | 'FORMERR' | 'NOTIMP' }
  | { kind: 'delay'; ms: number } // answer correctly, late
  | { kind: 'truncate' }; // over UDP always TC (whatever the size); full answer over TCP

export interface ResolverFault {
  /** Owner name the fault applies to, or '*' for every name of the site. */
  name: string;
  type: LabRRType | '*';
  action: FaultAction;
}

/** How one name server of a site behaves when asked directly. */
export type NameServerBehaviour =
  | { kind: 'ok' }
  | { kind: 'refused' } // lame: REFUSED for the zone
  | { kind: 'not-authoritative' } // lame: answers, but without AA
  | { kind: 'servfail' }
  | { kind: 'drop' } // never answers
  | { kind: 'ns-set'; hosts: string[] } // answers a different NS RRset (inconsistent)
  | { kind: 'soa-serial'; serial: number }; // answers an older SOA serial (out of sync)

export interface LabAnswer {
  rcode: LabRcode;
  aa: boolean;
  answers: LabRecord[];
  authorities: LabRecord[];
  /** A fault that applies to this query (drop, delay, forced truncation). */
  action?: FaultAction;
}

export function rr<T extends LabRecord['type']>(
  name: string,
  type: T,
  data: Extract<LabRecord, { type: T }>['data'],
  ttl = 3600,
): Extract<LabRecord, { type: T }> {
  return { name, type, ttl, data } as Extract<LabRecord, { type: T }>;
}

/** Presentation form of one record's data, as spec §5.1 renders it (used by zone export and tests). */
export function presentData(record: LabRecord): string {
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return record.data;
    case 'NS':
    case 'CNAME':
      return absolute(record.data);
    case 'MX':
      return `${record.data.preference} ${absolute(record.data.exchange)}`;
    case 'TXT':
      return record.data.map(quoteCharacterString).join(' ');
    case 'CAA':
      return `${record.data.flags} ${record.data.tag} ${quoteCharacterString(record.data.value)}`;
    case 'SOA': {
      const s = record.data;
      return `${absolute(s.mname)} ${absolute(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'DS':
      return `${record.data.keyTag} ${record.data.algorithm} ${record.data.digestType} ${record.data.digest.toString('hex').toUpperCase()}`;
    case 'DNSKEY':
      return `${record.data.flags} 3 ${record.data.algorithm} ${record.data.key.toString('base64')}`;
  }
}

export function absolute(name: string): string {
  return name === '' || name === '.' ? '.' : name.endsWith('.') ? name : `${name}.`;
}

/** RFC 1035 §5.1 character-string: quoted; `"` and `\` escaped; non-printables as \DDD. */
export function quoteCharacterString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else if (byte < 0x20 || byte > 0x7e) out += '\\' + String(byte).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}
