import { Exposition, parseExposition, sumSamples, renderWorkerMetrics, StageMetrics, parseBindAddress } from '../../../src/metrics';
import { writeScannerMetrics } from '../../../src/metrics/scanner-metrics';
import type { ScannerStats } from '../../../src/dns/scanner';

function stats(overrides: Partial<ScannerStats> = {}): ScannerStats {
  return {
    queriesByType: { MX: { NOERROR: 7, NXDOMAIN: 2 }, TXT: { TIMEOUT: 1 } },
    queriesByStatus: { NOERROR: 7, NXDOMAIN: 2, TIMEOUT: 1 },
    queries: 10,
    attempts: 12,
    retries: 2,
    tcpFallbacks: 1,
    ednsFallbacks: 0,
    deadlineSkips: 0,
    latency: { bucketsMs: [1, 10, 100], cumulativeCounts: [1, 5, 9, 10], count: 10, sumMs: 450 },
    inFlight: 3,
    inFlightLimit: 64,
    queuedForSlot: 0,
    concurrencyBackoffs: 0,
    concurrencyIncreases: 1,
    rateLimit: { waits: 4, waitedMs: 1500, destinations: 2 },
    cache: { hits: 5, misses: 6, entries: 6, evictions: 0, sharedInFlight: 0 },
    transport: { udpSent: 12, udpReceived: 11, tcpQueries: 1, unmatchedAnswers: 0, wrongSourceAnswers: 1, wrongQuestionAnswers: 0, malformedAnswers: 0 },
    sitesScanned: 2,
    sitesInProgress: 1,
    ...overrides,
  };
}

