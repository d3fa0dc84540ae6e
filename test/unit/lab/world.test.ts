import { createLabWorld } from '../../../src/lab/world';
import { SCENARIOS } from '../../../src/lab/scenarios';
import { dsFor, dsMatchesKey, keyTag, labDnskey } from '../../../src/lab/dnssec';
import crypto from 'node:crypto';

describe('lab world', () => {
  it('is deterministic: same (sites, seed) gives the same sites', () => {
    const a = createLabWorld({ sites: 500, seed: 7 });
    const b = createLabWorld({ sites: 500, seed: 7 });
    for (const i of [0, 1, 77, 250, 499]) {
      expect(b.domain(i)).toBe(a.domain(i));
      expect(JSON.stringify(b.site(i))).toBe(JSON.stringify(a.site(i)));
    }
  });

  it('changes with the seed', () => {
    const a = createLabWorld({ sites: 300, seed: 1 });
    const b = createLabWorld({ sites: 300, seed: 2 });
    const same = Array.from({ length: 300 }, (_, i) => a.domain(i) === b.domain(i)).filter(Boolean).length;
    expect(same).toBeLessThan(30);
  });

  it('gives rank i+1 and maps names below a site back to its index', () => {
    const world = createLabWorld({ sites: 1000 });
    const d = world.domain(421);
    expect(world.site(421).rank).toBe(422);
    expect(world.indexOf(d)).toBe(421);
    expect(world.indexOf(`_dmarc.${d}`.toUpperCase() + '.')).toBe(421);
    expect(world.indexOf('unknown999999.test')).toBeUndefined();
    expect(world.indexOf(world.domain(421).replace(/\d+\./, '422.'))).toBeUndefined();
  });

  it('builds any site of a 1,000,000-site world on demand', () => {
    const world = createLabWorld({ sites: 1_000_000 });
    const s = world.site(999_999);
    expect(s.rank).toBe(1_000_000);
    expect(world.indexOf(s.domain)).toBe(999_999);
    expect(world.resolve(s.domain, 'SOA').rcode).toBe(s.nonexistent ? 'NXDOMAIN' : 'NOERROR');
  });

  it('puts every scenario in a small world, and the realistic mix after that is mostly healthy', () => {
    const world = createLabWorld({ sites: 4000 });
    const seen = new Set(Array.from({ length: SCENARIOS.length }, (_, i) => world.site(i).scenario));
    expect(seen.size).toBe(SCENARIOS.length);
    const tail = Array.from({ length: 3000 }, (_, k) => world.scenarioOf(1000 + k).id);
    const typical = tail.filter((id) => id === 'typical').length / tail.length;
    expect(typical).toBeGreaterThan(0.6);
    expect(new Set(tail).size).toBeGreaterThan(40);
  });

  it('rejects bad options with a message naming the input', () => {
    expect(() => createLabWorld({ sites: 0 })).toThrow(/sites must be .* got 0/);
    expect(() => createLabWorld({ sites: 10, seed: -1 })).toThrow(/seed .* got -1/);
    expect(() => createLabWorld({ sites: 10 }).site(10)).toThrow(/index 10 is outside 0..9/);
  });
});

describe('lab DNSSEC material', () => {
  it('computes DS digests per RFC 4034 and detects mismatches', () => {
    const key = labDnskey(1, 13, 257, 0);
    const ds = dsFor('example.test', key, 2);
    const rdata = Buffer.concat([Buffer.from([1, 1, 3, 13]), key.publicKey]);
    const wireName = Buffer.from([7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]);
    expect(ds.digest.equals(crypto.createHash('sha256').update(wireName).update(rdata).digest())).toBe(true);
    expect(ds.keyTag).toBe(keyTag(key));
    expect(dsMatchesKey('EXAMPLE.test.', ds, key)).toBe(true);
    expect(dsMatchesKey('example.test', ds, labDnskey(1, 13, 257, 1))).toBe(false);
    expect(dsMatchesKey('other.test', ds, key)).toBe(false);
  });

  it('derives real ECDSA P-256 and Ed25519 public keys deterministically', () => {
    const p256 = labDnskey(3, 13, 257, 0);
    expect(p256.publicKey.length).toBe(64);
    const jwk = { kty: 'EC', crv: 'P-256', x: p256.publicKey.subarray(0, 32).toString('base64url'), y: p256.publicKey.subarray(32).toString('base64url') };
    expect(() => crypto.createPublicKey({ key: jwk, format: 'jwk' })).not.toThrow(); // a point on the curve
    const ed = labDnskey(3, 15, 257, 0);
    expect(ed.publicKey.length).toBe(32);
    expect(labDnskey(3, 15, 257, 0).publicKey.equals(ed.publicKey)).toBe(true);
  });

  it('matches RFC 4034 key-tag arithmetic on a known key (RFC 4034 §5.4 example key)', () => {
    // DNSKEY of dskey.example.com from RFC 4034 §5.4, whose DS gives key tag 60485.
    const publicKey = Buffer.from(
      'AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==',
      'base64',
    );
    expect(keyTag({ flags: 256, protocol: 3, algorithm: 5, publicKey })).toBe(60485);
  });
});
