import * as dnsPacket from 'dns-packet';
import { DnsClient, type ClientOptions, type QueryRequest } from '../../../src/dns/client';
import { parseServerAddress } from '../../../src/dns/servers';
import type { RRType } from '../../../src/dns/types';
import { a, reply, startResponder, type Handler, type Responder } from './support/responder';

const baseOptions: ClientOptions = {
  timeoutMs: 200,
  attempts: 2,
  maxInFlight: 64,
  minInFlight: 4,
  initialInFlight: 64,
  backoffTimeoutRatio: 0.05,
  perResolverQps: 0,
  perNameServerQps: 0,
  rateBurst: 10,
  udpSockets: 2,
  ednsUdpSize: 1232,
  receiveBufferBytes: 0,
  cacheEntries: 1000,
  cacheMaxTtlSeconds: 3600,
  negativeCacheTtlSeconds: 300,
};

let responder: Responder;
let client: DnsClient;

beforeAll(async () => {
  responder = await startResponder(() => []);
});
afterAll(async () => {
  await responder.stop();
});
beforeEach(() => {
  responder.received.length = 0;
  client = new DnsClient(baseOptions);
});
afterEach(async () => {
  await client.close();
});

function ask(name: string, type: RRType, extra: Partial<QueryRequest> = {}) {
  return client.query({
    name,
    type,
    servers: [parseServerAddress(responder.server)],
    role: 'resolver',
    recursionDesired: true,
    ...extra,
  });
}

function serve(handler: Handler) {
  responder.setHandler(handler);
}

