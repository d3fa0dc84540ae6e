// The lab's copy of the provider tables (spec §18): for every row, host names that carry the
// provider's match string, so provider classification has something real to classify. Row ids are
// the spec's seed order (= the checks library's ids). This is an independent statement of the
// tables (the expectations must not be computed by the code under test); a unit test cross-checks
// ids and match strings against src/checks once that library exports its tables.

export interface LabDnsProvider {
  id: number;
  name: string;
  /** The spec's match string, verbatim. */
  match: string;
  /** Name-server host names the lab uses for sites hosted here (empty for special rows). */
  hosts: string[];
}

export interface LabEmailProvider {
  id: number;
  name: string;
  match: string;
  /** MX exchanges (preference order); `{label}` is replaced with a per-site label. */
  exchanges: string[];
  /**
   * The mechanism a customer's SPF record uses for this provider: `include:<target>` (the lab
   * serves the target's TXT) or, where that is what the provider documents, `a:<host>`.
   */
  spfMechanism?: string;
}

const dns = (id: number, name: string, match: string, ...hosts: string[]): LabDnsProvider => ({ id, name, match, hosts });

/** spec §18.2, 82 rows in seed order. */
export const LAB_DNS_PROVIDERS: readonly LabDnsProvider[] = [
  dns(1, 'DNSimple', 'dnsimple.com.', 'ns1.dnsimple.com', 'ns2.dnsimple.com', 'ns3.dnsimple.com'),
  dns(2, 'Hurricane Electric', 'he.net.', 'ns1.he.net', 'ns2.he.net'),
  dns(3, 'OVH', 'ovh.net.', 'dns10.ovh.net', 'ns10.ovh.net'),
  dns(4, 'CloudFlare', 'ns.cloudflare.com.', 'ada.ns.cloudflare.com', 'bob.ns.cloudflare.com', 'kim.ns.cloudflare.com', 'lou.ns.cloudflare.com'),
  dns(5, 'Amazon Web Services', '.awsdns-', 'ns-1024.awsdns-00.org', 'ns-1536.awsdns-01.co.uk', 'ns-512.awsdns-02.net', 'ns-0.awsdns-03.com'),
  dns(6, 'DigitalOcean', 'digitalocean.com.', 'ns1.digitalocean.com', 'ns2.digitalocean.com', 'ns3.digitalocean.com'),
  dns(7, 'Inmotion Hosting', 'inmotionhosting.com.', 'ns1.inmotionhosting.com', 'ns2.inmotionhosting.com'),
  dns(8, 'GoDaddy', 'domaincontrol.com.', 'ns01.domaincontrol.com', 'ns02.domaincontrol.com'),
  dns(9, 'Hostgator', 'hostgator.com.', 'ns1.hostgator.com', 'ns2.hostgator.com'),
  dns(10, 'Wordpress', 'wordpress.com.', 'ns1.wordpress.com', 'ns2.wordpress.com'),
  dns(11, 'Linode', 'linode.com.', 'ns1.linode.com', 'ns2.linode.com'),
  dns(12, 'NameCheap', 'registrar-servers.com.', 'dns1.registrar-servers.com', 'dns2.registrar-servers.com'),
  dns(13, 'FastMail', 'messagingengine.com.', 'ns1.messagingengine.com', 'ns2.messagingengine.com'),
  dns(14, 'DNS Made Easy', 'dnsmadeeasy.com.', 'ns0.dnsmadeeasy.com', 'ns1.dnsmadeeasy.com'),
  dns(15, 'Gandi', 'gandi.net.', 'ns-1-a.gandi.net', 'ns-2-b.gandi.net'),
  dns(16, 'UltraDNS', 'ultradns.com.', 'pdns1.ultradns.com', 'pdns2.ultradns.com'),
  dns(17, 'Azure', '.azure-dns.com.', 'ns1-01.azure-dns.com', 'ns2-01.azure-dns.com'),
  dns(18, 'Alfa Hosting', '.alfahosting.info.', 'ns1.alfahosting.info', 'ns2.alfahosting.info'),
  dns(19, 'Google DNS', '.googledomains.com.', 'ns-cloud-a1.googledomains.com', 'ns-cloud-a2.googledomains.com'),
  dns(20, 'Mark Monitor', 'markmonitor.com.', 'ns1.markmonitor.com', 'ns2.markmonitor.com'),
  dns(21, 'Comcast Business', '.comcastbusiness.net.', 'ns1.comcastbusiness.net', 'ns2.comcastbusiness.net'),
  dns(22, 'DreamHost', '.dreamhost.com.', 'ns1.dreamhost.com', 'ns2.dreamhost.com'),
  dns(23, 'Akamai', '.akam.net.', 'a1-64.akam.net', 'a7-65.akam.net'),
  dns(24, 'Liquid Web', '.sourcedns.com.', 'ns.sourcedns.com', 'ns1.sourcedns.com'),
  dns(25, 'Media Temple', 'mediatemple.net.', 'ns1.mediatemple.net', 'ns2.mediatemple.net'),
  dns(26, 'XSERVER', '.xserver.jp.', 'ns1.xserver.jp', 'ns2.xserver.jp'),
  dns(27, 'Internet Invest', '.srv53.net.', 'ns1.srv53.net', 'ns2.srv53.net'),
  dns(28, 'Flex Web Hosting', '.flexwebhosting.nl.', 'ns1.flexwebhosting.nl', 'ns2.flexwebhosting.nl'),
  // Row 29 is shadowed by row 9 (every `….hostgator.com.` host also matches `hostgator.com.`),
  // so its hosts classify as 9: the lab still serves them so the shadowing is visible.
  dns(29, 'HostGator', '.hostgator.com.', 'ns3.hostgator.com', 'ns4.hostgator.com'),
  dns(30, 'NameCheap', '.namecheaphosting.com.', 'dns1.namecheaphosting.com', 'dns2.namecheaphosting.com'),
  dns(31, 'Self-hosted', 'Self-hosted'),
  dns(32, 'Unknown', 'Unknown.'),
  dns(33, 'Self-hosted', '.google.com', 'ns1.google.com', 'ns2.google.com'),
  dns(34, 'Self-hosted', 'twtrdns.net.', 'a.r06.twtrdns.net', 'b.r06.twtrdns.net'),
  dns(35, 'DynDNS', 'dynect.net', 'ns1.p01.dynect.net', 'ns2.p01.dynect.net'),
  dns(36, 'Self-hosted', '.msft.net.', 'ns1.msft.net', 'ns2.msft.net'),
  dns(37, 'Self-hosted', '.taobao.com.', 'ns4.taobao.com', 'ns5.taobao.com'),
  dns(38, 'Self-hosted', '.wikimedia.org.', 'ns0.wikimedia.org', 'ns1.wikimedia.org'),
  dns(39, '360Safe', '.360safe.com.', 'dns1.360safe.com', 'dns2.360safe.com'),
  dns(40, 'Self-hosted', '.sina.com.', 'ns1.sina.com', 'ns2.sina.com'),
  dns(41, 'CDNS.CN', '.cdns.cn.', 'ns1.cdns.cn', 'ns2.cdns.cn'),
  dns(42, 'Self-hosted', '.vkontakte.ru.', 'ns1.vkontakte.ru', 'ns2.vkontakte.ru'),
  dns(43, 'Alibaba DNS', 'alibabadns.com.', 'ns1.alibabadns.com', 'ns2.alibabadns.com'),
  dns(44, 'Self-hosted', '.dig.com.', 'ns1.dig.com', 'ns2.dig.com'),
  dns(45, 'Self-hosted', '.automattic.com.', 'ns1.automattic.com', 'ns2.automattic.com'),
  dns(46, 'SURFnet', '.surfnet.nl.', 'ns1.surfnet.nl', 'ns2.surfnet.nl'),
  dns(47, 'No-IP (Vitalwerks LLC)', '.no-ip.com.', 'nf1.no-ip.com', 'nf2.no-ip.com'),
  dns(48, 'NS1.', '.nsone.net.', 'dns1.p01.nsone.net', 'dns2.p01.nsone.net'),
  dns(49, 'EasyDNS', '.easydns.com.', 'dns1.easydns.com', 'dns2.easydns.com'),
  dns(50, 'Self-hosted', '.apple.com.', 'a.ns.apple.com', 'b.ns.apple.com'),
  dns(51, 'Self-hosted', '.bbc.co.uk.', 'ns1.bbc.co.uk', 'ns2.bbc.co.uk'),
  dns(52, 'AliDNS', '.alidns.com.', 'ns1.alidns.com', 'ns2.alidns.com'),
  dns(53, 'Self-hosted', '.whatsapp.net.', 'ns1.whatsapp.net', 'ns2.whatsapp.net'),
  dns(54, 'Self-hosted', '.facebook.com.', 'a.ns.facebook.com', 'b.ns.facebook.com'),
  dns(55, 'Move', '.move.com.', 'ns1.move.com', 'ns2.move.com'),
  dns(56, 'MasterWeb', '.masterweb.net.', 'ns1.masterweb.net', 'ns2.masterweb.net'),
  dns(57, 'JD.com (Jingdong)', '.jd.com.', 'ns1.jd.com', 'ns2.jd.com'),
  dns(58, 'JD.com (Jingdong)', '.jdcache.com.', 'ns1.jdcache.com', 'ns2.jdcache.com'),
  dns(59, 'Internet Systems Consortium', '.isc.org.', 'ns.isc.org', 'ns1.isc.org'),
  dns(60, 'Duodecad ITS', '.dditservices.com.', 'ns1.dditservices.com', 'ns2.dditservices.com'),
  dns(61, 'Self-hosted', 'bkngs.com.', 'ns1.bkngs.com', 'ns2.bkngs.com'),
  dns(62, 'Self-hosted', '.thomsonreuters.net.', 'ns1.thomsonreuters.net', 'ns2.thomsonreuters.net'),
  dns(63, 'Self-hosted', '.bng-ns.com.', 'ns1.bng-ns.com', 'ns2.bng-ns.com'),
  dns(64, 'HiChina', '.hichina.com.', 'dns1.hichina.com', 'dns2.hichina.com'),
  dns(65, 'DNSPod', '.dnspod.net.', 'ns1.dnspod.net', 'ns2.dnspod.net'),
  dns(66, 'DNS.com', '.dns.com.', 'ns1.dns.com', 'ns2.dns.com'),
  dns(67, 'Network Solutions', '.worldnic.com.', 'ns1.worldnic.com', 'ns2.worldnic.com'),
  dns(68, 'Fast24', '.fastdns24.com.', 'ns1.fastdns24.com', 'ns2.fastdns24.com'),
  dns(69, 'Fast24', '.fastdns24.eu.', 'ns1.fastdns24.eu', 'ns2.fastdns24.eu'),
  dns(70, 'CSC', '.cscdns.net', 'ns1.cscdns.net', 'ns2.cscdns.net'),
  dns(71, 'Domain.com', '.domain.com.', 'ns1.domain.com', 'ns2.domain.com'),
  dns(72, 'Wix', 'wixdns.net.', 'ns0.wixdns.net', 'ns1.wixdns.net'),
  dns(73, 'Cafe24', '.cafe24.com.', 'ns1.cafe24.com', 'ns2.cafe24.com'),
  dns(74, 'LightEdge', '.lightedge.com.', 'ns1.lightedge.com', 'ns2.lightedge.com'),
  dns(75, 'BlueHost', '.bluehost.com.', 'ns1.bluehost.com', 'ns2.bluehost.com'),
  dns(76, 'dinahosting', '.dinahosting.com.', 'ns1.dinahosting.com', 'ns2.dinahosting.com'),
  dns(77, 'MyHostAdmin', '.myhostadmin.net.', 'ns1.myhostadmin.net', 'ns2.myhostadmin.net'),
  dns(78, 'eNom', 'name-services.com.', 'dns1.name-services.com', 'dns2.name-services.com'),
  dns(79, 'RU-center', '.nic.ru.', 'ns3.nic.ru', 'ns4.nic.ru'),
  dns(80, 'ClouDNS', '.cloudns.net.', 'ns1.cloudns.net', 'ns2.cloudns.net'),
  dns(81, 'Name', '.name.com.', 'ns1.name.com', 'ns2.name.com'),
  dns(82, 'XinNet', '.xincache.com.', 'ns1.xincache.com', 'ns2.xincache.com'),
];

