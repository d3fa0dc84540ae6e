import fc from 'fast-check';
import * as dnsPacket from 'dns-packet';
import { QueryEncoder, Transport, decodeMessage, type ExchangeRequest } from '../../../src/dns/transport';
import { parseServerAddress } from '../../../src/dns/servers';
import type { RRType } from '../../../src/dns/types';
import { a, reply, startResponder, type Responder } from './support/responder';

const TYPES: RRType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA', 'DS', 'DNSKEY', 'NS', 'SOA'];

describe('QueryEncoder', () => {
  const encoder = new QueryEncoder(1232);
  const label = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
  const name = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));

  test('property: a spliced query is byte for byte what dns-packet encodes for the whole query', () => {
    fc.assert(
      fc.property(
        name,
        fc.constantFrom(...TYPES),
        fc.integer({ min: 0, max: 0xffff }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (qname, type, id, recursionDesired, edns, dnssecOk) => {
          const request = { name: qname, type, recursionDesired, edns, dnssecOk } as ExchangeRequest;
          const expected = encoder.encodeWhole(type, qname, id, recursionDesired, edns, edns && dnssecOk);
          expect(encoder.encode(request, id)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a name asked again (the next query of the same site) encodes the same as the first time', () => {
    const ask = (name: string, type: RRType, id: number) =>
      expect(encoder.encode({ name, type, recursionDesired: true, edns: true, dnssecOk: false } as ExchangeRequest, id)).toEqual(
        encoder.encodeWhole(type, name, id, true, true, false),
      );
    for (const [name, type, id] of [
      ['site.example', 'MX', 1],
      ['site.example', 'TXT', 2],
      ['_dmarc.site.example', 'TXT', 3],
      ['site.example', 'SOA', 4],
      ['other.example', 'SOA', 5],
    ] as const) ask(name, type, id);
  });

  test('leaves room in front for the TCP length prefix, the same bytes after it', () => {
    const request = { name: 'example.com', type: 'TXT', recursionDesired: true, edns: true, dnssecOk: false } as ExchangeRequest;
    const framed = encoder.encode(request, 0x1234, 2);
    expect(framed.subarray(2)).toEqual(encoder.encode(request, 0x1234));
  });

  test('DO is never set without EDNS (there is no OPT record to carry it)', () => {
    const request = { name: 'example.com', type: 'DS', recursionDesired: true, edns: false, dnssecOk: true } as ExchangeRequest;
    expect(encoder.encode(request, 7)).toEqual(encoder.encodeWhole('DS', 'example.com', 7, true, false, false));
  });
});

describe('decodeMessage', () => {
  const nxdomain = () =>
    dnsPacket.encode({
      type: 'response',
      id: 9,
      flags: 3,
      questions: [{ type: 'A', name: 'gone.example', class: 'IN' }],
      authorities: [{ type: 'SOA', name: 'example', ttl: 600, data: { mname: 'ns.example', rname: 'h.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 300 } }],
      additionals: [{ type: 'A', name: 'ns.example', ttl: 60, data: '192.0.2.53' }],
    });

  test('reads the authority section only when asked, the additional section never', () => {
    const withAuthorities = decodeMessage(nxdomain());
    expect(withAuthorities).toMatchObject({ id: 9, rcode: 3, questions: [{ name: 'gone.example', type: 'A' }] });
    expect(withAuthorities.authorities).toMatchObject([{ type: 'SOA', ttl: 600, data: { minimum: 300 } }]);
    expect((withAuthorities as unknown as { additionals: unknown[] }).additionals).toEqual([]);
    expect(decodeMessage(nxdomain(), false).authorities).toEqual([]);
  });

  test('garbage in a section it does not read does not make the answer unreadable', () => {
    const bytes = nxdomain();
    const truncatedAdditional = bytes.subarray(0, bytes.length - 8); // the glue record cut short
    expect(() => dnsPacket.decode(Buffer.from(truncatedAdditional))).toThrow();
    expect(decodeMessage(Buffer.from(truncatedAdditional)).rcode).toBe(3);
  });
});

describe('UDP sends (flushed once per event-loop turn)', () => {
  let responder: Responder;
  let transport: Transport;
  beforeAll(async () => {
    responder = await startResponder((q) => reply({ answers: [a(q.name, '192.0.2.1')] }));
  });
  afterAll(async () => {
    await responder.stop();
  });
  beforeEach(() => {
    responder.received.length = 0;
    transport = new Transport({ udpSockets: 2, ednsUdpSize: 1232 });
  });
  afterEach(async () => {
    await transport.close();
  });

  const request = (name: string, server = parseServerAddress(responder.server)): ExchangeRequest => ({
    server,
    name,
    type: 'A',
    recursionDesired: true,
    edns: true,
    dnssecOk: false,
    timeoutMs: 2000,
  });

  test('every query made in one turn is sent and answered', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => transport.udp(request(`burst${i}.example`), i % 2 === 0)));
    expect(results.map((r) => r.kind)).toEqual(Array(50).fill('response'));
    expect(new Set(responder.received.map((q) => q.name)).size).toBe(50);
    expect(transport.counters.udpSent).toBe(50);
  });

  test('a send the socket refuses ends as a network error, never an exception', async () => {
    const result = await transport.udp(request('bad-port.example', { address: '127.0.0.1', port: 0, family: 4 }));
    expect(result.kind).toBe('network-error');
    expect(result.kind === 'network-error' && result.error).toMatch(/port/i);
    expect(transport.inFlight).toBe(0);
  });

  test('a query closed before its turn is flushed is not sent', async () => {
    const pending = transport.udp(request('never-sent.example'));
    await transport.close();
    expect((await pending).kind).toBe('network-error');
    await new Promise((resolve) => setImmediate(resolve));
    expect(responder.received).toHaveLength(0);
  });
});

describe('UDP timeouts (one deadline sweep for every query in flight)', () => {
  let responder: Responder;
  let transport: Transport;
  beforeAll(async () => {
    responder = await startResponder(() => []);
  });
  afterAll(async () => {
    await responder.stop();
  });
  beforeEach(() => {
    transport = new Transport({ udpSockets: 2, ednsUdpSize: 1232 });
  });
  afterEach(async () => {
    await transport.close();
  });

  const exchange = (name: string, timeoutMs: number): ExchangeRequest => ({
    server: parseServerAddress(responder.server),
    name,
    type: 'A',
    recursionDesired: true,
    edns: true,
    dnssecOk: false,
    timeoutMs,
  });

  test('each query times out after its own timeout, shorter ones first, answered ones not at all', async () => {
    responder.setHandler((q) => (q.name.startsWith('answered') ? reply({ answers: [a(q.name, '192.0.2.1')] }) : []));
    const started = performance.now();
    const ended = new Map<string, { ms: number; kind: string }>();
    const ask = (name: string, timeoutMs: number) =>
      transport.udp(exchange(name, timeoutMs)).then((result) => ended.set(name, { ms: performance.now() - started, kind: result.kind }));
    await Promise.all([ask('slow.example', 600), ask('answered.example', 600), ask('fast.example', 30), ask('middle.example', 200)]);
    expect(Object.fromEntries([...ended].map(([name, { kind }]) => [name, kind]))).toEqual({
      'answered.example': 'response',
      'fast.example': 'timeout',
      'middle.example': 'timeout',
      'slow.example': 'timeout',
    });
    const ms = (name: string) => ended.get(name)!.ms;
    // Never early; and each on its own timeout, not the longest one's (the gaps are wide so that a
    // loaded machine's stalls do not blur them).
    expect(ms('fast.example')).toBeGreaterThanOrEqual(29);
    expect(ms('middle.example')).toBeGreaterThanOrEqual(199);
    expect(ms('slow.example')).toBeGreaterThanOrEqual(599);
    expect(ms('fast.example')).toBeLessThan(ms('slow.example'));
    expect(ms('fast.example')).toBeLessThan(550);
    expect(transport.inFlight).toBe(0);
  });

  test('a query asked after the sweep was armed for a later instant still times out on time', async () => {
    responder.setHandler(() => []);
    const long = transport.udp(exchange('long.example', 1000));
    const started = performance.now();
    const short = await transport.udp(exchange('short.example', 30));
    expect(short.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(900);
    expect(transport.inFlight).toBe(1);
    expect((await long).kind).toBe('timeout');
    expect(transport.inFlight).toBe(0);
  });

  test('close ends every query in flight as a network error and leaves no timer behind', async () => {
    responder.setHandler(() => []);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const timersBefore = timers();
    const pending = Array.from({ length: 5 }, (_, i) => transport.udp(exchange(`q${i}.example`, 10_000)));
    expect(transport.inFlight).toBe(5);
    expect(timers()).toBe(timersBefore + 1); // one sweep timer for all five
    await transport.close();
    expect(timers()).toBe(timersBefore);
    const results = await Promise.all(pending);
    expect(results.every((r) => r.kind === 'network-error')).toBe(true);
    expect(transport.inFlight).toBe(0);
  });
});
