import { CATEGORIES, conditionSql, factMatches, gradeBin, overallScore, remarkReportName } from '../../../src/publish/categories';
import { requiredSites } from '../../../src/publish/coverage';
import { loadConfig } from '../../../src/config';
import { FACT_COLUMNS } from '../../../src/activities/analysis';

describe('grade bins (PIPE-1)', () => {
  it('puts 100 in the top bin, not with the worst', () => {
    expect(gradeBin(100)).toBe(9);
    expect(gradeBin(95)).toBe(9);
    expect(gradeBin(90)).toBe(9);
    expect(gradeBin(89)).toBe(8);
    expect(gradeBin(9)).toBe(0);
    expect(gradeBin(0)).toBe(0);
  });

  it('caps grades outside 0..100 before binning', () => {
    expect(gradeBin(104)).toBe(9);
    expect(gradeBin(-5)).toBe(0);
  });
});

describe('overall score (PIPE-2)', () => {
  it('is the mean of the security areas that could be graded, leaving BIMI out', () => {
    expect(overallScore({ spf: 100, dmarc: 50, caa: 0, ns: 100, soa: 100, mx: 100, dnssec: 0, bimi: 0 })).toBe(64);
    expect(overallScore({ spf: 100, dmarc: null, bimi: 0 })).toBe(100);
    expect(overallScore({ bimi: 100 })).toBeNull();
  });
});

describe('coverage threshold', () => {
  it('is a share of the run, so 92 % of 1,000,000 is exactly 920,000', () => {
    expect(requiredSites(1_000_000, 0.92)).toBe(920_000);
    expect(requiredSites(500, 0.92)).toBe(460);
    expect(requiredSites(7, 0.92)).toBe(7);
    expect(requiredSites(0, 0.92)).toBe(0);
  });

  it('reads DNSTATS_COVERAGE_THRESHOLD as a fraction or a percentage, and names it when invalid', () => {
    expect(loadConfig({}).publish.coverageThreshold).toBe(0.92);
    expect(loadConfig({ DNSTATS_COVERAGE_THRESHOLD: '0.5' }).publish.coverageThreshold).toBe(0.5);
    expect(loadConfig({ DNSTATS_COVERAGE_THRESHOLD: '85%' }).publish.coverageThreshold).toBeCloseTo(0.85);
    expect(() => loadConfig({ DNSTATS_COVERAGE_THRESHOLD: '120%' })).toThrow(/DNSTATS_COVERAGE_THRESHOLD=120%/);
    expect(() => loadConfig({ DNSTATS_COVERAGE_THRESHOLD: 'lots' })).toThrow(/DNSTATS_COVERAGE_THRESHOLD=lots/);
  });

  it('defaults the publish folder to <DNSTATS_HOME>/site', () => {
    expect(loadConfig({ DNSTATS_HOME: '/srv/dnstats' }).publish.dir).toBe('/srv/dnstats/site');
    expect(loadConfig({ DNSTATS_HOME: '/srv/dnstats', DNSTATS_PUBLISH_DIR: '/var/www/dnstats' }).publish.dir).toBe('/var/www/dnstats');
  });
});

describe('categories', () => {
  it("keep the original's 22 report names (§20) minus security.txt (PIPE-4), each once", () => {
    const names = CATEGORIES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const original of ['mx_domains', 'no_mx_domains', 'dnssec_domains', 'no_dnssec_domains', 'caa_domains', 'no_caa_domains', 'caa_reporting_domains', 'no_caa_reporting_domains', 'dmarc_domains', 'no_dmarc_domains', 'dmarc_none', 'dmarc_quarantine', 'dmarc_reject', 'dmarc_no_policy', 'dmarc_invalid', 'spf_domains', 'no_spf_domains', 'spf_pass', 'spf_neutral', 'spf_softfail', 'spf_fail', 'spf_no_policy']) {
      expect(names).toContain(original);
    }
    expect(names.filter((n) => n.includes('securitytxt'))).toEqual([]);
  });

  it('read only columns that the processing stage writes', () => {
    const columns = new Set(Object.values(FACT_COLUMNS));
    for (const c of CATEGORIES) expect(columns.has(FACT_COLUMNS[c.fact])).toBe(true);
  });

  it('match facts as the SQL does: "not true" includes null, "equals" does not', () => {
    expect(factMatches({ hasSpf: true }, 'hasSpf', { kind: 'isTrue' })).toBe(true);
    expect(factMatches({ hasSpf: false }, 'hasSpf', { kind: 'notTrue' })).toBe(true);
    expect(factMatches({}, 'hasSpf', { kind: 'notTrue' })).toBeUndefined();
    expect(factMatches({ spfPolicyId: 3 }, 'spfPolicyId', { kind: 'equals', value: 3 })).toBe(true);
    expect(factMatches({ dmarcSubPolicyId: 4 }, 'dmarcSubPolicyId', { kind: 'notIn', values: [4, 5] })).toBe(false);
    expect(factMatches({ dmarcSubPolicyId: 2 }, 'dmarcSubPolicyId', { kind: 'notIn', values: [4, 5] })).toBe(true);
  });

  it('build SQL conditions from column names and numbers only', () => {
    expect(conditionSql('spfPolicyId', { kind: 'equals', value: 3 }).compile(dummyExecutor()).sql).toBe('"site_runs"."spf_policy_id" = $1');
    expect(conditionSql('hasMx', { kind: 'notTrue' }).compile(dummyExecutor()).sql).toBe('"site_runs"."has_mx" IS NOT TRUE');
  });

  it('names a remark report after its area and enum name', () => {
    expect(remarkReportName('spf', 'NO_SPF_FOUND')).toBe('remark_spf_no_spf_found');
  });
});

function dummyExecutor() {
  // Compiling a RawBuilder needs only a query compiler: Kysely's Postgres one, without a connection.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver } = require('kysely');
  return new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db: unknown) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}
