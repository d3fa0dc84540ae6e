import fc from 'fast-check';
import { InvalidDomainError, normaliseDomain, normaliseQueryName, tryNormaliseQueryName } from '../../../src/dns/names';

describe('normaliseDomain', () => {
  test.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['  example.com  ', 'example.com'],
    ['163.com', '163.com'],
    ['1and1.com', '1and1.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['BÜCHER.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
    ['a-b.co.uk', 'a-b.co.uk'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  test.each([
    ['', /empty/],
    ['.', /empty/],
    ['com', /single label/],
    ['a..b.com', /empty label/],
    ['-a.com', /label "-a"/],
    ['a-.com', /label "a-"/],
    ['under_score.com', /label "under_score"/],
    ['exa mple.com', /whitespace/],
    ['http://example.com', /URL/],
    ['192.0.2.1', /IP address/],
    [`${'a'.repeat(64)}.com`, /longer than 63/],
    [`${'abcdefghi.'.repeat(26)}com`, /longer than 253/],
    ['exa$mple.com', /characters outside/],
  ])('rejects %j with a reason', (input, reason) => {
    let caught: unknown;
    try {
      normaliseDomain(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidDomainError);
    const error = caught as InvalidDomainError;
    expect(error.input).toBe(input);
    expect(error.message).toContain(JSON.stringify(input));
    expect(error.message).toMatch(reason);
  });

  test('rejects a non-string with a clear error', () => {
    expect(() => normaliseDomain(42 as unknown as string)).toThrow(InvalidDomainError);
  });

  test('property: any string either normalises to a valid, idempotent name or throws InvalidDomainError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.domain(), fc.webUrl(), fc.string({ unit: 'grapheme' })), (input) => {
        let output: string;
        try {
          output = normaliseDomain(input);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidDomainError);
          return;
        }
        expect(output.length).toBeLessThanOrEqual(253);
        expect(output).toMatch(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
        expect(normaliseDomain(output)).toBe(output);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normaliseQueryName', () => {
  test('allows service labels with underscores and single labels', () => {
    expect(normaliseQueryName('_SPF.Google.com')).toBe('_spf.google.com');
    expect(normaliseQueryName('default._bimi.example.com.')).toBe('default._bimi.example.com');
    expect(normaliseQueryName('localhost')).toBe('localhost');
  });
  test('asks names from DNS data as written, even when they are not host names', () => {
    expect(normaliseQueryName('-Mail-.example.com')).toBe('-mail-.example.com');
  });
  test('still rejects what cannot be a DNS name', () => {
    expect(tryNormaliseQueryName('a..b')).toBeNull();
    expect(tryNormaliseQueryName('exa mple.com')).toBeNull();
    expect(tryNormaliseQueryName(`${'a'.repeat(64)}.example`)).toBeNull();
    expect(tryNormaliseQueryName('tab\there.example')).toBeNull();
  });
});
