#!/bin/sh
# One-shot (temporalio/admin-tools): create Temporal's two databases on the shared Postgres and
# bring their schemas up to date with the versions shipped in this admin-tools image. Safe to run
# at every `docker compose up`: existing databases and schemas are kept, update-schema applies
# only what is missing. This replaces the deprecated temporalio/auto-setup image.
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

attempt=0
until nc -z -w 2 "$POSTGRES_SEEDS" "$PORT"; do
  attempt=$((attempt + 1))
  [ "$attempt" -ge 60 ] && { echo "PostgreSQL at $POSTGRES_SEEDS:$PORT did not open in 120 s" >&2; exit 1; }
  sleep 2
done

sql_tool() { # sql_tool <database> <command...>; the password reaches the tool through SQL_PASSWORD
  database="$1"; shift
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" --db "$database" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  database="${pair%%:*}"; kind="${pair##*:}"
  echo "== $database ($kind schema)"
  sql_tool "$database" create-database 2>/dev/null || echo "$database exists"
  # setup-schema -v 0.0 creates the version table on a new database; on an existing one it fails
  # harmlessly, and update-schema below does the real work either way.
  sql_tool "$database" setup-schema -v 0.0 2>/dev/null || echo "$database already has a schema"
  sql_tool "$database" update-schema -d "$SCHEMA_DIR/$kind/versioned"
done
echo "Temporal schemas are up to date"
