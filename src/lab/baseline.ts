// The baseline site: what a typical, healthy site of the given DNS and mail hosting publishes, and
// what grading must give it. Scenarios start from this and change one thing.
import { expectBimi, expectCaa, expectDmarc, expectDnssec, expectMx, expectNs, expectSoa, expectSpf, DmarcTags } from './grading-intent';
import { LabDnsProvider, LabEmailProvider, classifyDnsHosts, classifyMailExchanges } from './providers';
import { rr } from './records';
import { LabNameServer, SiteBuilder } from './site-builder';

export type DnsHosting = { kind: 'provider'; provider: LabDnsProvider } | { kind: 'self' } | { kind: 'unknown'; hosts: string[] };
export type MailHosting = { kind: 'provider'; provider: LabEmailProvider } | { kind: 'self' } | { kind: 'unknown'; exchanges: string[] } | { kind: 'none' };

export const DMARC_POLICY_IDS = { none: 1, quarantine: 2, reject: 3, no_policy: 4, invalid: 5 } as const;
export const SPF_POLICY_IDS = { '+all': 1, '?all': 2, '~all': 3, '-all': 4, no_policy: 5 } as const;

export interface BaselineContext {
  dns: DnsHosting;
  mail: MailHosting;
  /** Loopback address of a provider name-server host. */
  addressOfHost(host: string): string;
}

