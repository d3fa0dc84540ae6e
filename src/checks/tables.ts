// Lookup tables the database seed inserts verbatim (spec §17, §18): ids, strings, colours and the
// providers' priority order are the original's, so published figures stay comparable.

export interface DmarcPolicyRow {
  id: number;
  policyString: string;
  displayName: string;
  color: string;
}

export const DMARC_POLICIES: readonly DmarcPolicyRow[] = [
  { id: 1, policyString: 'none', displayName: 'None', color: '#FFBF7F' },
  { id: 2, policyString: 'quarantine', displayName: 'Quarantine', color: '#72e572' },
  { id: 3, policyString: 'reject', displayName: 'Reject', color: '#8080FF' },
  { id: 4, policyString: 'no_policy', displayName: 'No Policy', color: '#FF8080' },
  { id: 5, policyString: 'invalid', displayName: 'Invalid', color: '#FF00FF' },
];

export const DMARC_POLICY_ID = { none: 1, quarantine: 2, reject: 3, no_policy: 4, invalid: 5 } as const;

export interface SpfPolicyRow {
  id: number;
  qualifier: string;
  displayName: string;
  color: string;
}

export const SPF_POLICIES: readonly SpfPolicyRow[] = [
  { id: 1, qualifier: '+all', displayName: 'Pass', color: '#FF00FF' },
  { id: 2, qualifier: '?all', displayName: 'Neutral', color: '#FFBF7F' },
  { id: 3, qualifier: '~all', displayName: 'Soft-fail', color: '#72e572' },
  { id: 4, qualifier: '-all', displayName: 'Fail', color: '#8080FF' },
  { id: 5, qualifier: 'no_policy', displayName: 'No Policy', color: '#FF8080' },
  // New (SPF-21): a published SPF that receivers cannot use (several records, or a permerror).
  { id: 6, qualifier: 'invalid', displayName: 'Invalid', color: '#B0B0B0' },
];

export const SPF_POLICY_ID = { '+all': 1, '?all': 2, '~all': 3, '-all': 4, no_policy: 5, invalid: 6 } as const;

/**
 * How a provider row is matched against a host name (lower case, no trailing dot). The original
 * matched raw substrings of the concatenated record text (PIPE-14, MX-8); these are label-boundary
 * rules over one host name at a time:
 * - suffix: the pattern's labels are the host's last labels (`he.net.` matches `ns1.he.net`, not
 *   `ns1.cache.net`);
 * - label-infix: the pattern's labels occur as consecutive whole labels anywhere (used where the
 *   original deliberately left the TLD out: `protection.outlook.`);
 * - label-prefix: a label of the host starts with the pattern (`.awsdns-` → `ns-1.awsdns-07.org`);
 * - special: a fixed outcome (self-hosted, no mail, unknown), never matched by text;
 * - never: kept for its id only (the original's `{"0."}` row could never match).
 */
export type ProviderMatch = 'suffix' | 'label-infix' | 'label-prefix' | 'special' | 'never';

export interface ProviderRow {
  id: number;
  name: string;
  /** The original's match string, verbatim (the seed stores it). */
  matchString: string;
  /** The original's is_regex flag, verbatim (true = text-matched; false = special row). */
  isRegex: boolean;
  match: ProviderMatch;
  role?: 'self-hosted' | 'no-mail' | 'unknown';
}

