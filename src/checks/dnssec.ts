// DNSSEC (RFC 4034, RFC 4035 §5, RFC 8624): the DS set at the parent against the zone's DNSKEY
// set: key tags and digests computed with node:crypto, algorithms and digest types classified per
// RFC 8624. Never throws.
import { createHash } from 'node:crypto';
import type { DnskeyData, DsData, SiteScan } from '../dns/types';
import * as common from './common';
import type { AreaGrade } from './types';

// Bound once: under tsx (esbuild's CommonJS output) each call through a named import goes through
// a getter on the exporting module, a measurable cost on these hot paths.
const { classify, dataAt, normaliseName, recordCount, RemarkList, textAt } = common;

export type AlgorithmClass = 'must-not' | 'not-recommended' | 'ok' | 'unknown';

/** RFC 8624 §3.1 (DNSKEY/DS algorithms, signing column). */
export function classifyAlgorithm(algorithm: number): AlgorithmClass {
  if ([1, 3, 6, 12].includes(algorithm)) return 'must-not';
  if ([5, 7, 10].includes(algorithm)) return 'not-recommended';
  if ([8, 13, 14, 15, 16].includes(algorithm)) return 'ok';
  return 'unknown';
}

/** RFC 8624 §3.3 (DS digest types, publishing column). */
export function classifyDigestType(digestType: number): AlgorithmClass {
  if (digestType === 1 || digestType === 3) return 'must-not';
  if (digestType === 2 || digestType === 4) return 'ok';
  return 'unknown';
}

const DIGEST: Record<number, { hash: string; bytes: number }> = {
  1: { hash: 'sha1', bytes: 20 },
  2: { hash: 'sha256', bytes: 32 },
  4: { hash: 'sha384', bytes: 48 },
};
const DIGEST_BYTES: Record<number, number> = { 1: 20, 2: 32, 3: 32, 4: 48 };

/** RDATA of a DNSKEY: flags (16 bits), protocol, algorithm, key (RFC 4034 §2.1). */
export function dnskeyRdata(key: DnskeyData): Buffer {
  const publicKey = Buffer.from(key.publicKey, 'base64');
  const rdata = Buffer.alloc(4 + publicKey.length);
  rdata.writeUInt16BE(key.flags & 0xffff, 0);
  rdata[2] = key.protocol & 0xff;
  rdata[3] = key.algorithm & 0xff;
  publicKey.copy(rdata, 4);
  return rdata;
}

