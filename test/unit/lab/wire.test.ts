// The lab server's hand-written wire code, held to dns-packet: the query reader must agree with
// dns-packet's decode on every plain query (and refuse anything else), and the answer encoder must
// give dns-packet's bytes exactly.
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { encodeAnswerWire, nameOfKey, questionKey, readQuery, TYPE_NUMBER } from '../../../src/lab/wire';
import { createLabWorld } from '../../../src/lab/world';
import { siteQuestions } from '../../../src/lab/precompute';
import type { LabAnswer, LabRecord, LabRRType } from '../../../src/lab/records';

const LAB_TYPES = Object.keys(TYPE_NUMBER) as LabRRType[];

function queryWire(name: string, type: string, options: { id?: number; rd?: boolean; edns?: number; dnssecOk?: boolean } = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: options.id ?? 1,
    flags: options.rd === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
    additionals:
      options.edns !== undefined
        ? [{ type: 'OPT', name: '.', udpPayloadSize: options.edns, flags: options.dnssecOk ? dnsPacket.DNSSEC_OK : 0 } as dnsPacket.Answer]
        : [],
  } as dnsPacket.Packet);
}

/** What dns-packet encodes for the lab's answer (the server's full path). */
function dnsPacketAnswer(flags: number, name: string, type: LabRRType, answer: Pick<LabAnswer, 'answers' | 'authorities'>): Buffer {
  const toPacket = (record: LabRecord): dnsPacket.Answer => {
    let data: unknown = record.data;
    if (record.type === 'TXT') data = [...record.data];
    else if (record.type === 'MX' && record.data.exchange === '') data = { ...record.data, exchange: '.' };
    else if ((record.type === 'NS' || record.type === 'CNAME') && record.data === '') data = '.';
    return { name: record.name, type: record.type, ttl: record.ttl, class: 'IN', data } as dnsPacket.Answer;
  };
  return dnsPacket.encode({
    type: 'response',
    id: 0,
    flags,
    questions: [{ name, type, class: 'IN' }],
    answers: answer.answers.map(toPacket),
    authorities: answer.authorities.map(toPacket),
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: 0 } as dnsPacket.Answer],
  } as dnsPacket.Packet);
}

function handEncoded(flags: number, name: string, type: LabRRType, answer: Pick<LabAnswer, 'answers' | 'authorities'>): Buffer | null {
  const buf = Buffer.alloc(65535);
  const end = encodeAnswerWire({ flags, name, type, answers: answer.answers, authorities: answer.authorities }, buf, 0);
  return end < 0 ? null : buf.subarray(0, end);
}

const label = fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/);
const dnsName = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));

describe('readQuery (the hand-written query reader)', () => {
  it('agrees with dns-packet on every plain query: key, type, EDNS, payload limit, case', () => {
    fc.assert(
      fc.property(
        dnsName,
        fc.constantFrom(...LAB_TYPES, 'HTTPS', 'PTR', 'SRV'),
        fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 0, max: 65535 }),
        fc.boolean(),
        (name, type, edns, rd, id, dnssecOk) => {
          const wire = queryWire(name, type, { id, rd, edns, dnssecOk });
          const decoded = dnsPacket.decode(wire);
          const view = readQuery(wire);
          const question = decoded.questions![0];
          const typeNumber = wire.readUInt16BE(12 + Buffer.byteLength(name) + 2);
          const hasCapitals = /[A-Z]/.test(name);
          if (hasCapitals && /[A-Z]/.test(String.fromCharCode(typeNumber >> 8, typeNumber & 0xff))) {
            expect(view).toBeUndefined(); // lower-casing the key would change the QTYPE bytes
            return;
          }
          expect(view).toBeDefined();
          expect(view!.key).toBe(questionKey(question.name.toLowerCase(), typeNumber));
          expect(nameOfKey(view!.key)).toBe(question.name.toLowerCase());
          expect(view!.type).toBe(typeNumber);
          expect(view!.mixedCase).toBe(hasCapitals);
          expect(view!.edns).toBe(edns !== undefined);
          // The full path's rule, on dns-packet's decoding of the OPT record.
          const opt = decoded.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
          expect(view!.udpLimit).toBe(opt ? Math.max(512, Math.min(opt.udpPayloadSize ?? 512, 65535)) : 512);
          expect(view!.questionEnd).toBe(12 + Buffer.byteLength(name) + 2 + 4);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the root name', () => {
    const view = readQuery(queryWire('.', 'NS'));
    expect(view?.key).toBe(questionKey('', 'NS'));
    expect(nameOfKey(view!.key)).toBe('.');
  });

  it('leaves everything unusual to dns-packet', () => {
    const plain = queryWire('example.test', 'A', { edns: 1232 });
    expect(readQuery(plain)).toBeDefined();
    const patched = (patch: (b: Buffer) => void) => {
      const b = Buffer.from(plain);
      patch(b);
      return b;
    };
    const cases: Record<string, Buffer> = {
      response: patched((b) => (b[2] |= 0x80)),
      'opcode NOTIFY': patched((b) => (b[2] |= 4 << 3)),
      'no question': dnsPacket.encode({ type: 'query', id: 1, questions: [] }),
      'two questions': dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'a.test', type: 'A' }, { name: 'b.test', type: 'A' }] }),
      'an answer record': dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'a.test', type: 'A' }], answers: [{ name: 'a.test', type: 'A', data: '192.0.2.1' }] }),
      'class CH': dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'a.test', type: 'TXT', class: 'CH' }] }),
      'an EDNS option': dnsPacket.encode({
        type: 'query',
        id: 1,
        questions: [{ name: 'a.test', type: 'A' }],
        additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, options: [{ code: 12, length: 4 }] } as unknown as dnsPacket.Answer],
      }),
      'two additional records': patched((b) => (b[11] = 2)),
      'trailing bytes': Buffer.concat([plain, Buffer.from([0])]),
      'cut short': plain.subarray(0, plain.length - 3),
      'compression pointer': Buffer.concat([plain.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]),
      'non-ASCII label': queryWire('caf\u00e9.test', 'A'),
      'name over 255 bytes': queryWire(Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.'), 'A'),
      'header only': plain.subarray(0, 12),
    };
    for (const [what, wire] of Object.entries(cases)) {
      expect([what, readQuery(wire)]).toEqual([what, undefined]);
    }
  });
});

