// processSite and gradeSite: the two entry points the pipeline calls. Both are pure functions of the
// stored SiteScan; the per-area analyses are computed once per scan object and shared by the two.
import type { SiteScan } from '../dns/types';
import { analyseBimi, gradeBimi } from './bimi';
import { analyseCaa, gradeCaa } from './caa';
import { classify, dataAt } from './common';
import { analyseDmarc, dmarcFacts, gradeDmarc } from './dmarc';
import { analyseDnssec, gradeDnssec } from './dnssec';
import { analyseMx, gradeMx } from './mx';
import { analyseNs, gradeNs } from './ns';
import { dnsProviderId, emailProviderId } from './providers';
import { analyseSoa, gradeSoa } from './soa';
import { analyseSpf, gradeSpf, spfFacts } from './spf';
import type { SiteFacts, SiteGrades } from './types';

function analyse(scan: SiteScan) {
  const dmarc = analyseDmarc(scan);
  const bimi = analyseBimi(scan, dmarc);
  return {
    spf: analyseSpf(scan),
    dmarc,
    caa: analyseCaa(scan),
    ns: analyseNs(scan),
    soa: analyseSoa(scan),
    mx: analyseMx(scan),
    bimi,
    bimiGrade: gradeBimi(bimi),
    dnssec: analyseDnssec(scan),
  };
}
type Analysis = ReturnType<typeof analyse>;

// Scans are not mutated by the library; a WeakMap lets gradeSite reuse what processSite computed
// for the same object without holding on to it.
const CACHE = new WeakMap<SiteScan, Analysis>();

function analysisOf(scan: SiteScan): Analysis {
  if (scan === null || typeof scan !== 'object') {
    throw new TypeError(`expected a SiteScan object, got ${scan === null ? 'null' : typeof scan}`);
  }
  if (typeof scan.domain !== 'string') {
    throw new TypeError(`SiteScan.domain must be a string, got ${JSON.stringify(scan.domain) ?? typeof scan.domain}`);
  }
  let analysis = CACHE.get(scan);
  if (!analysis) {
    analysis = analyse(scan);
    CACHE.set(scan, analysis);
  }
  return analysis;
}

/**
 * Microsoft domain-controller detection (spec §5.4, DNS-7 fixed): an SOA at _msdcs.<domain> that a
 * should-not-exist sibling does not also have. Null when a lookup it needs failed.
 */
export function msdcOf(scan: SiteScan): boolean | null {
  const msdcs = classify(scan.msdcsSoa);
  if (msdcs === 'none') return false;
  if (msdcs === 'failed') return null;
  if (!scan.msdcsControlSoa) return null;
  const control = classify(scan.msdcsControlSoa);
  if (control === 'failed') return null;
  return control === 'none';
}

const SCAN_FIELDS = ['mx', 'txt', 'caa', 'ds', 'dnskey', 'ns', 'soa', 'dmarc', 'bimi', 'msdcsSoa'] as const;

/** Derived facts of one site (spec §6 with §25 fixed). */
export function processSite(scan: SiteScan): SiteFacts {
  const a = analysisOf(scan);
  const spf = spfFacts(a.spf);
  const dmarc = dmarcFacts(a.dmarc);
  const mxLookup = a.mx.lookup;
  const firstDs = a.dnssec.status === 'failed' ? undefined : dataAt(scan.ds, 0, 'DS');
  const firstKey = dataAt(scan.dnskey, 0, 'DNSKEY');
  return {
    hasMx: mxLookup === 'records',
    hasNullMx: a.mx.nullMx,
    emailProviderId: mxLookup === 'failed' ? null : emailProviderId(scan.domain, a.mx.entries),
    dnsProviderId: a.ns.lookup === 'records' ? dnsProviderId(scan.domain, a.ns.targets) : null,
    hasSpf: spf.hasSpf,
    spfRecord: spf.spfRecord,
    spfPolicyId: spf.spfPolicyId,
    ...dmarc,
    hasCaa: a.caa.issueCount > 0,
    hasCaaReporting: a.caa.iodefCount > 0,
    caaIssueCount: a.caa.issueCount,
    caaWildcardCount: a.caa.issuewildCount,
    hasDnssec: classify(scan.ds) === 'records',
    dnssecDsAlgorithm: a.dnssec.dsAlgorithms[0] ?? (firstDs ? firstDs.algorithm : -1),
    dnssecDigestType: a.dnssec.digestTypes[0] ?? (firstDs ? firstDs.digestType : -1),
    dnssecDnskeyAlgorithm: a.dnssec.dnskeyAlgorithms[0] ?? (firstKey ? firstKey.algorithm : -1),
    hasMsdc: msdcOf(scan),
    hasBimi: a.bimiGrade.grade === 100,
    dnssecDsAlgorithms: a.dnssec.dsAlgorithms,
    dnssecDigestTypes: a.dnssec.digestTypes,
    dnssecDnskeyAlgorithms: a.dnssec.dnskeyAlgorithms,
    dnssecDsMatchesDnskey: a.dnssec.dsMatchesDnskey,
    failedLookups: SCAN_FIELDS.filter((field) => classify(scan[field]) === 'failed'),
  };
}

/**
 * Grades 0..100 (or null: undetermined / not applicable) with remarks for every area. `facts` is
 * what processSite returned for the same scan; the grades are computed from the scan itself.
 */
export function gradeSite(scan: SiteScan, facts?: SiteFacts): SiteGrades {
  void facts;
  const a = analysisOf(scan);
  // A domain "takes mail" when it has a non-null MX (the no-SPF grade of spec §8.4, SPF-1 fixed).
  const acceptsMail = a.mx.lookup === 'failed' ? null : a.mx.lookup === 'records' && !a.mx.nullMx;
  const sendsMail = a.spf.evaluation?.authorisesSenders === true;
  return {
    spf: gradeSpf(a.spf, acceptsMail),
    dmarc: gradeDmarc(a.dmarc),
    caa: gradeCaa(a.caa),
    ns: gradeNs(a.ns),
    soa: gradeSoa(a.soa),
    mx: gradeMx(a.mx, sendsMail),
    bimi: a.bimiGrade,
    dnssec: gradeDnssec(a.dnssec),
  };
}