export const DNS_SELF_HOSTED_ID = 31;
export const DNS_UNKNOWN_ID = 32;
/** Name servers of a hosting company that is in no provider table (classifies as Unknown). */
export const UNKNOWN_DNS_HOSTS = ['ns1.hostingco.example.net', 'ns2.hostingco.example.net'];

const mail = (id: number, name: string, match: string, exchanges: string[], spfTarget?: string): LabEmailProvider => ({
  id,
  name,
  match,
  exchanges,
  spfMechanism: spfTarget === undefined ? undefined : spfTarget.includes(':') ? spfTarget : `include:${spfTarget}`,
});

/** spec §18.1, 30 rows in seed order. */
export const LAB_EMAIL_PROVIDERS: readonly LabEmailProvider[] = [
  mail(1, 'Google Apps', 'l.google.com.', ['aspmx.l.google.com', 'alt1.aspmx.l.google.com', 'alt2.aspmx.l.google.com'], '_spf.google.com'),
  mail(2, 'Office 365', 'protection.outlook.', ['{label}.mail.protection.outlook.com'], 'spf.protection.outlook.com'),
  mail(3, 'ProofPoint', 'pphosted.com.', ['mx0a-00123401.pphosted.com', 'mx0b-00123401.pphosted.com'], '_spf.pphosted.com'),
  mail(4, 'Minecast', 'mimecast.com.', ['eu-smtp-inbound-1.mimecast.com', 'eu-smtp-inbound-2.mimecast.com'], '_netblocks.mimecast.com'),
  mail(5, 'MailRoute', 'mailroute.net.', ['mail.mailroute.net'], 'spf.mailroute.net'),
  mail(6, 'Zoho', 'zoho.com.', ['mx.zoho.com', 'mx2.zoho.com'], 'zoho.com'),
  mail(7, 'Barracuda Networks', 'barracudanetworks.com.', ['d1.a.ess.barracudanetworks.com', 'd1.b.ess.barracudanetworks.com'], 'spf.ess.barracudanetworks.com'),
  mail(8, 'FastMail', 'messagingengine.com.', ['in1-smtp.messagingengine.com', 'in2-smtp.messagingengine.com'], 'spf.messagingengine.com'),
  mail(9, 'Cisco Cloud Email Security', 'iphmx.com.', ['mx1.hc1234-56.iphmx.com', 'mx2.hc1234-56.iphmx.com'], 'spf.iphmx.com'),
  mail(10, 'Self-Hosted', 'domain.', []),
  mail(11, 'Symantec Messaging Security', 'messagelabs.com.', ['cluster1.eu.messagelabs.com', 'cluster1a.eu.messagelabs.com'], 'spf.messagelabs.com'),
  mail(12, 'FireEyeCloud', 'fireeyecloud.com.', ['mx1.fireeyecloud.com', 'mx2.fireeyecloud.com'], 'spf.fireeyecloud.com'),
  mail(13, 'ProofPoint Essentials', 'ppe-hosted.com.', ['mx1-us1.ppe-hosted.com', 'mx2-us1.ppe-hosted.com'], 'a:dispatch-us.ppe-hosted.com'),
  mail(14, 'Amazon Web Services', 'amazonaws.com.', ['inbound-smtp.us-east-1.amazonaws.com'], 'amazonses.com'),
  mail(15, 'DreamHost', 'dreamhost.com.', ['mx1.dreamhost.com', 'mx2.dreamhost.com'], 'netblocks.dreamhost.com'),
  mail(16, 'Office 365', 'eo.outlook.com.', ['{label}.mail.eo.outlook.com'], 'spf.protection.outlook.com'),
  mail(17, 'OSU OpenSource Lab', 'osuosl.org.', ['smtp1.osuosl.org', 'smtp2.osuosl.org'], 'spf.osuosl.org'),
  mail(18, 'Gandi', 'gandi.net.', ['spool.mail.gandi.net', 'fb.mail.gandi.net'], '_mailcust.gandi.net'),
  mail(19, 'Rackspace', 'emailsrvr.com.', ['mx1.emailsrvr.com', 'mx2.emailsrvr.com'], 'emailsrvr.com'),
  mail(20, 'TrendMicro Hosted Email Security', 'in.hes.trendmicro.com.', ['{label}.in.hes.trendmicro.com'], 'spf.hes.trendmicro.com'),
  mail(21, 'Self-Hosted', 'amazon-smtp.amazon.com.', ['amazon-smtp.amazon.com'], 'spf1.amazon.com'),
  mail(22, 'TrendMicro Hosted Email Security', 'in.hes.trendmicro.eu.', ['{label}.in.hes.trendmicro.eu'], 'spf.hes.trendmicro.eu'),
  mail(23, 'Self-Hosted', 'wikimedia.org.', ['mx1001.wikimedia.org', 'mx2001.wikimedia.org'], 'wikimedia.org'),
  mail(24, 'GoDaddy', 'secureserver.net.', ['mx1.secureserver.net', 'mx2.secureserver.net'], 'secureserver.net'),
  // Row 25's match string `{"0."}` cannot occur in an MX host name; the null-MX scenario is the
  // closest the lab can come to it.
  mail(25, 'NoMail', '{"0."}', []),
  mail(26, 'QQ', 'qq.com.', ['mxbiz1.qq.com', 'mxbiz2.qq.com'], 'spf.mail.qq.com'),
  mail(27, 'No mail', 'nxdomain.', []),
  mail(28, 'Unknown', 'Unknown.', []),
  mail(29, 'Namecheap', '.web-hosting.com.', ['mx1-hosting.web-hosting.com', 'mx2-hosting.web-hosting.com'], 'spf.web-hosting.com'),
  mail(30, 'Google Apps', '.googlemail.com.', ['aspmx2.googlemail.com', 'aspmx3.googlemail.com'], '_spf.google.com'),
];