/** Email providers (spec §18.1), in the original's priority order. */
export const EMAIL_PROVIDERS: readonly ProviderRow[] = [
  { id: 1, name: 'Google Apps', matchString: 'l.google.com.', isRegex: true, match: 'suffix' },
  { id: 2, name: 'Office 365', matchString: 'protection.outlook.', isRegex: true, match: 'label-infix' },
  { id: 3, name: 'ProofPoint', matchString: 'pphosted.com.', isRegex: true, match: 'suffix' },
  { id: 4, name: 'Minecast', matchString: 'mimecast.com.', isRegex: true, match: 'suffix' },
  { id: 5, name: 'MailRoute', matchString: 'mailroute.net.', isRegex: true, match: 'suffix' },
  { id: 6, name: 'Zoho', matchString: 'zoho.com.', isRegex: true, match: 'suffix' },
  { id: 7, name: 'Barracuda Networks', matchString: 'barracudanetworks.com.', isRegex: true, match: 'suffix' },
  { id: 8, name: 'FastMail', matchString: 'messagingengine.com.', isRegex: true, match: 'suffix' },
  { id: 9, name: 'Cisco Cloud Email Security', matchString: 'iphmx.com.', isRegex: true, match: 'suffix' },
  { id: 10, name: 'Self-Hosted', matchString: 'domain.', isRegex: false, match: 'special', role: 'self-hosted' },
  { id: 11, name: 'Symantec Messaging Security', matchString: 'messagelabs.com.', isRegex: true, match: 'suffix' },
  { id: 12, name: 'FireEyeCloud', matchString: 'fireeyecloud.com.', isRegex: true, match: 'suffix' },
  { id: 13, name: 'ProofPoint Essentials', matchString: 'ppe-hosted.com.', isRegex: true, match: 'suffix' },
  { id: 14, name: 'Amazon Web Services', matchString: 'amazonaws.com.', isRegex: true, match: 'suffix' },
  { id: 15, name: 'DreamHost', matchString: 'dreamhost.com.', isRegex: true, match: 'suffix' },
  { id: 16, name: 'Office 365', matchString: 'eo.outlook.com.', isRegex: true, match: 'suffix' },
  { id: 17, name: 'OSU OpenSource Lab', matchString: 'osuosl.org.', isRegex: true, match: 'suffix' },
  { id: 18, name: 'Gandi', matchString: 'gandi.net.', isRegex: true, match: 'suffix' },
  { id: 19, name: 'Rackspace', matchString: 'emailsrvr.com.', isRegex: true, match: 'suffix' },
  { id: 20, name: 'TrendMicro Hosted Email Security', matchString: 'in.hes.trendmicro.com.', isRegex: true, match: 'suffix' },
  { id: 21, name: 'Self-Hosted', matchString: 'amazon-smtp.amazon.com.', isRegex: true, match: 'suffix' },
  { id: 22, name: 'TrendMicro Hosted Email Security', matchString: 'in.hes.trendmicro.eu.', isRegex: true, match: 'suffix' },
  { id: 23, name: 'Self-Hosted', matchString: 'wikimedia.org.', isRegex: true, match: 'suffix' },
  { id: 24, name: 'GoDaddy', matchString: 'secureserver.net.', isRegex: true, match: 'suffix' },
  { id: 25, name: 'NoMail', matchString: '{"0."}', isRegex: true, match: 'never' },
  { id: 26, name: 'QQ', matchString: 'qq.com.', isRegex: true, match: 'suffix' },
  { id: 27, name: 'No mail', matchString: 'nxdomain.', isRegex: false, match: 'special', role: 'no-mail' },
  { id: 28, name: 'Unknown', matchString: 'Unknown.', isRegex: false, match: 'special', role: 'unknown' },
  { id: 29, name: 'Namecheap', matchString: '.web-hosting.com.', isRegex: true, match: 'suffix' },
  { id: 30, name: 'Google Apps', matchString: '.googlemail.com.', isRegex: true, match: 'suffix' },
];

