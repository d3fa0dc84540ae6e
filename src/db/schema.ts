// The Kysely view of the database (db/migrations create it).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { SiteScan } from '../dns/types';
import type { RunScope, RunOutcome, LookupFailureCounts, ScanRunResult } from '../shared/types';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface SitesTable {
  id: Generated<number>;
  domain: string;
  current_rank: number; // 0 = no longer on the list
  first_seen: ColumnType<Date, Date | string | undefined, never>;
  rank_updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RunsTable {
  id: Generated<number>;
  workflow_id: string;
  scope: ColumnType<RunScope, string, string>;
  start_time: Timestamp;
  end_time: Timestamp | null;
  site_count: number;
  outcome: RunOutcome;
  failed_batches: ColumnType<number[], string | undefined, string>;
  summary: ColumnType<RunSummary | null, string | null | undefined, string | null>;
}

/** The counts finishRun records (the run's result carries the same). */
export type RunSummary = Pick<ScanRunResult, 'sites' | 'scanned' | 'processed' | 'graded' | 'queries' | 'lookupFailures' | 'seconds'>;

/** A run's frozen membership: ordinal → site, taken when the run starts. */
export interface RunSitesTable {
  run_id: number;
  ordinal: number;
  site_id: number;
  rank: number;
  domain: string;
}

export interface SiteRunsTable {
  id: Generated<number>;
  run_id: number;
  site_id: number;
  ordinal: number;
  run_rank: number;
  domain: string;
  // scan stage
  scan: ColumnType<SiteScan | null, string | null, string | null>;
  queries: number | null;
  lookup_failures: number | null;
  /** Failed queries of this site by status, e.g. {"TIMEOUT": 2}. */
  failure_kinds: ColumnType<LookupFailureCounts | null, string | null, string | null>;
  start_time: Timestamp | null;
  end_time: Timestamp | null;
  scanned_at: Timestamp | null;
  // processing stage (spec §6.7)
  has_mx: boolean | null;
  has_null_mx: boolean | null;
  email_provider_id: number | null;
  dns_provider_id: number | null;
  has_spf: boolean | null;
  spf_record: string | null;
  spf_policy_id: number | null;
  has_dmarc: boolean | null;
  dmarc_record: string | null;
  dmarc_policy_id: number | null;
  dmarc_sub_policy_id: number | null;
  has_dmarc_aggregate_reporting: boolean | null;
  has_dmarc_forensic_reporting: boolean | null;
  has_caa: boolean | null;
  has_caa_reporting: boolean | null;
  caa_issue_count: number | null;
  caa_wildcard_count: number | null;
  has_dnssec: boolean | null;
  dnssec_ds_algorithm: number | null;
  dnssec_digest_type: number | null;
  dnssec_dnskey_algorithm: number | null;
  dnssec_ds_algorithms: ColumnType<number[] | null, string | null, string | null>;
  dnssec_digest_types: ColumnType<number[] | null, string | null, string | null>;
  dnssec_dnskey_algorithms: ColumnType<number[] | null, string | null, string | null>;
  dnssec_ds_matches_dnskey: boolean | null;
  /** Scan fields whose lookup failed: the facts derived from them are unknown, not "absent". */
  failed_lookups: ColumnType<string[] | null, string | null, string | null>;
  has_msdc: boolean | null;
  has_bimi: boolean | null;
  processed_at: Timestamp | null;
  // grading stage
  spf_grade: number | null;
  dmarc_grade: number | null;
  caa_grade: number | null;
  ns_grade: number | null;
  soa_grade: number | null;
  mx_grade: number | null;
  bimi_grade: number | null;
  dnssec_grade: number | null;
  graded_at: Timestamp | null;
}

export interface SiterunRemarksTable {
  id: Generated<number>;
  site_run_id: number;
  remark_id: number;
}

export interface RemarkTypesTable {
  id: number;
  name: string;
}

export interface RemarksTable {
  id: number;
  name: string;
  remark_type_id: number;
  remark_level: number;
  enum_value: number;
  title: string;
  text: string;
}

export interface PoliciesTable {
  id: number;
  policy_string: string;
  display_name: string;
  color: string;
}

export interface SpfPoliciesTable {
  id: number;
  qualifier: string;
  display_name: string;
  color: string;
}

export interface ProvidersTable {
  id: number;
  display_name: string;
  search_regex: string;
  is_regex: boolean;
}

export interface SiteListImportsTable {
  id: Generated<number>;
  workflow_id: string;
  source: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: string;
  rows_read: number | null;
  rows_valid: number | null;
  rows_rejected: number | null;
  new_sites: number | null;
  reranked_sites: number | null;
  unranked_sites: number | null;
  rejected_sample: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
}

export interface SiteRankChangesTable {
  import_id: number;
  site_id: number;
  old_rank: number | null; // null: new site
  new_rank: number; // 0: dropped from the list
}

export interface Database {
  sites: SitesTable;
  runs: RunsTable;
  run_sites: RunSitesTable;
  site_runs: SiteRunsTable;
  siterun_remarks: SiterunRemarksTable;
  remark_types: RemarkTypesTable;
  remarks: RemarksTable;
  dmarc_policies: PoliciesTable;
  spf_policies: SpfPoliciesTable;
  email_providers: ProvidersTable;
  dns_providers: ProvidersTable;
  site_list_imports: SiteListImportsTable;
  site_rank_changes: SiteRankChangesTable;
}

export type SiteRun = Selectable<SiteRunsTable>;
export type NewSiteRun = Insertable<SiteRunsTable>;
export type Run = Selectable<RunsTable>;