export const EMAIL_SELF_HOSTED_ID = 10;
export const EMAIL_NO_MAIL_ID = 27;
export const EMAIL_UNKNOWN_ID = 28;
/** A mail host of a company in no provider table (classifies as Unknown). */
export const UNKNOWN_MAIL_EXCHANGES = ['mx1.mailgate.example.net', 'mx2.mailgate.example.net'];

const INFIX_MATCHES = new Set(['protection.outlook.']);

/**
 * Label-boundary suffix match (the spec's PIPE-14/MX-8 correction): the host ends with the match
 * string's name on a label boundary. A match string that does not end in a dot and a label
 * (`.awsdns-`) matches a label prefix instead: some label of the host starts with it.
 */
export function hostMatchesProvider(host: string, match: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  let m = match.toLowerCase();
  if (m.endsWith('-')) {
    const prefix = m.replace(/^\./, '');
    return h.split('.').some((label) => label.startsWith(prefix));
  }
  m = m.replace(/^\./, '').replace(/\.$/, '');
  // `protection.outlook.` leaves the TLD out on purpose: its labels may sit anywhere in the host.
  if (INFIX_MATCHES.has(match)) return `.${h}.`.includes(`.${m}.`);
  return h === m || h.endsWith('.' + m);
}

// Classification runs for every site built, over few distinct host sets: memoise by host set
// (the self-hosted test, which depends on the domain, comes first and is cheap).
const dnsMemo = new Map<string, number>();
const mailMemo = new Map<string, number>();

