// Migrations listed statically (not read from the folder at run time) so they load the same way
// under tsx, Jest and a compiled build.
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
};
