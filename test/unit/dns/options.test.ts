import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServerAddress, systemResolvers } from '../../../src/dns/servers';
import { DEFAULT_SCANNER_OPTIONS, scannerOptionsFromEnv } from '../../../src/dns/options';

describe('parseServerAddress', () => {
  test.each([
    ['192.0.2.53', { address: '192.0.2.53', port: 53, family: 4 }],
    ['127.0.0.1:5353', { address: '127.0.0.1', port: 5353, family: 4 }],
    ['::1', { address: '::1', port: 53, family: 6 }],
    ['[::1]:5353', { address: '::1', port: 5353, family: 6 }],
    ['[0:0:0:0:0:0:0:1]:53', { address: '::1', port: 53, family: 6 }],
  ])('%s', (input, expected) => {
    expect(parseServerAddress(input)).toEqual(expected);
  });

  test.each(['dns.google:53', '127.0.0.1:0', '127.0.0.1:70000', '127.0.0.1:x', ''])('rejects %j naming it', (input) => {
    expect(() => parseServerAddress(input, 53, 'resolver')).toThrow(`invalid resolver ${JSON.stringify(input)}`);
  });
});

describe('systemResolvers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-resolv-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads nameserver lines, skipping junk, with port 53', () => {
    const file = path.join(dir, 'resolv.conf');
    fs.writeFileSync(file, '# comment\nsearch example.com\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver bogus\noptions ndots:2\n');
    expect(systemResolvers(file)).toEqual(['10.0.0.2:53', '[fe80::1]:53']);
  });

  test('falls back to the local machine, as resolv.conf(5) documents', () => {
    expect(systemResolvers(path.join(dir, 'missing'))).toEqual(['127.0.0.1:53']);
  });
});

describe('scannerOptionsFromEnv', () => {
  test('defaults with nothing set', () => {
    const options = scannerOptionsFromEnv({}, '/nonexistent');
    expect(options).toMatchObject({
      resolvers: ['127.0.0.1:53'],
      nameServerPort: 53,
      timeoutMs: DEFAULT_SCANNER_OPTIONS.timeoutMs,
      attempts: DEFAULT_SCANNER_OPTIONS.attempts,
      maxInFlight: DEFAULT_SCANNER_OPTIONS.maxInFlight,
      perResolverQps: DEFAULT_SCANNER_OPTIONS.perResolverQps,
      perNameServerQps: DEFAULT_SCANNER_OPTIONS.perNameServerQps,
    });
  });

  test('every variable is read', () => {
    const options = scannerOptionsFromEnv({
      DNSTATS_RESOLVERS: '127.0.0.1:5300, [::1]:5301',
      DNSTATS_NS_PORT: '5353',
      DNSTATS_DNS_TIMEOUT_MS: '750',
      DNSTATS_DNS_ATTEMPTS: '3',
      DNSTATS_DNS_MAX_IN_FLIGHT: '1000',
      DNSTATS_DNS_MIN_IN_FLIGHT: '8',
      DNSTATS_DNS_RESOLVER_QPS: '0',
      DNSTATS_DNS_NS_QPS: '20',
      DNSTATS_DNS_RATE_BURST: '5',
      DNSTATS_DNS_CACHE_ENTRIES: '5000',
      DNSTATS_DNS_SITE_DEADLINE_MS: '10000',
      DNSTATS_DNS_UDP_SOCKETS: '8',
    });
    expect(options).toEqual({
      resolvers: ['127.0.0.1:5300', '[::1]:5301'],
      nameServerPort: 5353,
      timeoutMs: 750,
      attempts: 3,
      maxInFlight: 1000,
      minInFlight: 8,
      perResolverQps: 0,
      perNameServerQps: 20,
      rateBurst: 5,
      cacheEntries: 5000,
      siteDeadlineMs: 10000,
      udpSockets: 8,
    });
  });

  test('a bad value is an error naming the variable and the value', () => {
    expect(() => scannerOptionsFromEnv({ DNSTATS_DNS_TIMEOUT_MS: 'soon' })).toThrow('invalid DNSTATS_DNS_TIMEOUT_MS="soon"');
    expect(() => scannerOptionsFromEnv({ DNSTATS_NS_PORT: '99999' })).toThrow('DNSTATS_NS_PORT');
  });
});
