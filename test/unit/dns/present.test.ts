import * as dnsPacket from 'dns-packet';
import { extractAnswers, type WireAnswer } from '../../../src/dns/present';
import type { RRType } from '../../../src/dns/types';

/** Encodes the answers as a real message and decodes them again, so the test sees what the engine sees. */
function throughWire(answers: dnsPacket.Answer[]): WireAnswer[] {
  const bytes = dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'example.com' }], answers });
  return dnsPacket.decode(bytes).answers as WireAnswer[];
}

function present(type: RRType, data: unknown, name = 'example.com') {
  return extractAnswers(name, type, throughWire([{ type, name, ttl: 100, data } as dnsPacket.Answer]));
}

describe('presentation form (spec §5.1) and parsed data', () => {
  test('A and AAAA', () => {
    expect(present('A', '192.0.2.1')).toMatchObject({ records: ['192.0.2.1'], data: [{ type: 'A', address: '192.0.2.1' }], ttl: 100 });
    expect(present('AAAA', '2001:db8::1').records).toEqual(['2001:db8::1']);
  });

  test('MX: absolute exchange; the null MX', () => {
    expect(present('MX', { preference: 10, exchange: 'MX1.Example.com' })).toMatchObject({
      records: ['10 MX1.Example.com.'],
      data: [{ type: 'MX', preference: 10, exchange: 'mx1.example.com' }],
    });
    expect(present('MX', { preference: 0, exchange: '.' })).toMatchObject({
      records: ['0 .'],
      data: [{ type: 'MX', preference: 0, exchange: '' }],
    });
  });

  test('NS', () => {
    expect(present('NS', 'ns1.example.net')).toMatchObject({ records: ['ns1.example.net.'], data: [{ type: 'NS', target: 'ns1.example.net' }] });
  });

  test('TXT: quoted strings, escapes for quote, backslash and non-printables', () => {
    expect(present('TXT', ['v=spf1 -all']).records).toEqual(['"v=spf1 -all"']);
    expect(present('TXT', ['part one', 'part two'])).toMatchObject({
      records: ['"part one" "part two"'],
      data: [{ type: 'TXT', strings: ['part one', 'part two'] }],
    });
    expect(present('TXT', [Buffer.from('say "hi" \\ \x01\xff', 'latin1')]).records).toEqual(['"say \\"hi\\" \\\\ \\001\\255"']);
  });

  test('CAA: value always quoted', () => {
    expect(present('CAA', { flags: 0, tag: 'issue', value: 'letsencrypt.org' })).toMatchObject({
      records: ['0 issue "letsencrypt.org"'],
      data: [{ type: 'CAA', flags: 0, tag: 'issue', value: 'letsencrypt.org' }],
    });
    expect(present('CAA', { flags: 128, tag: 'iodef', value: 'mailto:a@b.example' }).records).toEqual(['128 iodef "mailto:a@b.example"']);
  });

  test('SOA', () => {
    const soa = { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2021033101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 };
    expect(present('SOA', soa)).toMatchObject({
      records: ['ns1.example.com. hostmaster.example.com. 2021033101 7200 3600 1209600 3600'],
      data: [{ type: 'SOA', ...soa }],
    });
  });

  test('DS: lower-case hex digest', () => {
    const digest = Buffer.from('1F987CC6583E92DF0890718C42', 'hex');
    expect(present('DS', { keyTag: 2371, algorithm: 13, digestType: 2, digest })).toMatchObject({
      records: ['2371 13 2 1f987cc6583e92df0890718c42'],
      data: [{ type: 'DS', keyTag: 2371, algorithm: 13, digestType: 2, digest: '1f987cc6583e92df0890718c42' }],
    });
  });

  test('DNSKEY: base64 key cut into 32-character chunks as dnspython renders it', () => {
    const key = Buffer.alloc(64, 7);
    const base64 = key.toString('base64');
    const outcome = present('DNSKEY', { flags: 257, algorithm: 13, key });
    expect(outcome.records).toEqual([`257 3 13 ${base64.slice(0, 32)} ${base64.slice(32, 64)} ${base64.slice(64)}`]);
    expect(outcome.data).toEqual([{ type: 'DNSKEY', flags: 257, protocol: 3, algorithm: 13, publicKey: base64 }]);
  });

  test('only records of the asked type owned by the end of the CNAME chain count', () => {
    const answers = throughWire([
      { type: 'CNAME', name: 'www.example.com', ttl: 50, data: 'edge.cdn.example' },
      { type: 'A', name: 'edge.cdn.example', ttl: 20, data: '192.0.2.5' },
      { type: 'A', name: 'unrelated.example', ttl: 20, data: '198.51.100.1' },
      { type: 'TXT', name: 'edge.cdn.example', ttl: 20, data: ['x'] },
    ]);
    expect(extractAnswers('www.example.com', 'A', answers)).toEqual({
      records: ['192.0.2.5'],
      data: [{ type: 'A', address: '192.0.2.5' }],
      ttl: 20,
      cnames: ['edge.cdn.example'],
    });
  });

  test('a CNAME loop ends the chain instead of spinning', () => {
    const answers = throughWire([
      { type: 'CNAME', name: 'a.example', ttl: 50, data: 'b.example' },
      { type: 'CNAME', name: 'b.example', ttl: 50, data: 'a.example' },
    ]);
    expect(extractAnswers('a.example', 'A', answers)).toMatchObject({ records: [], cnames: ['b.example'] });
  });
});