/** RFC 4034 Appendix B key tag. */
export function keyTag(rdata: Buffer, algorithm: number): number {
  if (algorithm === 1) return rdata.length >= 4 ? rdata.readUInt16BE(rdata.length - 3) : 0;
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** The owner name in canonical wire form (RFC 4034 §6.2: lower case, uncompressed). */
export function canonicalName(name: string): Buffer {
  const labels = normaliseName(name).split('.').filter((l) => l.length > 0);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    parts.push(Buffer.from([Math.min(bytes.length, 63)]), bytes.subarray(0, 63));
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** The DS digest of a DNSKEY (RFC 4034 §5.1.4), or null for a digest type node:crypto cannot compute here. */
export function dsDigest(owner: string, rdata: Buffer, digestType: number): string | null {
  const digest = DIGEST[digestType];
  if (!digest) return null;
  return createHash(digest.hash).update(canonicalName(owner)).update(rdata).digest('hex');
}

/** Modulus length in bits of an RSA public key (RFC 3110 §2), or null when it cannot be read. */
export function rsaModulusBits(publicKey: Buffer): number | null {
  if (publicKey.length < 3) return null;
  let offset = 1;
  let exponentLength = publicKey[0]!;
  if (exponentLength === 0) {
    exponentLength = publicKey.readUInt16BE(1);
    offset = 3;
  }
  const modulus = publicKey.subarray(offset + exponentLength);
  if (modulus.length === 0) return null;
  let bits = modulus.length * 8;
  for (let i = 0; i < modulus.length && modulus[i] === 0; i++) bits -= 8;
  return bits;
}

function readDs(scan: SiteScan, i: number): DsData | null {
  const data = dataAt(scan.ds, i, 'DS');
  let ds: DsData;
  if (data) ds = { keyTag: data.keyTag, algorithm: data.algorithm, digestType: data.digestType, digest: String(data.digest ?? '') };
  else {
    const parts = (textAt(scan.ds, i) ?? '').split(' ');
    if (parts.length < 4 || !parts.slice(0, 3).every((p) => /^[0-9]{1,5}$/.test(p))) return null;
    ds = { keyTag: Number(parts[0]), algorithm: Number(parts[1]), digestType: Number(parts[2]), digest: parts.slice(3).join('') };
  }
  ds.digest = ds.digest.toLowerCase();
  if (![ds.keyTag, ds.algorithm, ds.digestType].every((n) => Number.isInteger(n) && n >= 0)) return null;
  if (ds.keyTag > 65535 || ds.algorithm > 255 || ds.digestType > 255) return null;
  if (!/^(?:[0-9a-f]{2})+$/.test(ds.digest)) return null;
  const expected = DIGEST_BYTES[ds.digestType];
  if (expected !== undefined && ds.digest.length !== expected * 2) return null;
  return ds;
}

function readDnskey(scan: SiteScan, i: number): DnskeyData | null {
  const data = dataAt(scan.dnskey, i, 'DNSKEY');
  let key: DnskeyData;
  if (data) key = { flags: data.flags, protocol: data.protocol, algorithm: data.algorithm, publicKey: String(data.publicKey ?? '') };
  else {
    const parts = (textAt(scan.dnskey, i) ?? '').split(' ');
    if (parts.length < 4 || !parts.slice(0, 3).every((p) => /^[0-9]{1,5}$/.test(p))) return null;
    key = { flags: Number(parts[0]), protocol: Number(parts[1]), algorithm: Number(parts[2]), publicKey: parts.slice(3).join('') };
  }
  if (![key.flags, key.protocol, key.algorithm].every((n) => Number.isInteger(n) && n >= 0)) return null;
  if (key.flags > 65535 || key.protocol !== 3 || key.algorithm > 255) return null;
  if (key.publicKey === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key.publicKey)) return null;
  return key;
}

export interface DnssecAnalysis {
  status: 'failed' | 'unsigned' | 'no-dnskey' | 'checked';
  dsAlgorithms: number[];
  digestTypes: number[];
  dnskeyAlgorithms: number[];
  /** At least one DS matches a zone key; null when it could not be verified. */
  dsMatchesDnskey: boolean | null;
  remarks: string[];
}

export function analyseDnssec(scan: SiteScan): DnssecAnalysis {
  const analysis: DnssecAnalysis = { status: 'checked', dsAlgorithms: [], digestTypes: [], dnskeyAlgorithms: [], dsMatchesDnskey: null, remarks: [] };
  const remarks = analysis.remarks;
  const dsClass = classify(scan.ds);
  const keyClass = classify(scan.dnskey);
  const keys: DnskeyData[] = [];
  if (keyClass === 'records') {
    const count = recordCount(scan.dnskey);
    for (let i = 0; i < count; i++) {
      const key = readDnskey(scan, i);
      if (key) keys.push(key);
      else if (!remarks.includes('MALFORMED_DNSKEY_RECORD')) remarks.push('MALFORMED_DNSKEY_RECORD');
    }
    analysis.dnskeyAlgorithms = [...new Set(keys.map((k) => k.algorithm))];
  }
  if (dsClass === 'failed') return { ...analysis, status: 'failed', remarks: [] };
  if (dsClass === 'none') {
    return { ...analysis, status: 'unsigned', remarks: keys.length > 0 ? ['DNSKEY_WITHOUT_DS'] : [] };
  }
  const dsSet: DsData[] = [];
  const dsCount = recordCount(scan.ds);
  for (let i = 0; i < dsCount; i++) {
    const ds = readDs(scan, i);
    if (ds) dsSet.push(ds);
    else if (!remarks.includes('MALFORMED_DS_RECORD')) remarks.push('MALFORMED_DS_RECORD');
  }
  analysis.dsAlgorithms = [...new Set(dsSet.map((d) => d.algorithm))];
  analysis.digestTypes = [...new Set(dsSet.map((d) => d.digestType))];
  const once = (name: string): void => {
    if (!remarks.includes(name)) remarks.push(name);
  };
  for (const algorithm of analysis.dsAlgorithms) {
    const cls = classifyAlgorithm(algorithm);
    if (cls === 'must-not') once('DS_ALGORITHM_MUST_NOT');
    else if (cls === 'not-recommended') once('DS_ALGORITHM_NOT_RECOMMENDED');
    else if (cls === 'unknown') once('DS_ALGORITHM_UNKNOWN');
  }
  for (const digestType of analysis.digestTypes) {
    const cls = classifyDigestType(digestType);
    if (cls === 'must-not') once('DS_DIGEST_TYPE_MUST_NOT');
    else if (cls === 'unknown') once('DS_DIGEST_TYPE_UNKNOWN');
  }
  if (keyClass === 'failed') return { ...analysis, status: 'failed', remarks: [] };
  if (keyClass === 'none') return { ...analysis, status: 'no-dnskey' };
  for (const algorithm of analysis.dnskeyAlgorithms) {
    const cls = classifyAlgorithm(algorithm);
    if (cls === 'must-not') once('DNSKEY_ALGORITHM_MUST_NOT');
    else if (cls === 'not-recommended') once('DNSKEY_ALGORITHM_NOT_RECOMMENDED');
    else if (cls === 'unknown') once('DNSKEY_ALGORITHM_UNKNOWN');
  }
  for (const key of keys) {
    if ([1, 5, 7, 8, 10].includes(key.algorithm)) {
      const bits = rsaModulusBits(Buffer.from(key.publicKey, 'base64'));
      if (bits !== null && bits < 1024) once('RSA_KEY_TOO_SHORT');
    }
  }

  // Zone keys (flags bit 7, RFC 4034 §2.1.1) with their tags and wire RDATA.
  const zoneKeys = keys
    .filter((k) => (k.flags & 0x0100) !== 0)
    .map((k) => {
      const rdata = dnskeyRdata(k);
      return { key: k, rdata, tag: keyTag(rdata, k.algorithm) };
    });
  let matched = 0;
  let unmatched = 0;
  let unverifiable = 0;
  for (const ds of dsSet) {
    const candidates = zoneKeys.filter((z) => z.tag === ds.keyTag && z.key.algorithm === ds.algorithm);
    if (!DIGEST[ds.digestType]) {
      unverifiable++;
      if (ds.digestType === 3) once('DS_DIGEST_UNVERIFIABLE');
      continue;
    }
    const match = candidates.find((z) => dsDigest(scan.domain, z.rdata, ds.digestType) === ds.digest);
    if (match) {
      matched++;
      if ((match.key.flags & 0x0001) === 0) once('MATCHED_KEY_NOT_SEP');
    } else unmatched++;
  }
  if (matched > 0) {
    analysis.dsMatchesDnskey = true;
    if (unmatched > 0) once('STALE_DS_RECORD');
  } else if (unmatched > 0 && unverifiable === 0) {
    analysis.dsMatchesDnskey = false;
    once('DS_DOES_NOT_MATCH_DNSKEY');
  } else if (dsSet.length === 0) {
    analysis.dsMatchesDnskey = false;
  }
  return analysis;
}

const MUST_NOT = new Set(['DS_ALGORITHM_MUST_NOT', 'DS_DIGEST_TYPE_MUST_NOT', 'DNSKEY_ALGORITHM_MUST_NOT']);
const NOT_RECOMMENDED = new Set(['DS_ALGORITHM_NOT_RECOMMENDED', 'DNSKEY_ALGORITHM_NOT_RECOMMENDED']);
const INFO = new Set(['DNSKEY_WITHOUT_DS', 'MATCHED_KEY_NOT_SEP', 'DS_DIGEST_UNVERIFIABLE']);

/**
 * DNSSEC grade (new): unsigned 0; a DS with no DNSKEY, or no DS matching a zone key, 0 (bogus);
 * otherwise 100 − 40 per "must not" finding − 15 per "not recommended" − 10 per other problem.
 */
export function gradeDnssec(analysis: DnssecAnalysis): AreaGrade {
  const remarks = new RemarkList('dnssec');
  if (analysis.status === 'failed') {
    remarks.add('LOOKUP_FAILED');
    return remarks.grade(null);
  }
  if (analysis.status === 'unsigned') {
    remarks.add('NO_DS_RECORDS');
    for (const name of analysis.remarks) remarks.add(name);
    return remarks.grade(0);
  }
  for (const name of analysis.remarks) remarks.add(name);
  if (analysis.status === 'no-dnskey') {
    remarks.add('NO_DNSKEY_RECORDS');
    return remarks.grade(0);
  }
  if (analysis.dsMatchesDnskey === false) {
    if (!remarks.has('DS_DOES_NOT_MATCH_DNSKEY')) remarks.add('DS_DOES_NOT_MATCH_DNSKEY');
    return remarks.grade(0);
  }
  let points = 100;
  for (const name of analysis.remarks) {
    if (MUST_NOT.has(name)) points -= 40;
    else if (NOT_RECOMMENDED.has(name)) points -= 15;
    else if (!INFO.has(name)) points -= 10;
  }
  return remarks.grade(points);
}
