#!/bin/sh
# Runs once, when the Postgres data volume is first initialised (docker-entrypoint-initdb.d):
# one role and database for dnstats, one role for Temporal (which creates its own two databases,
# temporal and temporal_visibility, through temporal-sql-tool). Passwords come from the environment.
set -eu
: "${DNSTATS_DB_PASSWORD:?DNSTATS_DB_PASSWORD is required}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is required}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v dnstats_password="$DNSTATS_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE dnstats LOGIN PASSWORD :'dnstats_password';
CREATE DATABASE dnstats OWNER dnstats;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
SQL
