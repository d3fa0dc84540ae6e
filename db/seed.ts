// Seed data: the lookup tables, inserted verbatim from the checks library's tables (one source
// for the graders, the documentation and the database). Upserts, so re-running after a release
// that adds remarks or providers brings the tables up to date.
import type { Db } from '../src/db/connection';
import { REMARK_TYPES, REMARKS } from '../src/checks/remarks';
import { DMARC_POLICIES, SPF_POLICIES, EMAIL_PROVIDERS, DNS_PROVIDERS } from '../src/checks/tables';

/** remarks.id is derived, so it stays the same across databases: type id × 1000 + enum value. */
export function remarkRowId(typeId: number, value: number): number {
  return typeId * 1000 + value;
}

export async function seedLookupTables(db: Db): Promise<void> {
  const typeIds = new Map(REMARK_TYPES.map((t) => [t.name, t.id]));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('remark_types')
      .values(REMARK_TYPES.map((t) => ({ id: t.id, name: t.name })))
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: (eb) => eb.ref('excluded.name') }))
      .execute();
    await trx
      .insertInto('remarks')
      .values(
        REMARKS.map((r) => {
          const typeId = typeIds.get(r.type);
          if (typeId === undefined) throw new Error(`remark ${r.type}.${r.name} has no remark type`);
          return { id: remarkRowId(typeId, r.value), name: r.name, remark_type_id: typeId, remark_level: r.level, enum_value: r.value, title: r.title, text: r.text };
        }),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          remark_level: (eb) => eb.ref('excluded.remark_level'),
          title: (eb) => eb.ref('excluded.title'),
          text: (eb) => eb.ref('excluded.text'),
        }),
      )
      .execute();
    await trx
      .insertInto('dmarc_policies')
      .values(DMARC_POLICIES.map((p) => ({ id: p.id, policy_string: p.policyString, display_name: p.displayName, color: p.color })))
      .onConflict((oc) => oc.column('id').doUpdateSet({ policy_string: (eb) => eb.ref('excluded.policy_string'), display_name: (eb) => eb.ref('excluded.display_name'), color: (eb) => eb.ref('excluded.color') }))
      .execute();
    await trx
      .insertInto('spf_policies')
      .values(SPF_POLICIES.map((p) => ({ id: p.id, qualifier: p.qualifier, display_name: p.displayName, color: p.color })))
      .onConflict((oc) => oc.column('id').doUpdateSet({ qualifier: (eb) => eb.ref('excluded.qualifier'), display_name: (eb) => eb.ref('excluded.display_name'), color: (eb) => eb.ref('excluded.color') }))
      .execute();
    for (const [table, rows] of [['email_providers', EMAIL_PROVIDERS], ['dns_providers', DNS_PROVIDERS]] as const) {
      await trx
        .insertInto(table)
        .values(rows.map((p) => ({ id: p.id, display_name: p.name, search_regex: p.matchString, is_regex: p.isRegex })))
        .onConflict((oc) => oc.column('id').doUpdateSet({ display_name: (eb) => eb.ref('excluded.display_name'), search_regex: (eb) => eb.ref('excluded.search_regex'), is_regex: (eb) => eb.ref('excluded.is_regex') }))
        .execute();
    }
  });
}
