// Contract between the checks library (pure functions of a SiteScan) and the pipeline that
// stores its results (site_runs columns, siterun_remarks rows). No I/O here.

export type GradedArea = 'spf' | 'dmarc' | 'caa' | 'ns' | 'soa' | 'mx' | 'bimi' | 'dnssec';
export const GRADED_AREAS: readonly GradedArea[] = ['spf', 'dmarc', 'caa', 'ns', 'soa', 'mx', 'bimi', 'dnssec'];

/** Remark levels, as the original's seed (spec §0). */
export enum RemarkLevel {
  Fatal = 0,
  Error = 1,
  Warning = 2,
  Deprecated = 3,
  Info = 4,
}

/** A remark raised for a site: (remark type name, enum value) is the stable key, as in the original. */
export interface RemarkRef {
  type: GradedArea;
  value: number;
}

export interface AreaGrade {
  /**
   * Integer 0..100, or null when the inputs could not be determined (the lookups it needs timed
   * out or failed): a lookup failure is never graded as "no record". Null also marks an area that
   * does not apply (MX of a domain that neither receives nor sends mail); a remark says which.
   */
  grade: number | null;
  remarks: RemarkRef[];
}

export type SiteGrades = Record<GradedArea, AreaGrade>;

/** Derived facts of one site (the original's process step, spec §6), with lookup-table ids. */
export interface SiteFacts {
  hasMx: boolean;
  hasNullMx: boolean;
  emailProviderId: number | null;
  dnsProviderId: number | null;

  hasSpf: boolean;
  spfRecord: string | null;
  spfPolicyId: number; // spf_policies id (spec §17)

  hasDmarc: boolean;
  dmarcRecord: string | null;
  dmarcPolicyId: number; // dmarc_policies id (spec §17)
  dmarcSubPolicyId: number;
  hasDmarcAggregateReporting: boolean;
  hasDmarcForensicReporting: boolean;

  hasCaa: boolean;
  hasCaaReporting: boolean;
  caaIssueCount: number;
  caaWildcardCount: number;

  hasDnssec: boolean; // a DS RRset exists at the parent
  dnssecDsAlgorithm: number; // -1 when none
  dnssecDigestType: number; // -1 when none
  dnssecDnskeyAlgorithm: number; // -1 when none

  hasMsdc: boolean | null;
  hasBimi: boolean;

  // Added by the checks library (optional, so older producers of SiteFacts still compile).
  /** Every DS algorithm / digest type and DNSKEY algorithm, in first-seen order (SEC-1). */
  dnssecDsAlgorithms?: number[];
  dnssecDigestTypes?: number[];
  dnssecDnskeyAlgorithms?: number[];
  /** A DS matches a zone DNSKEY (key tag + digest); null when unsigned or not verifiable. */
  dnssecDsMatchesDnskey?: boolean | null;
  /** Scan fields whose lookup failed, so the facts derived from them are unknown, not "absent". */
  failedLookups?: string[];
}
