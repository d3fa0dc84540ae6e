export { connectDatabase, redactUrl, type Db, type DatabaseOptions } from './connection';
export { migrateToLatest } from './migrate';
export { startEmbeddedPostgres, freePort, type EmbeddedPostgres } from './embedded';
import type { Db } from './connection';
import { migrateToLatest } from './migrate';
import { seedLookupTables } from '../../db/seed';

/** Migrations, then seed data: what `dnstats migrate` and every worker start-up run. */
export async function prepareDatabase(db: Db): Promise<void> {
  await migrateToLatest(db);
  await seedLookupTables(db);
}
