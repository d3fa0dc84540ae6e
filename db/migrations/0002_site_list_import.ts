import { type Kysely, sql } from 'kysely';

// The site-list import (issue 5): every rejected row of an import is kept (the summary row holds
// only the first hundred), the list's SHA-256 says which list was imported (PIPE-6: the original
// recorded nothing), and rank history can be read per site.
//
// site_rank_changes loses its two foreign keys: each costs a trigger call per row, and they made
// writing the history of a 1,000,000-site import 4x slower (measured: 100,000 rows 0.4 s without,
// 1.9 s with). The import is the only writer, and writes ids it reads from `sites` and
// `site_list_imports` in the same transaction; sites are never deleted (rank 0 instead).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE site_list_imports ADD COLUMN list_sha256 text;
    CREATE TABLE site_list_import_rejects (
      import_id bigint NOT NULL REFERENCES site_list_imports(id) ON DELETE CASCADE,
      line integer NOT NULL,
      content text NOT NULL,
      reason text NOT NULL,
      PRIMARY KEY (import_id, line)
    );
    CREATE INDEX site_rank_changes_site_idx ON site_rank_changes (site_id, import_id);
    ALTER TABLE site_rank_changes DROP CONSTRAINT site_rank_changes_site_id_fkey, DROP CONSTRAINT site_rank_changes_import_id_fkey;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE site_rank_changes
      ADD CONSTRAINT site_rank_changes_site_id_fkey FOREIGN KEY (site_id) REFERENCES sites(id),
      ADD CONSTRAINT site_rank_changes_import_id_fkey FOREIGN KEY (import_id) REFERENCES site_list_imports(id) ON DELETE CASCADE;
    DROP INDEX site_rank_changes_site_idx;
    DROP TABLE site_list_import_rejects;
    ALTER TABLE site_list_imports DROP COLUMN list_sha256;
  `.execute(db);
}