describe('Prometheus exposition', () => {
  it('writes HELP, TYPE and samples, escaping label values', () => {
    const text = new Exposition()
      .counter('x_total', 'a counter\nwith a newline', [{ labels: { name: 'a"b\\c\nd' }, value: 3 }])
      .gauge('y', 'a gauge', 1.5)
      .toString();
    expect(text).toBe(
      '# HELP x_total a counter\\nwith a newline\n# TYPE x_total counter\nx_total{name="a\\"b\\\\c\\nd"} 3\n' + '# HELP y a gauge\n# TYPE y gauge\ny 1.5\n',
    );
  });

  it('writes cumulative histogram buckets ending in +Inf, with sum and count', () => {
    const text = new Exposition().histogram('h_seconds', 'h', { upperBounds: [0.1, 1], cumulativeCounts: [2, 3, 4], count: 4, sum: 2.5 }).toString();
    const samples = parseExposition(text);
    expect(samples.get('h_seconds_bucket{le="0.1"}')).toBe(2);
    expect(samples.get('h_seconds_bucket{le="1"}')).toBe(3);
    expect(samples.get('h_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(samples.get('h_seconds_sum')).toBe(2.5);
    expect(samples.get('h_seconds_count')).toBe(4);
  });

  it('refuses invalid names, duplicate families and mismatched buckets, naming them', () => {
    expect(() => new Exposition().counter('bad-name', 'x', 1)).toThrow(/bad-name/);
    expect(() => new Exposition().counter('ok', 'x', [{ labels: { 'bad-label': 'v' }, value: 1 }])).toThrow(/bad-label/);
    expect(() => new Exposition().gauge('g', 'x', 1).gauge('g', 'x', 2)).toThrow(/g written twice/);
    expect(() => new Exposition().histogram('h', 'x', { upperBounds: [1, 2], cumulativeCounts: [1], count: 1, sum: 1 })).toThrow(/1 counts for 2 buckets/);
  });
});

describe('scanner metrics', () => {
  const samples = parseExposition(writeScannerMetrics(new Exposition(), stats()).toString());

  it('counts queries by type and status', () => {
    expect(samples.get('dnstats_dns_queries_total{type="MX",status="NOERROR"}')).toBe(7);
    expect(samples.get('dnstats_dns_queries_total{type="MX",status="NXDOMAIN"}')).toBe(2);
    expect(sumSamples(samples, 'dnstats_dns_queries_total')).toBe(10);
    expect(sumSamples(samples, 'dnstats_dns_queries_total', { status: 'TIMEOUT' })).toBe(1);
  });

  it('turns the millisecond latency buckets into a seconds histogram', () => {
    expect(samples.get('dnstats_dns_query_duration_seconds_bucket{le="0.001"}')).toBe(1);
    expect(samples.get('dnstats_dns_query_duration_seconds_bucket{le="0.1"}')).toBe(9);
    expect(samples.get('dnstats_dns_query_duration_seconds_bucket{le="+Inf"}')).toBe(10);
    expect(samples.get('dnstats_dns_query_duration_seconds_sum')).toBeCloseTo(0.45);
  });

  it('reports in-flight queries, rate-limit waits and cache hits', () => {
    expect(samples.get('dnstats_dns_in_flight')).toBe(3);
    expect(samples.get('dnstats_dns_rate_limit_waits_total')).toBe(4);
    expect(samples.get('dnstats_dns_rate_limit_wait_seconds_total')).toBe(1.5);
    expect(samples.get('dnstats_dns_cache_hits_total')).toBe(5);
    expect(samples.get('dnstats_dns_rejected_answers_total{reason="wrong_source"}')).toBe(1);
    expect(samples.get('dnstats_scanner_sites_scanned_total')).toBe(2);
  });
});

describe('worker metrics', () => {
  it('counts sites per stage from chunk activity results, and activities by outcome', () => {
    const stages = new StageMetrics();
    stages.completed('processChunk', { processed: 250 }, 1200);
    stages.completed('gradeChunk', { graded: 250 }, 800);
    stages.completed('gradeChunk', { graded: 100 }, 300);
    stages.failed('gradeChunk', new Error('db down'), 50);
    const samples = parseExposition(renderWorkerMetrics({ kind: 'process', identity: 'p-1', stages }));
    expect(samples.get('dnstats_stage_sites_total{stage="process"}')).toBe(250);
    expect(samples.get('dnstats_stage_sites_total{stage="grade"}')).toBe(350);
    expect(samples.has('dnstats_stage_sites_total{stage="scan"}')).toBe(false);
    expect(samples.get('dnstats_activities_total{activity="gradeChunk",outcome="completed"}')).toBe(2);
    expect(samples.get('dnstats_activities_total{activity="gradeChunk",outcome="failed"}')).toBe(1);
    expect(samples.get('dnstats_activity_duration_seconds_bucket{activity="gradeChunk",le="0.5"}')).toBe(2);
    expect(samples.get('dnstats_activity_duration_seconds_count{activity="gradeChunk"}')).toBe(3);
    expect(samples.get('dnstats_worker_info{queue="process",identity="p-1"}')).toBe(1);
    // No DNS engine on a process worker.
    expect(sumSamples(samples, 'dnstats_dns_queries_total')).toBe(0);
  });

  it("includes the DNS engine's metrics on a scan worker, from a fresh snapshot each time", () => {
    let queries = 7;
    const render = () =>
      parseExposition(renderWorkerMetrics({ kind: 'scan', identity: 's-1', stages: new StageMetrics(), scannerStats: () => stats({ queriesByType: { A: { NOERROR: queries } } }) }));
    expect(render().get('dnstats_dns_queries_total{type="A",status="NOERROR"}')).toBe(7);
    queries = 9;
    expect(render().get('dnstats_dns_queries_total{type="A",status="NOERROR"}')).toBe(9);
  });
});

describe('parseBindAddress', () => {
  it('reads host:port, [v6]:port and :port', () => {
    expect(parseBindAddress('127.0.0.1:9465', 'X')).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(parseBindAddress('[::1]:9465', 'X')).toEqual({ host: '::1', port: 9465 });
    expect(parseBindAddress(':9465', 'X')).toEqual({ host: '0.0.0.0', port: 9465 });
  });

  it('names the variable when the value is not an address', () => {
    expect(() => parseBindAddress('9465', 'DNSTATS_METRICS_ADDRESS')).toThrow(/DNSTATS_METRICS_ADDRESS="9465"/);
    expect(() => parseBindAddress('host:99999', 'DNSTATS_METRICS_ADDRESS')).toThrow(/DNSTATS_METRICS_ADDRESS/);
  });
});