describe('statuses', () => {
  test('NOERROR with answers records presentation form, parsed data, TTL, flags, server, attempts', async () => {
    serve((q) => reply({ aa: true, ad: true, answers: [a(q.name, '192.0.2.1', 300), a(q.name, '192.0.2.2', 60)] }));
    const outcome = await ask('example.com', 'A');
    expect(outcome).toMatchObject({
      name: 'example.com',
      type: 'A',
      status: 'NOERROR',
      rcode: 0,
      records: ['192.0.2.1', '192.0.2.2'],
      data: [
        { type: 'A', address: '192.0.2.1' },
        { type: 'A', address: '192.0.2.2' },
      ],
      ttl: 60,
      flags: { aa: true, ad: true, tc: false, ra: true },
      server: responder.server,
      transport: 'udp',
      attempts: 1,
    });
    expect(outcome.rttMs).toBeGreaterThanOrEqual(0);
  });

  test('NODATA: NOERROR without a record of the asked type (records of other types are not answers)', async () => {
    serve((q) => reply({ answers: [a(q.name, '192.0.2.1')] }));
    const outcome = await ask('example.com', 'MX');
    expect(outcome.status).toBe('NODATA');
    expect(outcome.records).toEqual([]);
  });

  test.each([
    [3, 'NXDOMAIN'],
    [2, 'SERVFAIL'],
    [5, 'REFUSED'],
    [4, 'NOTIMP'],
    [9, 'RCODE'],
  ])('rcode %i is recorded as %s, not as "no record"', async (rcode, status) => {
    serve(() => reply({ rcode }));
    const outcome = await ask('example.com', 'TXT');
    expect(outcome.status).toBe(status);
    expect(outcome.rcode).toBe(rcode);
  });

  test('FORMERR: retried once without EDNS, then recorded', async () => {
    serve(() => reply({ rcode: 1 }));
    const outcome = await ask('example.com', 'TXT');
    expect(outcome.status).toBe('FORMERR');
    expect(outcome.attempts).toBe(2);
    expect(responder.received.map((q) => q.edns)).toEqual([true, false]);
  });

  test('FORMERR answered to EDNS only: the retry without EDNS gets the answer', async () => {
    serve((q) => (q.edns ? reply({ rcode: 1, noQuestion: true }) : reply({ answers: [a(q.name, '192.0.2.9')] })));
    const outcome = await ask('example.com', 'A');
    expect(outcome.status).toBe('NOERROR');
    expect(outcome.records).toEqual(['192.0.2.9']);
  });

  test('TIMEOUT after the bounded attempts when nothing answers; never "no record"', async () => {
    serve(() => []);
    const outcome = await ask('example.com', 'MX');
    expect(outcome.status).toBe('TIMEOUT');
    expect(outcome.attempts).toBe(2);
    expect(outcome.records).toEqual([]);
    expect(responder.received).toHaveLength(2);
    expect(new Set(responder.received.map((q) => q.id)).size).toBe(2); // a fresh random ID per attempt
  });

  test('NETWORK_ERROR when the truncated answer cannot be fetched over TCP (connection refused)', async () => {
    const udpOnly = await startResponder((q) => reply({ tc: true }));
    const port = udpOnly.port;
    // Stop only its TCP side by replacing the responder with a bare UDP socket on the same port.
    await udpOnly.stop();
    const dgram = await import('node:dgram');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
    socket.on('message', (bytes, rinfo) => {
      const query = dnsPacket.decode(bytes);
      const answer = dnsPacket.encode({
        type: 'response',
        id: query.id,
        flags: dnsPacket.TRUNCATED_RESPONSE,
        questions: query.questions,
      });
      socket.send(answer, rinfo.port, rinfo.address);
    });
    try {
      const outcome = await client.query({
        name: 'example.com',
        type: 'TXT',
        servers: [parseServerAddress(`127.0.0.1:${port}`)],
        role: 'resolver',
        recursionDesired: true,
      });
      expect(outcome.status).toBe('NETWORK_ERROR');
      expect(outcome.transport).toBe('tcp');
      expect(outcome.error).toMatch(/ECONNREFUSED/);
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });

  test('MALFORMED when the right server answers with undecodable bytes', async () => {
    serve(() => [{ raw: (query) => Buffer.concat([query.subarray(0, 2), Buffer.from([0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xff])]) }]);
    const outcome = await ask('example.com', 'A');
    expect(outcome.status).toBe('MALFORMED');
    expect(outcome.error).toMatch(/undecodable/);
  });
});

describe('transport', () => {
  test('a truncated UDP answer is fetched again over TCP', async () => {
    const big = 'v=spf1 ' + 'include:_spf.example.net '.repeat(40) + '-all';
    const strings = [big.slice(0, 255), big.slice(255, 510), big.slice(510, 765), big.slice(765)];
    serve((q) =>
      q.transport === 'udp'
        ? reply({ tc: true })
        : reply({ answers: [{ type: 'TXT', name: q.name, ttl: 60, data: [...strings] }] }),
    );
    const outcome = await ask('example.com', 'TXT');
    expect(outcome.status).toBe('NOERROR');
    expect(outcome.transport).toBe('tcp');
    expect(outcome.data).toEqual([{ type: 'TXT', strings }]);
    expect(responder.received.map((q) => q.transport)).toEqual(['udp', 'tcp']);
    expect(client.stats().tcpFallbacks).toBe(1);
  });

  test('EDNS0 is sent on every query, the DO bit only where asked, RD as asked', async () => {
    serve((q) => reply({ answers: [a(q.name, '192.0.2.1')] }));
    await ask('example.com', 'DS', { dnssecOk: true });
    await ask('example.com', 'A');
    await ask('example.com', 'NS', { recursionDesired: false, role: 'nameserver' });
    expect(responder.received.map((q) => [q.type, q.edns, q.dnssecOk, q.recursionDesired])).toEqual([
      ['DS', true, true, true],
      ['A', true, false, true],
      ['NS', true, false, false],
    ]);
  });

  test.each([
    ['a wrong ID', { answer: { id: -1, answers: [a('example.com', '6.6.6.6')] } }],
    ['a wrong question', { answer: { question: { name: 'evil.example', type: 'A' }, answers: [a('evil.example', '6.6.6.6')] } }],
    ['a wrong source port', { answer: { answers: [a('example.com', '6.6.6.6')] }, fromOtherPort: true }],
  ])('a forged answer with %s is ignored; the genuine one is recorded', async (_label, forged) => {
    serve((q) => {
      const forgery = JSON.parse(JSON.stringify(forged)) as { answer: { id?: number }; fromOtherPort?: boolean };
      if (forgery.answer.id === -1) forgery.answer.id = (q.id + 1) & 0xffff;
      return [forgery as never, { answer: { answers: [a(q.name, '192.0.2.1')] }, delayMs: 30 }];
    });
    const outcome = await ask('example.com', 'A');
    expect(outcome.status).toBe('NOERROR');
    expect(outcome.records).toEqual(['192.0.2.1']);
    const counters = client.stats().transport;
    // Counted when it reached the engine; a socket already connect()ed to the resolver never even
    // receives a datagram from another port (the kernel drops it).
    expect(counters.unmatchedAnswers + counters.wrongQuestionAnswers + counters.wrongSourceAnswers).toBeLessThanOrEqual(1);
  });

  test('source ports are the pooled sockets: queries share a few ports rather than one socket each', async () => {
    serve((q) => reply({ answers: [a(q.name, '192.0.2.1')] }));
    await Promise.all(Array.from({ length: 40 }, (_, i) => ask(`host${i}.example.com`, 'A')));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the resolver's connected sockets are ready now
    await Promise.all(Array.from({ length: 40 }, (_, i) => ask(`again${i}.example.com`, 'A')));
    const ports = new Set(responder.received.map((q) => q.sourcePort));
    // The shared pool plus the pool connected to this resolver.
    expect(ports.size).toBeLessThanOrEqual(2 * baseOptions.udpSockets);
    expect(responder.received).toHaveLength(80);
  });

  test('a timed-out attempt moves to the next resolver', async () => {
    const second = await startResponder((q) => reply({ answers: [a(q.name, '192.0.2.7')] }));
    serve(() => []);
    try {
      const outcome = await client.query({
        name: 'example.com',
        type: 'A',
        servers: [parseServerAddress(responder.server), parseServerAddress(second.server)],
        role: 'resolver',
        recursionDesired: true,
      });
      expect(outcome.status).toBe('NOERROR');
      expect(outcome.server).toBe(second.server);
      expect(outcome.records).toEqual(['192.0.2.7']);
    } finally {
      await second.stop();
    }
  });

  test('SERVFAIL from one resolver is retried at another; with one resolver it is final', async () => {
    const second = await startResponder((q) => reply({ answers: [a(q.name, '192.0.2.8')] }));
    serve(() => reply({ rcode: 2 }));
    try {
      const outcomes = await Promise.all(
        [0, 1].map(() =>
          client.query({
            name: 'example.com',
            type: 'A',
            servers: [parseServerAddress(responder.server), parseServerAddress(second.server)],
            role: 'resolver',
            recursionDesired: true,
          }),
        ),
      );
      for (const outcome of outcomes) expect(outcome.status).toBe('NOERROR');
      const single = await ask('example.com', 'A');
      expect(single.status).toBe('SERVFAIL');
      expect(single.attempts).toBe(1);
    } finally {
      await second.stop();
    }
  });

  test('the deadline ends a query: nothing is sent after it, and it is recorded as TIMEOUT', async () => {
    serve(() => []);
    const outcome = await ask('example.com', 'A', { deadline: performance.now() + 50 });
    expect(outcome.status).toBe('TIMEOUT');
    expect(outcome.attempts).toBe(1);
    expect(outcome.error).toMatch(/deadline/);
    const late = await ask('example.com', 'A', { deadline: performance.now() - 1 });
    expect(late).toMatchObject({ status: 'TIMEOUT', attempts: 0 });
  });

  test('CNAME chains are followed and recorded', async () => {
    serve((q) =>
      reply({
        answers: [
          { type: 'CNAME', name: q.name, ttl: 60, data: 'alias.example.net' },
          { type: 'CNAME', name: 'alias.example.net', ttl: 60, data: 'final.example.org' },
          a('final.example.org', '192.0.2.3'),
        ],
      }),
    );
    const outcome = await ask('www.example.com', 'A');
    expect(outcome).toMatchObject({ status: 'NOERROR', records: ['192.0.2.3'], cnames: ['alias.example.net', 'final.example.org'] });
  });
});

describe('shared-answer cache', () => {
  test('a cached answer is served without a query, marked cached; concurrent askers share one query', async () => {
    serve((q) => reply({ answers: [a(q.name, '192.0.2.1', 300)] }, 20));
    const request: QueryRequest = {
      name: 'ns1.provider.example',
      type: 'A',
      servers: [parseServerAddress(responder.server)],
      role: 'resolver',
      recursionDesired: true,
    };
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => client.queryShared(request)));
    const later = await client.queryShared(request);
    expect(responder.received).toHaveLength(1);
    expect(concurrent.every((o) => o.records[0] === '192.0.2.1')).toBe(true);
    expect(concurrent.filter((o) => o.cached)).toHaveLength(9);
    expect(later).toMatchObject({ cached: true, records: ['192.0.2.1'] });
    expect(client.stats().cache.hits).toBe(1);
  });

  test('failures are not cached', async () => {
    serve(() => reply({ rcode: 2 }));
    const request: QueryRequest = {
      name: 'ns1.broken.example',
      type: 'A',
      servers: [parseServerAddress(responder.server)],
      role: 'resolver',
      recursionDesired: true,
    };
    await client.queryShared(request);
    await client.queryShared(request);
    expect(responder.received).toHaveLength(2);
  });
});

describe('stats', () => {
  test('counts queries by type and status and fills the latency histogram', async () => {
    serve((q) => (q.type === 'A' ? reply({ answers: [a(q.name, '192.0.2.1')] }) : reply({ rcode: 3 })));
    await ask('example.com', 'A');
    await ask('example.com', 'MX');
    await ask('example.com', 'TXT');
    const stats = client.stats();
    expect(stats.queriesByType).toEqual({ A: { NOERROR: 1 }, MX: { NXDOMAIN: 1 }, TXT: { NXDOMAIN: 1 } });
    expect(stats.queriesByStatus).toEqual({ NOERROR: 1, NXDOMAIN: 2 });
    expect(stats.latency.count).toBe(3);
    expect(stats.latency.cumulativeCounts[stats.latency.cumulativeCounts.length - 1]).toBe(3);
    expect(stats.inFlight).toBe(0);
  });
});