/** Public-looking documentation addresses for web and mail hosts (nothing ever connects to them). */
export function webAddress(n: number): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[n % 3]}.${(n % 250) + 1}`;
}

export const STANDARD_SOA_TIMERS = { refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 };

export function applyBaseline(b: SiteBuilder, ctx: BaselineContext): void {
  const { rng, domain } = b;
  const apexLabel = domain.split('.')[0];

  // Name servers.
  let servers: LabNameServer[];
  if (ctx.dns.kind === 'provider') {
    const hosts = ctx.dns.provider.hosts;
    const count = ctx.dns.provider.id === 5 ? 4 : Math.min(hosts.length, 2);
    const start = rng.int(0, hosts.length - 1);
    servers = Array.from({ length: count }, (_, k) => {
      const host = hosts[(start + k) % hosts.length];
      return { host, address: ctx.addressOfHost(host), behaviour: { kind: 'ok' } };
    });
  } else if (ctx.dns.kind === 'unknown') {
    servers = ctx.dns.hosts.map((host) => ({ host, address: ctx.addressOfHost(host), behaviour: { kind: 'ok' } }));
  } else {
    servers = [1, 2].map((k) => {
      const host = b.n(`ns${k}`);
      const address = b.pickNameServerAddress(k - 1);
      b.a(host, address);
      return { host, address, behaviour: { kind: 'ok' } };
    });
  }
  b.setNameServers(servers);
  b.expect('ns', expectNs.servers(servers.map(() => 'NAMESERVER_IS_NOT_PUBLIC')));
  b.facts.dnsProviderId = classifyDnsHosts(domain, servers.map((s) => s.host));

  b.set(domain, 'SOA', [
    rr(domain, 'SOA', {
      mname: servers[0].host,
      rname: `hostmaster.${domain}`,
      serial: 2024000000 + rng.int(10100, 123199) ,
      ...STANDARD_SOA_TIMERS,
    }),
  ]);
  b.expect('soa', expectSoa.record());

  b.a(domain, webAddress(b.index));
  if (rng.chance(0.4)) b.set(domain, 'AAAA', [rr(domain, 'AAAA', `2001:db8:${(b.index % 65535).toString(16)}::1`)]);

  // Verification tokens, as most popular sites carry.
  const apexTxt: string[] = [];
  if (rng.chance(0.45)) apexTxt.push(`google-site-verification=${rng.token(43, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_')}`);
  if (rng.chance(0.2)) apexTxt.push(`MS=ms${rng.int(10000000, 99999999)}`);
  if (rng.chance(0.1)) apexTxt.push(`facebook-domain-verification=${rng.token(30)}`);
  if (apexTxt.length > 0) b.txt(domain, ...apexTxt);

  // Mail.
  const mail = ctx.mail;
  let spfMechanism: string | null = null;
  if (mail.kind === 'none') {
    b.hasMx = false;
    b.facts.hasMx = false;
    b.facts.emailProviderId = classifyMailExchanges(domain, []);
    b.expect('mx', expectMx.noMailService());
  } else {
    let exchanges: string[];
    if (mail.kind === 'provider') {
      exchanges = mail.provider.exchanges.map((x) => x.replace('{label}', `${apexLabel}-${domain.split('.')[1]}`));
      spfMechanism = mail.provider.spfMechanism ?? null;
    } else if (mail.kind === 'unknown') {
      exchanges = mail.exchanges;
      spfMechanism = 'mx';
    } else {
      exchanges = [b.n('mail')];
      b.a(b.n('mail'), webAddress(b.index + 1));
      spfMechanism = 'mx';
    }
    b.mx(...exchanges.map((x, k): [number, string] => [(k + 1) * 10, x]));
    b.hasMx = true;
    b.facts.hasMx = true;
    b.facts.hasNullMx = false;
    b.facts.emailProviderId = classifyMailExchanges(domain, exchanges);
    b.expect('mx', expectMx.records(exchanges.length, exchanges.length));
  }
  b.mailProviderId = b.facts.emailProviderId ?? null;

  // SPF.
  if (spfMechanism && rng.chance(0.85)) {
    const qualifier = rng.chance(0.6) ? '~all' : '-all';
    b.spf(`v=spf1 ${spfMechanism} ${qualifier}`);
    b.expect('spf', expectSpf.record(qualifier));
    setSpfFacts(b, qualifier);
  } else if (!spfMechanism && rng.chance(0.5)) {
    b.spf('v=spf1 -all');
    b.expect('spf', expectSpf.record('-all'));
    setSpfFacts(b, '-all');
  } else {
    b.expect('spf', expectSpf.absent(b.hasMx));
    b.facts.hasSpf = false;
    b.facts.spfRecord = null;
    b.facts.spfPolicyId = SPF_POLICY_IDS.no_policy;
  }

  // DMARC: more common where mail is handled by a big provider.
  if (rng.chance(mail.kind === 'none' ? 0.25 : 0.45)) {
    const p = rng.weighted([['none', 5], ['quarantine', 2], ['reject', 3]] as const);
    const tags: DmarcTags = { p, rua: true, ruf: rng.chance(0.1) };
    const record = `v=DMARC1; p=${p}; rua=mailto:dmarc-reports@${domain}${tags.ruf ? `; ruf=mailto:dmarc-forensic@${domain}` : ''}`;
    b.txt(b.n('_dmarc'), record);
    b.expect('dmarc', expectDmarc.record(tags));
    setDmarcFacts(b, record, tags);
  } else {
    b.expect('dmarc', expectDmarc.absent());
    setDmarcFacts(b, null);
  }

  // CAA.
  if (rng.chance(0.15)) {
    const entries: Array<[number, string, string]> = [[0, 'issue', 'letsencrypt.org']];
    if (rng.chance(0.5)) entries.push([0, 'issue', 'digicert.com']);
    const wild = rng.chance(0.3);
    if (wild) entries.push([0, 'issuewild', 'digicert.com']);
    const iodef = rng.chance(0.35);
    if (iodef) entries.push([0, 'iodef', `mailto:security@${domain}`]);
    b.caa(...entries);
    b.expect('caa', expectCaa.records({ issue: true, issuewild: wild, iodef }));
    setCaaFacts(b, entries);
  } else {
    b.expect('caa', expectCaa.absent());
    setCaaFacts(b, []);
  }

  b.expect('bimi', expectBimi.absent());
  b.facts.hasBimi = false;
  b.expect('dnssec', expectDnssec.unsigned());
  setDnssecFacts(b);
  b.facts.hasMsdc = false;
}

export function setSpfFacts(b: SiteBuilder, qualifier: '-all' | '~all' | '?all' | '+all' | 'no_policy', record?: string): void {
  b.facts.hasSpf = true;
  b.facts.spfRecord = record ?? (b.get(b.domain, 'TXT').map((r) => (r.data as string[]).join('')).find((t) => t.startsWith('v=spf1')) ?? null);
  b.facts.spfPolicyId = SPF_POLICY_IDS[qualifier];
}

export function setDmarcFacts(b: SiteBuilder, record: string | null, tags?: Partial<DmarcTags>): void {
  b.facts.hasDmarc = record !== null;
  b.facts.dmarcRecord = record;
  b.facts.dmarcPolicyId = tags?.p ? DMARC_POLICY_IDS[tags.p] : DMARC_POLICY_IDS.no_policy;
  b.facts.dmarcSubPolicyId = tags?.sp ? DMARC_POLICY_IDS[tags.sp] : DMARC_POLICY_IDS.no_policy;
  b.facts.hasDmarcAggregateReporting = !!tags?.rua;
  b.facts.hasDmarcForensicReporting = !!tags?.ruf;
}

export function setCaaFacts(b: SiteBuilder, entries: Array<[number, string, string]>): void {
  b.facts.hasCaa = entries.some(([, tag]) => tag === 'issue');
  b.facts.hasCaaReporting = entries.some(([, tag]) => tag === 'iodef');
  b.facts.caaIssueCount = entries.filter(([, tag]) => tag === 'issue').length;
  b.facts.caaWildcardCount = entries.filter(([, tag]) => tag === 'issuewild').length;
}

export function setDnssecFacts(b: SiteBuilder): void {
  const ds = b.ds[0];
  const key = b.get(b.domain, 'DNSKEY')[0];
  b.facts.hasDnssec = b.ds.length > 0;
  b.facts.dnssecDsAlgorithm = ds && ds.type === 'DS' ? ds.data.algorithm : -1;
  b.facts.dnssecDigestType = ds && ds.type === 'DS' ? ds.data.digestType : -1;
  b.facts.dnssecDnskeyAlgorithm = key && key.type === 'DNSKEY' ? key.data.algorithm : -1;
}

