import { type Kysely, sql } from 'kysely';

// Unique keys everywhere the original had none (spec PIPE-7): a retried activity upserts instead
// of adding a second row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE remark_types (id smallint PRIMARY KEY, name text NOT NULL UNIQUE);
    CREATE TABLE remarks (
      id integer PRIMARY KEY,
      name text NOT NULL,
      remark_type_id smallint NOT NULL REFERENCES remark_types(id),
      remark_level smallint NOT NULL,
      enum_value integer NOT NULL,
      title text NOT NULL,
      text text NOT NULL,
      UNIQUE (remark_type_id, enum_value)
    );
    CREATE TABLE dmarc_policies (id integer PRIMARY KEY, policy_string text NOT NULL, display_name text NOT NULL, color text NOT NULL);
    CREATE TABLE spf_policies (id integer PRIMARY KEY, qualifier text NOT NULL, display_name text NOT NULL, color text NOT NULL);
    CREATE TABLE email_providers (id integer PRIMARY KEY, display_name text NOT NULL, search_regex text NOT NULL, is_regex boolean NOT NULL DEFAULT true);
    CREATE TABLE dns_providers (id integer PRIMARY KEY, display_name text NOT NULL, search_regex text NOT NULL, is_regex boolean NOT NULL DEFAULT true);

    CREATE TABLE sites (
      id bigserial PRIMARY KEY,
      domain text NOT NULL UNIQUE,
      current_rank integer NOT NULL DEFAULT 0,
      first_seen timestamptz NOT NULL DEFAULT now(),
      rank_updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sites_current_rank_idx ON sites (current_rank) WHERE current_rank > 0;

    CREATE TABLE runs (
      id bigserial PRIMARY KEY,
      workflow_id text NOT NULL UNIQUE,
      scope jsonb NOT NULL,
      start_time timestamptz NOT NULL,
      end_time timestamptz,
      site_count integer NOT NULL,
      outcome text NOT NULL DEFAULT 'running',
      failed_batches jsonb NOT NULL DEFAULT '[]',
      summary jsonb
    );

    CREATE TABLE run_sites (
      run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      ordinal integer NOT NULL,
      site_id bigint NOT NULL REFERENCES sites(id),
      rank integer NOT NULL,
      domain text NOT NULL,
      PRIMARY KEY (run_id, ordinal)
    );

    CREATE TABLE site_runs (
      id bigserial PRIMARY KEY,
      run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      site_id bigint NOT NULL REFERENCES sites(id),
      ordinal integer NOT NULL,
      run_rank integer NOT NULL,
      domain text NOT NULL,
      scan jsonb,
      queries integer,
      lookup_failures integer,
      failure_kinds jsonb,
      start_time timestamptz,
      end_time timestamptz,
      scanned_at timestamptz,
      has_mx boolean,
      has_null_mx boolean,
      email_provider_id integer REFERENCES email_providers(id),
      dns_provider_id integer REFERENCES dns_providers(id),
      has_spf boolean,
      spf_record text,
      spf_policy_id integer REFERENCES spf_policies(id),
      has_dmarc boolean,
      dmarc_record text,
      dmarc_policy_id integer REFERENCES dmarc_policies(id),
      dmarc_sub_policy_id integer REFERENCES dmarc_policies(id),
      has_dmarc_aggregate_reporting boolean,
      has_dmarc_forensic_reporting boolean,
      has_caa boolean,
      has_caa_reporting boolean,
      caa_issue_count integer,
      caa_wildcard_count integer,
      has_dnssec boolean,
      dnssec_ds_algorithm smallint,
      dnssec_digest_type smallint,
      dnssec_dnskey_algorithm smallint,
      dnssec_ds_algorithms jsonb,
      dnssec_digest_types jsonb,
      dnssec_dnskey_algorithms jsonb,
      dnssec_ds_matches_dnskey boolean,
      failed_lookups jsonb,
      has_msdc boolean,
      has_bimi boolean,
      processed_at timestamptz,
      spf_grade smallint CHECK (spf_grade BETWEEN 0 AND 100),
      dmarc_grade smallint CHECK (dmarc_grade BETWEEN 0 AND 100),
      caa_grade smallint CHECK (caa_grade BETWEEN 0 AND 100),
      ns_grade smallint CHECK (ns_grade BETWEEN 0 AND 100),
      soa_grade smallint CHECK (soa_grade BETWEEN 0 AND 100),
      mx_grade smallint CHECK (mx_grade BETWEEN 0 AND 100),
      bimi_grade smallint CHECK (bimi_grade BETWEEN 0 AND 100),
      dnssec_grade smallint CHECK (dnssec_grade BETWEEN 0 AND 100),
      graded_at timestamptz,
      UNIQUE (run_id, site_id),
      UNIQUE (run_id, ordinal)
    );

    CREATE TABLE siterun_remarks (
      id bigserial PRIMARY KEY,
      site_run_id bigint NOT NULL REFERENCES site_runs(id) ON DELETE CASCADE,
      remark_id integer NOT NULL REFERENCES remarks(id)
    );
    CREATE INDEX siterun_remarks_site_run_idx ON siterun_remarks (site_run_id);
    CREATE INDEX siterun_remarks_remark_idx ON siterun_remarks (remark_id);

    CREATE TABLE site_list_imports (
      id bigserial PRIMARY KEY,
      workflow_id text NOT NULL UNIQUE,
      source text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      status text NOT NULL,
      rows_read integer,
      rows_valid integer,
      rows_rejected integer,
      new_sites integer,
      reranked_sites integer,
      unranked_sites integer,
      rejected_sample jsonb,
      error text
    );
    CREATE TABLE site_rank_changes (
      import_id bigint NOT NULL REFERENCES site_list_imports(id) ON DELETE CASCADE,
      site_id bigint NOT NULL REFERENCES sites(id),
      old_rank integer,
      new_rank integer NOT NULL,
      PRIMARY KEY (import_id, site_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE site_rank_changes, site_list_imports, siterun_remarks, site_runs, run_sites, runs, sites,
      dns_providers, email_providers, spf_policies, dmarc_policies, remarks, remark_types;
  `.execute(db);
}