describe('encodeAnswerWire (the precompute encoder)', () => {
  it("gives dns-packet's bytes for every precomputed answer of every scenario, in every view", () => {
    const world = createLabWorld({ sites: 450, seed: 3 });
    let compared = 0;
    for (let index = 0; index < world.size; index++) {
      for (const { address, name, type } of siteQuestions(world.site(index))) {
        const answer = address === null ? world.resolve(name, type) : world.authoritative(address, name, type);
        const flags = (address === null ? dnsPacket.RECURSION_AVAILABLE : 0) | (answer.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | 3;
        const expected = dnsPacketAnswer(flags, name, type, answer);
        const got = handEncoded(flags, name, type, answer);
        if (got === null || !got.equals(expected)) throw new Error(`${world.domain(index)}: ${name} ${type} @${address ?? 'resolver'} differs from dns-packet`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(450 * 10);
  });

  it("gives dns-packet's bytes for arbitrary records, or declines", () => {
    const ttl = fc.integer({ min: 0, max: 2 ** 31 - 1 });
    const text = fc.string({ unit: 'grapheme', maxLength: 80 });
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    const oddName = fc.oneof(dnsName, dnsName.map((n) => n + '.'), fc.constantFrom('', '.', 'a..b', 'caf\u00e9.test', 'x'.repeat(64) + '.test', 'sp ace.test'));
    const record: fc.Arbitrary<LabRecord> = fc.oneof(
      fc.record({ name: oddName, type: fc.constant('A' as const), ttl, data: ipv4 }),
      fc.record({ name: dnsName, type: fc.constant('AAAA' as const), ttl, data: fc.ipV6() }),
      fc.record({ name: dnsName, type: fc.constantFrom('NS' as const, 'CNAME' as const), ttl, data: oddName }),
      fc.record({ name: dnsName, type: fc.constant('MX' as const), ttl, data: fc.record({ preference: fc.nat(65535), exchange: oddName }) }),
      fc.record({ name: dnsName, type: fc.constant('TXT' as const), ttl, data: fc.array(text, { minLength: 1, maxLength: 3 }) }),
      fc.record({ name: dnsName, type: fc.constant('CAA' as const), ttl, data: fc.record({ flags: fc.constantFrom(0, 128), tag: fc.constantFrom('issue', 'iodef'), value: text }) }),
      fc.record({
        name: dnsName,
        type: fc.constant('SOA' as const),
        ttl,
        data: fc.record({ mname: oddName, rname: oddName, serial: fc.nat(), refresh: fc.nat(), retry: fc.nat(), expire: fc.nat(), minimum: fc.nat() }),
      }),
      fc.record({
        name: dnsName,
        type: fc.constant('DS' as const),
        ttl,
        data: fc.record({ keyTag: fc.nat(65535), algorithm: fc.nat(255), digestType: fc.nat(255), digest: fc.uint8Array({ minLength: 20, maxLength: 48 }).map((a) => Buffer.from(a)) }),
      }),
    );
    let encoded = 0;
    fc.assert(
      fc.property(oddName, fc.constantFrom(...LAB_TYPES), fc.array(record, { maxLength: 4 }), fc.array(record, { maxLength: 2 }), fc.nat(0x7fff), (name, type, answers, authorities, flags) => {
        const got = handEncoded(flags, name, type, { answers, authorities });
        if (got === null) return; // declined: the server then encodes with dns-packet
        encoded++;
        expect(got.equals(dnsPacketAnswer(flags, name, type, { answers, authorities }))).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(encoded).toBeGreaterThan(100); // the property is not vacuous
  });

  it('declines names it does not take, and says when the buffer is too small', () => {
    const soa: LabRecord = { name: 'a.test', type: 'SOA', ttl: 60, data: { mname: 'ns.a.test', rname: 'first\\.last.a.test', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } };
    expect(encodeAnswerWire({ flags: 0, name: 'a.test', type: 'SOA', answers: [soa], authorities: [] }, Buffer.alloc(512), 0)).toBe(-1);
    expect(encodeAnswerWire({ flags: 0, name: 'caf\u00e9.test', type: 'A', answers: [], authorities: [] }, Buffer.alloc(512), 0)).toBe(-1);
    const big: LabRecord = { name: 'a.test', type: 'TXT', ttl: 60, data: ['x'.repeat(255)] };
    expect(() => encodeAnswerWire({ flags: 0, name: 'a.test', type: 'TXT', answers: [big, big], authorities: [] }, Buffer.alloc(300), 0)).toThrow(RangeError);
  });
});
