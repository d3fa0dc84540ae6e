// The scanner's own metrics, rendered from one scanner.stats() snapshot.
import type { ScannerStats } from '../dns/scanner';
import { Exposition, type Sample } from './exposition';

export function writeScannerMetrics(out: Exposition, stats: ScannerStats): Exposition {
  const byTypeAndStatus: Sample[] = [];
  for (const [type, statuses] of Object.entries(stats.queriesByType)) {
    for (const [status, count] of Object.entries(statuses ?? {})) byTypeAndStatus.push({ labels: { type, status }, value: count ?? 0 });
  }
  out
    .counter('dnstats_dns_queries_total', 'DNS queries answered from the network (cache hits excluded), by record type and outcome', byTypeAndStatus)
    .counter('dnstats_dns_query_attempts_total', 'DNS query attempts sent, first tries and retries', stats.attempts)
    .counter('dnstats_dns_query_retries_total', 'DNS query attempts that were retries', stats.retries)
    .counter('dnstats_dns_tcp_fallbacks_total', 'Truncated UDP answers retried over TCP', stats.tcpFallbacks)
    .counter('dnstats_dns_edns_fallbacks_total', 'Queries retried without EDNS', stats.ednsFallbacks)
    .counter('dnstats_dns_deadline_skips_total', 'Queries not sent because the site deadline had passed', stats.deadlineSkips)
    .histogram('dnstats_dns_query_duration_seconds', 'Time from first attempt to answer of DNS queries', {
      upperBounds: stats.latency.bucketsMs.map((ms) => ms / 1000),
      cumulativeCounts: stats.latency.cumulativeCounts,
      count: stats.latency.count,
      sum: stats.latency.sumMs / 1000,
    })
    .gauge('dnstats_dns_in_flight', 'DNS queries in flight now', stats.inFlight)
    .gauge('dnstats_dns_in_flight_limit', 'Current adaptive limit on DNS queries in flight', stats.inFlightLimit)
    .gauge('dnstats_dns_queued_for_slot', 'DNS queries waiting for an in-flight slot', stats.queuedForSlot)
    .counter('dnstats_dns_concurrency_backoffs_total', 'Times the in-flight limit was lowered after timeouts', stats.concurrencyBackoffs)
    .counter('dnstats_dns_rate_limit_waits_total', 'Queries that waited for a per-destination rate limit', stats.rateLimit.waits)
    .counter('dnstats_dns_rate_limit_wait_seconds_total', 'Time queries spent waiting for per-destination rate limits', stats.rateLimit.waitedMs / 1000)
    .gauge('dnstats_dns_rate_limited_destinations', 'Destinations (resolvers, name servers) with a rate limiter', stats.rateLimit.destinations)
    .counter('dnstats_dns_cache_hits_total', 'Shared-answer cache hits', stats.cache.hits)
    .counter('dnstats_dns_cache_misses_total', 'Shared-answer cache misses', stats.cache.misses)
    .counter('dnstats_dns_cache_evictions_total', 'Shared-answer cache evictions', stats.cache.evictions)
    .gauge('dnstats_dns_cache_entries', 'Entries in the shared-answer cache', stats.cache.entries)
    .counter('dnstats_dns_udp_sent_total', 'UDP datagrams sent', stats.transport.udpSent)
    .counter('dnstats_dns_udp_received_total', 'UDP datagrams received', stats.transport.udpReceived)
    .counter('dnstats_dns_tcp_queries_total', 'Queries sent over TCP', stats.transport.tcpQueries)
    .counter('dnstats_dns_rejected_answers_total', 'Answers dropped as unmatched, from the wrong source, for another question or malformed', [
      { labels: { reason: 'unmatched' }, value: stats.transport.unmatchedAnswers },
      { labels: { reason: 'wrong_source' }, value: stats.transport.wrongSourceAnswers },
      { labels: { reason: 'wrong_question' }, value: stats.transport.wrongQuestionAnswers },
      { labels: { reason: 'malformed' }, value: stats.transport.malformedAnswers },
    ])
    .counter('dnstats_scanner_sites_scanned_total', 'Sites the DNS engine finished scanning', stats.sitesScanned)
    .gauge('dnstats_scanner_sites_in_progress', 'Sites being scanned now', stats.sitesInProgress);
  return out;
}
