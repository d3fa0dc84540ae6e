/** What `startLabServer` returns that a scanner needs. */
export interface LabAddresses {
  resolver: string;
  nameServerPort: number;
}

/**
 * The scanner environment for the lab world. The engine's defaults are polite to the Internet's
 * resolvers (500 qps each) and name servers (50 qps each); the lab is ours, on loopback, so the
 * rate limits are off and the timeout is short (its slowest answer is 300 ms).
 */
export function labScannerEnv(lab: LabAddresses): Record<string, string> {
  return {
    DNSTATS_RESOLVERS: lab.resolver,
    DNSTATS_NS_PORT: String(lab.nameServerPort),
    DNSTATS_DNS_RESOLVER_QPS: '0',
    DNSTATS_DNS_NS_QPS: '0',
    DNSTATS_DNS_TIMEOUT_MS: '800',
  };
}
