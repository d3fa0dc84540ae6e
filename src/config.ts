// Typed configuration, read once from the environment. Every variable is listed in README.md.
import path from 'node:path';
import type { Duration } from '@temporalio/common';
import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';

export interface Config {
  /** `development` (the default, as the original): daily runs cover the top 50, emails are logged
   * unless RESEND_API_KEY is set, no coverage guard. `production`: the whole list. */
  environment: 'development' | 'production';
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
  schedules: {
    catchupWindow: Duration;
  };
  publish: {
    /** Share of the run's snapshot that must be graded before anything is published (0..1). */
    coverageThreshold: number;
    /** The local folder the site is published into (the default publish target). */
    dir: string;
    /** Public base URL of the published site, for links in emails (default: the `dnstats serve` URL). */
    publicUrl: string | undefined;
    servePort: number;
    serveHost: string;
  };
  metrics: {
    /** The Temporal SDK's Prometheus endpoint (Runtime telemetry), 'host:port'; unset: off. */
    sdkBindAddress: string | undefined;
    /** A standalone worker's own endpoint (DNS engine and stage metrics), 'host:port'; unset: off. */
    workerBindAddress: string | undefined;
  };
  logLevel: string;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // "92%" and "0.92" both mean 92 %.
  const value = raw.trim().endsWith('%') ? Number(raw.trim().slice(0, -1)) / 100 : Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name}=${raw} is not a share from 0 to 1 (or 0% to 100%)`);
  return value;
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

/** The database URL: DATABASE_URL, else the embedded server `npm start` runs under DNSTATS_HOME. */
export function databaseUrlOf(config: Config): string {
  return config.database.url ?? `postgres://dnstats:dnstats@127.0.0.1:${config.database.embeddedPort}/dnstats`;
}

/**
 * A Temporal client profile (the SDK's envconfig: a TOML file as the `temporal` CLI writes it),
 * read only when TEMPORAL_CONFIG_FILE or TEMPORAL_PROFILE asks for one, so that a stray
 * ~/.config/temporalio/temporal.toml never redirects a local run. Environment variables win.
 */
export function temporalProfileOf(env: NodeJS.ProcessEnv): ClientConfigProfile {
  if (!env.TEMPORAL_CONFIG_FILE && !env.TEMPORAL_PROFILE) return {};
  try {
    return loadClientConfigProfile({ overrideEnvVars: env as Record<string, string>, disableEnv: true });
  } catch (err) {
    throw new Error(`Temporal profile ${env.TEMPORAL_PROFILE ?? 'default'} from ${env.TEMPORAL_CONFIG_FILE ?? '~/.config/temporalio/temporal.toml'}: ${(err as Error).message}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const temporalProfile = temporalProfileOf(env);
  const home = path.resolve(env.DNSTATS_HOME ?? '.dnstats');
  const devServerPort = int(env, 'DNSTATS_TEMPORAL_DEV_PORT', 7233, 1);
  const environment = (env.DNSTATS_ENV || 'development').toLowerCase();
  if (environment !== 'development' && environment !== 'production') {
    throw new Error(`DNSTATS_ENV=${env.DNSTATS_ENV} must be development or production`);
  }
  return {
    environment,
    home,
    database: {
      url: env.DATABASE_URL || undefined,
      embeddedPort: int(env, 'DNSTATS_EMBEDDED_PG_PORT', 5433, 1),
      poolSize: int(env, 'DNSTATS_DB_POOL_SIZE', 10, 1),
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS || temporalProfile.address || undefined,
      namespace: env.TEMPORAL_NAMESPACE || temporalProfile.namespace || 'default',
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
    schedules: {
      catchupWindow: (env.DNSTATS_SCHEDULE_CATCHUP_WINDOW || '2 hours') as Duration,
    },
    publish: {
      coverageThreshold: fraction(env, 'DNSTATS_COVERAGE_THRESHOLD', 0.92),
      dir: path.resolve(env.DNSTATS_PUBLISH_DIR || path.join(home, 'site')),
      publicUrl: env.DNSTATS_PUBLIC_URL || undefined,
      servePort: int(env, 'DNSTATS_SERVE_PORT', 8080, 1),
      serveHost: env.DNSTATS_SERVE_HOST || '127.0.0.1',
    },
    metrics: {
      sdkBindAddress: env.DNSTATS_SDK_METRICS_ADDRESS || undefined,
      workerBindAddress: env.DNSTATS_METRICS_ADDRESS || undefined,
    },
    logLevel: env.DNSTATS_LOG_LEVEL || 'info',
  };
}