/** DNS providers (spec §18.2), in the original's priority order. */
export const DNS_PROVIDERS: readonly ProviderRow[] = [
  { id: 1, name: 'DNSimple', matchString: 'dnsimple.com.', isRegex: true, match: 'suffix' },
  { id: 2, name: 'Hurricane Electric', matchString: 'he.net.', isRegex: true, match: 'suffix' },
  { id: 3, name: 'OVH', matchString: 'ovh.net.', isRegex: true, match: 'suffix' },
  { id: 4, name: 'CloudFlare', matchString: 'ns.cloudflare.com.', isRegex: true, match: 'suffix' },
  { id: 5, name: 'Amazon Web Services', matchString: '.awsdns-', isRegex: true, match: 'label-prefix' },
  { id: 6, name: 'DigitalOcean', matchString: 'digitalocean.com.', isRegex: true, match: 'suffix' },
  { id: 7, name: 'Inmotion Hosting', matchString: 'inmotionhosting.com.', isRegex: true, match: 'suffix' },
  { id: 8, name: 'GoDaddy', matchString: 'domaincontrol.com.', isRegex: true, match: 'suffix' },
  { id: 9, name: 'Hostgator', matchString: 'hostgator.com.', isRegex: true, match: 'suffix' },
  { id: 10, name: 'Wordpress', matchString: 'wordpress.com.', isRegex: true, match: 'suffix' },
  { id: 11, name: 'Linode', matchString: 'linode.com.', isRegex: true, match: 'suffix' },
  { id: 12, name: 'NameCheap', matchString: 'registrar-servers.com.', isRegex: true, match: 'suffix' },
  { id: 13, name: 'FastMail', matchString: 'messagingengine.com.', isRegex: true, match: 'suffix' },
  { id: 14, name: 'DNS Made Easy', matchString: 'dnsmadeeasy.com.', isRegex: true, match: 'suffix' },
  { id: 15, name: 'Gandi', matchString: 'gandi.net.', isRegex: true, match: 'suffix' },
  { id: 16, name: 'UltraDNS', matchString: 'ultradns.com.', isRegex: true, match: 'suffix' },
  { id: 17, name: 'Azure', matchString: '.azure-dns.com.', isRegex: true, match: 'suffix' },
  { id: 18, name: 'Alfa Hosting', matchString: '.alfahosting.info.', isRegex: true, match: 'suffix' },
  { id: 19, name: 'Google DNS', matchString: '.googledomains.com.', isRegex: true, match: 'suffix' },
  { id: 20, name: 'Mark Monitor', matchString: 'markmonitor.com.', isRegex: true, match: 'suffix' },
  { id: 21, name: 'Comcast Business', matchString: '.comcastbusiness.net.', isRegex: true, match: 'suffix' },
  { id: 22, name: 'DreamHost', matchString: '.dreamhost.com.', isRegex: true, match: 'suffix' },
  { id: 23, name: 'Akamai', matchString: '.akam.net.', isRegex: true, match: 'suffix' },
  { id: 24, name: 'Liquid Web', matchString: '.sourcedns.com.', isRegex: true, match: 'suffix' },
  { id: 25, name: 'Media Temple', matchString: 'mediatemple.net.', isRegex: true, match: 'suffix' },
  { id: 26, name: 'XSERVER', matchString: '.xserver.jp.', isRegex: true, match: 'suffix' },
  { id: 27, name: 'Internet Invest', matchString: '.srv53.net.', isRegex: true, match: 'suffix' },
  { id: 28, name: 'Flex Web Hosting', matchString: '.flexwebhosting.nl.', isRegex: true, match: 'suffix' },
  { id: 29, name: 'HostGator', matchString: '.hostgator.com.', isRegex: true, match: 'suffix' },
  { id: 30, name: 'NameCheap', matchString: '.namecheaphosting.com.', isRegex: true, match: 'suffix' },
  { id: 31, name: 'Self-hosted', matchString: 'Self-hosted', isRegex: false, match: 'special', role: 'self-hosted' },
  { id: 32, name: 'Unknown', matchString: 'Unknown.', isRegex: false, match: 'special', role: 'unknown' },
  { id: 33, name: 'Self-hosted', matchString: '.google.com', isRegex: true, match: 'suffix' },
  { id: 34, name: 'Self-hosted', matchString: 'twtrdns.net.', isRegex: true, match: 'suffix' },
  { id: 35, name: 'DynDNS', matchString: 'dynect.net', isRegex: true, match: 'suffix' },
  { id: 36, name: 'Self-hosted', matchString: '.msft.net.', isRegex: true, match: 'suffix' },
  { id: 37, name: 'Self-hosted', matchString: '.taobao.com.', isRegex: true, match: 'suffix' },
  { id: 38, name: 'Self-hosted', matchString: '.wikimedia.org.', isRegex: true, match: 'suffix' },
  { id: 39, name: '360Safe', matchString: '.360safe.com.', isRegex: true, match: 'suffix' },
  { id: 40, name: 'Self-hosted', matchString: '.sina.com.', isRegex: true, match: 'suffix' },
  { id: 41, name: 'CDNS.CN', matchString: '.cdns.cn.', isRegex: true, match: 'suffix' },
  { id: 42, name: 'Self-hosted', matchString: '.vkontakte.ru.', isRegex: true, match: 'suffix' },
  { id: 43, name: 'Alibaba DNS', matchString: 'alibabadns.com.', isRegex: true, match: 'suffix' },
  { id: 44, name: 'Self-hosted', matchString: '.dig.com.', isRegex: true, match: 'suffix' },
  { id: 45, name: 'Self-hosted', matchString: '.automattic.com.', isRegex: true, match: 'suffix' },
  { id: 46, name: 'SURFnet', matchString: '.surfnet.nl.', isRegex: true, match: 'suffix' },
  { id: 47, name: 'No-IP (Vitalwerks LLC)', matchString: '.no-ip.com.', isRegex: true, match: 'suffix' },
  { id: 48, name: 'NS1.', matchString: '.nsone.net.', isRegex: true, match: 'suffix' },
  { id: 49, name: 'EasyDNS', matchString: '.easydns.com.', isRegex: true, match: 'suffix' },
  { id: 50, name: 'Self-hosted', matchString: '.apple.com.', isRegex: true, match: 'suffix' },
  { id: 51, name: 'Self-hosted', matchString: '.bbc.co.uk.', isRegex: true, match: 'suffix' },
  { id: 52, name: 'AliDNS', matchString: '.alidns.com.', isRegex: true, match: 'suffix' },
  { id: 53, name: 'Self-hosted', matchString: '.whatsapp.net.', isRegex: true, match: 'suffix' },
  { id: 54, name: 'Self-hosted', matchString: '.facebook.com.', isRegex: true, match: 'suffix' },
  { id: 55, name: 'Move', matchString: '.move.com.', isRegex: true, match: 'suffix' },
  { id: 56, name: 'MasterWeb', matchString: '.masterweb.net.', isRegex: true, match: 'suffix' },
  { id: 57, name: 'JD.com (Jingdong)', matchString: '.jd.com.', isRegex: true, match: 'suffix' },
  { id: 58, name: 'JD.com (Jingdong)', matchString: '.jdcache.com.', isRegex: true, match: 'suffix' },
  { id: 59, name: 'Internet Systems Consortium', matchString: '.isc.org.', isRegex: true, match: 'suffix' },
  { id: 60, name: 'Duodecad ITS', matchString: '.dditservices.com.', isRegex: true, match: 'suffix' },
  { id: 61, name: 'Self-hosted', matchString: 'bkngs.com.', isRegex: true, match: 'suffix' },
  { id: 62, name: 'Self-hosted', matchString: '.thomsonreuters.net.', isRegex: true, match: 'suffix' },
  { id: 63, name: 'Self-hosted', matchString: '.bng-ns.com.', isRegex: true, match: 'suffix' },
  { id: 64, name: 'HiChina', matchString: '.hichina.com.', isRegex: true, match: 'suffix' },
  { id: 65, name: 'DNSPod', matchString: '.dnspod.net.', isRegex: true, match: 'suffix' },
  { id: 66, name: 'DNS.com', matchString: '.dns.com.', isRegex: true, match: 'suffix' },
  { id: 67, name: 'Network Solutions', matchString: '.worldnic.com.', isRegex: true, match: 'suffix' },
  { id: 68, name: 'Fast24', matchString: '.fastdns24.com.', isRegex: true, match: 'suffix' },
  { id: 69, name: 'Fast24', matchString: '.fastdns24.eu.', isRegex: true, match: 'suffix' },
  { id: 70, name: 'CSC', matchString: '.cscdns.net', isRegex: true, match: 'suffix' },
  { id: 71, name: 'Domain.com', matchString: '.domain.com.', isRegex: true, match: 'suffix' },
  { id: 72, name: 'Wix', matchString: 'wixdns.net.', isRegex: true, match: 'suffix' },
  { id: 73, name: 'Cafe24', matchString: '.cafe24.com.', isRegex: true, match: 'suffix' },
  { id: 74, name: 'LightEdge', matchString: '.lightedge.com.', isRegex: true, match: 'suffix' },
  { id: 75, name: 'BlueHost', matchString: '.bluehost.com.', isRegex: true, match: 'suffix' },
  { id: 76, name: 'dinahosting', matchString: '.dinahosting.com.', isRegex: true, match: 'suffix' },
  { id: 77, name: 'MyHostAdmin', matchString: '.myhostadmin.net.', isRegex: true, match: 'suffix' },
  { id: 78, name: 'eNom', matchString: 'name-services.com.', isRegex: true, match: 'suffix' },
  { id: 79, name: 'RU-center', matchString: '.nic.ru.', isRegex: true, match: 'suffix' },
  { id: 80, name: 'ClouDNS', matchString: '.cloudns.net.', isRegex: true, match: 'suffix' },
  { id: 81, name: 'Name', matchString: '.name.com.', isRegex: true, match: 'suffix' },
  { id: 82, name: 'XinNet', matchString: '.xincache.com.', isRegex: true, match: 'suffix' },
];

export const EMAIL_PROVIDER_ID = { selfHosted: 10, noMail: 27, unknown: 28 } as const;
export const DNS_PROVIDER_ID = { selfHosted: 31, unknown: 32 } as const;

/** The original's percent-to-letter table (spec §15.3). A+ needs more than 100, which capped grades never reach. */
const LETTERS: ReadonlyArray<[number, string]> = [
  [93, 'A'],
  [90, 'A-'],
  [87, 'B+'],
  [83, 'B'],
  [80, 'B-'],
  [77, 'C+'],
  [73, 'C'],
  [70, 'C-'],
  [67, 'D+'],
  [63, 'D'],
  [60, 'D-'],
];

export function letterGrade(percent: number): string {
  if (typeof percent !== 'number' || Number.isNaN(percent)) {
    throw new TypeError(`letterGrade: percent must be a number, got ${String(percent)}`);
  }
  if (percent > 100) return 'A+';
  for (const [min, letter] of LETTERS) if (percent >= min) return letter;
  return 'F';
}
