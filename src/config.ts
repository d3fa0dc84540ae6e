// Typed configuration, read once from the environment. Every variable is listed in README.md.
import path from 'node:path';

export interface Config {
  /** Folder for local state: embedded Postgres data, the dev server's SQLite file, reports. */
  home: string;
  database: {
    /** Unset: an embedded Postgres under `home`. */
    url: string | undefined;
    embeddedPort: number;
    poolSize: number;
  };
  temporal: {
    /** Unset: `npm start` runs a dev server on 127.0.0.1:7233 (Web UI on :8233). */
    address: string | undefined;
    namespace: string;
    cliPath: string | undefined;
    devServerPort: number;
    uiPort: number;
    /** Base URL of the Web UI, for links in output and emails. */
    uiUrl: string | undefined;
  };
  email: {
    resendApiKey: string | undefined;
    from: string;
    to: string[];
  };
  workers: {
    scanActivitySlots: number;
    scanWorkflowSlots: number;
    processActivitySlots: number;
    /** Sites scanned concurrently inside one scanChunk activity. */
    sitesInFlightPerChunk: number;
    shutdownGraceSeconds: number;
  };
  tranco: {
    url: string;
  };
  logLevel: string;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name}=${raw} is not an integer ≥ ${min}`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const home = path.resolve(env.DNSTATS_HOME ?? '.dnstats');
  const devServerPort = int(env, 'DNSTATS_TEMPORAL_DEV_PORT', 7233, 1);
  return {
    home,
    database: {
      url: env.DATABASE_URL || undefined,
      embeddedPort: int(env, 'DNSTATS_EMBEDDED_PG_PORT', 5433, 1),
      poolSize: int(env, 'DNSTATS_DB_POOL_SIZE', 10, 1),
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      cliPath: env.TEMPORAL_CLI_PATH || undefined,
      devServerPort,
      uiPort: int(env, 'DNSTATS_TEMPORAL_UI_PORT', devServerPort + 1000, 1),
      uiUrl: env.DNSTATS_TEMPORAL_UI_URL || undefined,
    },
    email: {
      resendApiKey: env.RESEND_API_KEY || undefined,
      from: env.DNSTATS_EMAIL_FROM || 'dnstats <worker@dnstats.invalid>',
      to: (env.DNSTATS_EMAIL_TO || 'dnstats-cron@dnstats.invalid').split(',').map((s) => s.trim()).filter(Boolean),
    },
    workers: {
      scanActivitySlots: int(env, 'DNSTATS_SCAN_ACTIVITY_SLOTS', 8, 1),
      scanWorkflowSlots: int(env, 'DNSTATS_SCAN_WORKFLOW_SLOTS', 40, 1),
      processActivitySlots: int(env, 'DNSTATS_PROCESS_ACTIVITY_SLOTS', 4, 1),
      sitesInFlightPerChunk: int(env, 'DNSTATS_SITES_IN_FLIGHT_PER_CHUNK', 64, 1),
      shutdownGraceSeconds: int(env, 'DNSTATS_SHUTDOWN_GRACE_SECONDS', 30, 0),
    },
    tranco: {
      url: env.DNSTATS_TRANCO_URL || 'https://tranco-list.eu/top-1m.csv.zip',
    },
    logLevel: env.DNSTATS_LOG_LEVEL || 'info',
  };
}