/** First DNS provider (table order) matching any of the hosts, or Self-hosted / Unknown. */
export function classifyDnsHosts(domain: string, hosts: readonly string[]): number | null {
  if (hosts.length === 0) return null;
  if (hosts.every((h) => h === domain || h.endsWith('.' + domain))) return DNS_SELF_HOSTED_ID;
  const key = hosts.join(',');
  let id = dnsMemo.get(key);
  if (id === undefined) {
    id = LAB_DNS_PROVIDERS.find((p) => p.hosts.length > 0 && hosts.some((h) => hostMatchesProvider(h, p.match)))?.id ?? DNS_UNKNOWN_ID;
    if (dnsMemo.size < 10_000) dnsMemo.set(key, id);
  }
  return id;
}

export function classifyMailExchanges(domain: string, exchanges: readonly string[]): number {
  if (exchanges.length === 0) return EMAIL_NO_MAIL_ID;
  if (exchanges.every((h) => h === domain || h.endsWith('.' + domain))) return EMAIL_SELF_HOSTED_ID;
  const key = exchanges.join(',');
  let id = mailMemo.get(key);
  if (id === undefined) {
    id = LAB_EMAIL_PROVIDERS.find((p) => p.exchanges.length > 0 && exchanges.some((h) => hostMatchesProvider(h, p.match)))?.id ?? EMAIL_UNKNOWN_ID;
    if (mailMemo.size < 10_000) mailMemo.set(key, id);
  }
  return id;
}
