// DNSKEY and DS records for the lab (RFC 4034), deterministic from a seed.
//
// ECDSA P-256 (13), P-384 (14) and Ed25519 (15) keys are real key pairs derived from the seed
// (node:crypto cannot seed its key generator, but it accepts a private scalar / seed we choose).
// RSA and the retired algorithms get public-key fields of the right shape and size filled from the
// generator: the lab never signs, and nothing in dnstats can tell such a key from a real one, since
// checking it would need its private half. DS digests are real: computed over the owner name and
// DNSKEY RDATA exactly as RFC 4034 §5.1.4 says, so DS↔DNSKEY matching is genuinely testable.
import crypto from 'node:crypto';
import { Rng } from './random';

export interface LabDnskey {
  flags: number; // 257 = KSK (zone key + SEP), 256 = ZSK
  protocol: 3;
  algorithm: number;
  publicKey: Buffer;
}

export interface LabDs {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function ecdsaPublicKey(curve: 'prime256v1' | 'secp384r1', rng: Rng): Buffer {
  const size = curve === 'prime256v1' ? 32 : 48;
  const ecdh = crypto.createECDH(curve);
  // A scalar with the top byte below 0x7f is always inside the group order for both curves.
  const scalar = rng.bytes(size);
  scalar[0] = (scalar[0] % 0x7e) + 1;
  ecdh.setPrivateKey(scalar);
  return ecdh.getPublicKey().subarray(1); // uncompressed point minus the 0x04 prefix (RFC 6605 §4)
}

function ed25519PublicKey(rng: Rng): Buffer {
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, rng.bytes(32)]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32); // RFC 8080 §3: the 32-byte public key
}

function rsaShapedPublicKey(bits: number, rng: Rng): Buffer {
  const modulus = rng.bytes(bits / 8);
  modulus[0] |= 0x80;
  modulus[modulus.length - 1] |= 1;
  return Buffer.concat([Buffer.from([3, 0x01, 0x00, 0x01]), modulus]); // RFC 3110: exponent 65537
}

function publicKeyFor(algorithm: number, rng: Rng): Buffer {
  switch (algorithm) {
    case 13:
      return ecdsaPublicKey('prime256v1', rng);
    case 14:
      return ecdsaPublicKey('secp384r1', rng);
    case 15:
      return ed25519PublicKey(rng);
    case 16:
      return rng.bytes(57); // Ed448 (RFC 8080): 57-byte public key
    case 3:
    case 6:
      return rng.bytes(1 + 20 + 3 * 64); // DSA (RFC 2536) shape with T = 0
    case 12:
      return rng.bytes(64); // GOST R 34.10-2001 (RFC 5933)
    default:
      return rsaShapedPublicKey(algorithm === 1 ? 1024 : 2048, rng); // 1, 5, 7, 8, 10
  }
}

const keyCache = new Map<string, LabDnskey>();

/** A deterministic key: same (seed, algorithm, flags, slot) → same key. */
export function labDnskey(seed: number, algorithm: number, flags: 256 | 257, slot: number): LabDnskey {
  const cacheKey = `${seed}/${algorithm}/${flags}/${slot}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = { flags, protocol: 3, algorithm, publicKey: publicKeyFor(algorithm, new Rng(seed, 'dnskey', algorithm, flags, slot)) };
    keyCache.set(cacheKey, key);
  }
  return key;
}

export function dnskeyRdata(key: LabDnskey): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(key.flags, 0);
  head[2] = key.protocol;
  head[3] = key.algorithm;
  return Buffer.concat([head, key.publicKey]);
}

/** RFC 4034 Appendix B (algorithm 1 uses a different, obsolete rule: Appendix B.1). */
export function keyTag(key: LabDnskey): number {
  const rdata = dnskeyRdata(key);
  if (key.algorithm === 1) return rdata.readUInt16BE(rdata.length - 3);
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i] : rdata[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** Owner name in canonical wire form (RFC 4034 §6.2: lower case, uncompressed). */
export function canonicalNameWire(name: string): Buffer {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.').filter((l) => l.length > 0);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

const DIGEST_ALGORITHMS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };

/** The DS record of `key` at `owner` (RFC 4034 §5.1.4). Digest type 3 (GOST) gets a 32-byte filler. */
export function dsFor(owner: string, key: LabDnskey, digestType: number): LabDs {
  const algorithm = DIGEST_ALGORITHMS[digestType];
  const digest = algorithm
    ? crypto.createHash(algorithm).update(canonicalNameWire(owner)).update(dnskeyRdata(key)).digest()
    : crypto.createHash('sha256').update('gost-placeholder').update(canonicalNameWire(owner)).update(dnskeyRdata(key)).digest();
  return { keyTag: keyTag(key), algorithm: key.algorithm, digestType, digest };
}

/** True when `ds` is the digest of `key` at `owner` (what a validator checks, RFC 4035 §5.2). */
export function dsMatchesKey(owner: string, ds: LabDs, key: LabDnskey): boolean {
  if (ds.algorithm !== key.algorithm || ds.keyTag !== keyTag(key)) return false;
  return dsFor(owner, key, ds.digestType).digest.equals(ds.digest);
}
