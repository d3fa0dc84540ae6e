import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REMARKS, REMARK_TYPES, remarkKey, findRemark, remark, remarkByName } from '../../../src/checks/remarks';
import { DMARC_POLICIES, SPF_POLICIES, EMAIL_PROVIDERS, DNS_PROVIDERS, letterGrade } from '../../../src/checks/tables';
import { GRADED_AREAS, RemarkLevel } from '../../../src/checks/types';

describe('remark catalogue', () => {
  it('has unique (type, value) and (type, name) keys', () => {
    expect(new Set(REMARKS.map(remarkKey)).size).toBe(REMARKS.length);
    expect(new Set(REMARKS.map((r) => `${r.type}:${r.name}`)).size).toBe(REMARKS.length);
  });

  it('keeps the original 100 codes with their values, names and levels (spec §16)', () => {
    const original = REMARKS.filter((r) => !r.added);
    expect(original).toHaveLength(100);
    const counts = Object.fromEntries(REMARK_TYPES.map((t) => [t.name, original.filter((r) => r.type === t.name).length]));
    expect(counts).toEqual({ spf: 28, dmarc: 12, caa: 13, ns: 8, soa: 15, mx: 10, bimi: 14, dnssec: 0 });
    expect(remarkByName('spf', 'TOO_MANY_DNS_LOOKUPS')).toMatchObject({ value: 3, level: RemarkLevel.Warning });
    expect(remarkByName('spf', 'INVALID_IPV6_VALUE')).toMatchObject({ value: 27, level: RemarkLevel.Error });
    expect(remarkByName('dmarc', 'NO_DMARC_RECORD')).toMatchObject({ value: 11, level: RemarkLevel.Fatal });
    expect(remarkByName('caa', 'TAG_TOO_LONG')).toMatchObject({ value: 12, level: RemarkLevel.Error });
    expect(remarkByName('ns', 'NAME_SERVER_MISMATCH')).toMatchObject({ value: 7, level: RemarkLevel.Warning });
    expect(remarkByName('soa', 'EXPIRE_NOT_IN_RANGE')).toMatchObject({ value: 14, level: RemarkLevel.Error });
    expect(remarkByName('mx', 'POSSIBLE_BAD_EXCHANGE')).toMatchObject({ value: 9, level: RemarkLevel.Warning });
    expect(remarkByName('bimi', 'N0_BIMI_RECORDS')).toMatchObject({ value: 0, level: RemarkLevel.Fatal });
  });

  it('numbers each area densely from 0, with added codes after the original ones', () => {
    for (const area of GRADED_AREAS) {
      const rows = REMARKS.filter((r) => r.type === area);
      expect(rows.map((r) => r.value)).toEqual(rows.map((_, i) => i));
      const firstAdded = rows.findIndex((r) => r.added);
      if (firstAdded >= 0) expect(rows.slice(firstAdded).every((r) => r.added)).toBe(true);
    }
  });

  it('gives every code a text and a remark type with a stable id', () => {
    expect(REMARK_TYPES.map((t) => t.name)).toEqual([...GRADED_AREAS]);
    expect(REMARK_TYPES.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const r of REMARKS) expect(r.text.length).toBeGreaterThan(10);
  });

  it('looks remarks up by key and name', () => {
    expect(remark('spf', 'NO_SPF_FOUND')).toEqual({ type: 'spf', value: 18 });
    expect(findRemark({ type: 'mx', value: 11 })?.name).toBe('NULL_MX');
    expect(findRemark({ type: 'mx', value: 999 })).toBeUndefined();
    expect(() => remarkByName('spf', 'NOPE')).toThrow(/unknown remark name "NOPE" in area spf/);
  });
});

describe('lookup tables', () => {
  it('keeps policy ids (spec §17)', () => {
    expect(DMARC_POLICIES.map((p) => [p.id, p.policyString])).toEqual([
      [1, 'none'], [2, 'quarantine'], [3, 'reject'], [4, 'no_policy'], [5, 'invalid'],
    ]);
    expect(SPF_POLICIES.map((p) => [p.id, p.qualifier])).toEqual([
      [1, '+all'], [2, '?all'], [3, '~all'], [4, '-all'], [5, 'no_policy'], [6, 'invalid'],
    ]);
  });

  it('keeps provider ids and order (spec §18)', () => {
    expect(EMAIL_PROVIDERS).toHaveLength(30);
    expect(DNS_PROVIDERS).toHaveLength(82);
    expect(EMAIL_PROVIDERS.map((p) => p.id)).toEqual(EMAIL_PROVIDERS.map((_, i) => i + 1));
    expect(DNS_PROVIDERS.map((p) => p.id)).toEqual(DNS_PROVIDERS.map((_, i) => i + 1));
    expect(EMAIL_PROVIDERS[1]).toMatchObject({ name: 'Office 365', matchString: 'protection.outlook.' });
    expect(DNS_PROVIDERS[81]).toMatchObject({ name: 'XinNet', matchString: '.xincache.com.' });
    expect(DNS_PROVIDERS.filter((p) => p.match === 'special').map((p) => p.id)).toEqual([31, 32]);
    expect(EMAIL_PROVIDERS.filter((p) => p.match === 'special').map((p) => p.id)).toEqual([10, 27, 28]);
  });
});

describe('letterGrade', () => {
  it.each([
    [101, 'A+'], [100, 'A'], [93, 'A'], [92.9, 'A-'], [90, 'A-'], [89, 'B+'], [87, 'B+'], [86, 'B'], [83, 'B'],
    [82, 'B-'], [80, 'B-'], [79, 'C+'], [77, 'C+'], [76, 'C'], [73, 'C'], [72, 'C-'], [70, 'C-'], [69, 'D+'],
    [67, 'D+'], [66, 'D'], [63, 'D'], [62, 'D-'], [60, 'D-'], [59, 'F'], [0, 'F'],
  ])('%p → %s', (percent, letter) => {
    expect(letterGrade(percent)).toBe(letter);
  });
  it('rejects a non-number, naming it', () => {
    expect(() => letterGrade(NaN)).toThrow(/percent must be a number, got NaN/);
  });
});

describe('docs/grading.md', () => {
  it('lists every remark, with its level and text, under its area', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/grading.md'), 'utf8');
    const sections = new Map(doc.split('\n## ').map((s) => [s.split(' ')[0]!.toLowerCase(), s]));
    for (const r of REMARKS) {
      const section = sections.get(r.type);
      expect(section).toBeDefined();
      const row = section!.split('\n').find((line) => line.startsWith(`| ${r.value} | \`${r.name}\``));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${RemarkLevel[r.level]} | ${r.text.replace(/\|/g, '\\|')} |`);
    }
  });
});
