import fc from 'fast-check';
import * as dnsPacket from 'dns-packet';
import { DnsClient } from '../../../src/dns/client';
import { parseServerAddress } from '../../../src/dns/servers';
import type { QueryStatus } from '../../../src/dns/types';
import { encodeAnswer, startResponder, type Responder } from './support/responder';

const STATUSES: QueryStatus[] = ['NOERROR', 'NODATA', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP', 'RCODE', 'TIMEOUT', 'NETWORK_ERROR', 'MALFORMED'];

let responder: Responder;
let client: DnsClient;
let nextReply: (query: Buffer) => Buffer = () => Buffer.alloc(0);

beforeAll(async () => {
  responder = await startResponder(() => [{ raw: (query) => nextReply(query) }]);
  client = new DnsClient({
    timeoutMs: 15,
    attempts: 1,
    maxInFlight: 16,
    minInFlight: 1,
    initialInFlight: 16,
    backoffTimeoutRatio: 1,
    perResolverQps: 0,
    perNameServerQps: 0,
    rateBurst: 1,
    udpSockets: 1,
    ednsUdpSize: 1232,
    receiveBufferBytes: 0,
    cacheEntries: 0,
    cacheMaxTtlSeconds: 0,
    negativeCacheTtlSeconds: 0,
  });
});
afterAll(async () => {
  await client.close();
  await responder.stop();
});

const withQueryId = (bytes: Uint8Array, query: Buffer): Buffer => {
  const out = Buffer.from(bytes);
  if (out.length >= 2) query.copy(out, 0, 0, 2);
  return out;
};

async function askWith(reply: (query: Buffer) => Buffer, type: 'A' | 'TXT' | 'MX' | 'DNSKEY' | 'DS' | 'SOA' | 'CAA' = 'A') {
  nextReply = reply;
  const outcome = await client.query({
    name: 'fuzz.example',
    type,
    servers: [parseServerAddress(responder.server)],
    role: 'resolver',
    recursionDesired: true,
  });
  expect(STATUSES).toContain(outcome.status);
  expect(outcome.records.length).toBe(outcome.data.length);
  JSON.stringify(outcome); // must stay serialisable
}

test('property: arbitrary bytes carrying the query ID never crash the engine', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 600 }), async (bytes) => {
      await askWith((query) => withQueryId(bytes, query));
    }),
    { numRuns: 100 },
  );
});

test('property: a valid answer with corrupted bytes never crashes the engine', async () => {
  const types = ['A', 'TXT', 'MX', 'DNSKEY', 'DS', 'SOA', 'CAA'] as const;
  const sample: Record<(typeof types)[number], dnsPacket.Answer> = {
    A: { type: 'A', name: 'fuzz.example', ttl: 60, data: '192.0.2.1' },
    TXT: { type: 'TXT', name: 'fuzz.example', ttl: 60, data: ['v=spf1 include:x.example -all', 'second'] },
    MX: { type: 'MX', name: 'fuzz.example', ttl: 60, data: { preference: 10, exchange: 'mx.fuzz.example' } },
    DNSKEY: { type: 'DNSKEY', name: 'fuzz.example', ttl: 60, data: { flags: 257, algorithm: 13, key: Buffer.alloc(64, 3) } },
    DS: { type: 'DS', name: 'fuzz.example', ttl: 60, data: { keyTag: 1, algorithm: 13, digestType: 2, digest: Buffer.alloc(32, 9) } },
    SOA: {
      type: 'SOA',
      name: 'fuzz.example',
      ttl: 60,
      data: { mname: 'ns.fuzz.example', rname: 'h.fuzz.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 },
    },
    CAA: { type: 'CAA', name: 'fuzz.example', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
  };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...types),
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat(), { nil: undefined }),
      async (type, flips, cut) => {
        await askWith((queryBytes) => {
          const query = dnsPacket.decode(queryBytes);
          const valid = encodeAnswer(
            {
              id: query.id ?? 0,
              name: 'fuzz.example',
              type,
              transport: 'udp',
              recursionDesired: true,
              edns: true,
              dnssecOk: false,
              sourcePort: 0,
            },
            { answers: [JSON.parse(JSON.stringify(sample[type]), (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data) : v))] },
          );
          // Corrupt anything after the ID, so the answer reaches the decoder.
          for (const flip of flips) if (valid.length > 2) valid[2 + (flip.at % (valid.length - 2))] = flip.value;
          return cut === undefined ? valid : valid.subarray(0, Math.max(2, cut % (valid.length + 1)));
        }, type);
      },
    ),
    { numRuns: 300 },
  );
});
