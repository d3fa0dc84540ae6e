// Migrations listed statically (not read from the folder at run time) so they load the same way
// under tsx, Jest and a compiled build.
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_site_list_import';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_site_list_import': m0002,
};
