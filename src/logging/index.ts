// Structured JSON logs (pino) for the standalone workers, and the bridge that routes the Temporal
// SDK's own logger (worker, workflow and activity messages) into the same stream.
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';

export type { PinoLogger };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type DnstatsLogLevel = (typeof LOG_LEVELS)[number];

/** DNSTATS_LOG_LEVEL as pino wants it; `warning` is accepted as `warn`. */
export function parseLogLevel(raw: string | undefined, variable = 'DNSTATS_LOG_LEVEL'): DnstatsLogLevel {
  const text = (raw ?? 'info').trim().toLowerCase();
  const level = text === 'warning' ? 'warn' : text === '' ? 'info' : text;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`${variable}=${raw} must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return level as DnstatsLogLevel;
}

/**
 * Keys whose values never reach a log line (DESIGN.md "Security": secrets only from the
 * environment, never in logs). pino's redaction matches by path, at the top level and one down.
 */
const SECRET_KEYS = ['apiKey', 'api_key', 'password', 'authorization', 'Authorization', 'databaseUrl', 'DATABASE_URL', 'RESEND_API_KEY', 'TEMPORAL_API_KEY'];
export const REDACTED_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)];

export interface CreateLoggerOptions {
  level?: string;
  /** Fields on every line, e.g. { worker: 'scan', identity }. */
  base?: Record<string, unknown>;
  /** Default: stdout (fd 1), written synchronously so a crash loses nothing. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): PinoLogger {
  return pino(
    {
      level: parseLogLevel(options.level),
      base: { service: 'dnstats', pid: process.pid, ...(options.base ?? {}) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

const PINO_METHOD: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's Logger interface over pino: what Runtime.install({ logger }) takes. Every
 * message the SDK emits (and `log` from @temporalio/activity or @temporalio/workflow, with the
 * activity's or workflow's attributes in meta) becomes one JSON line.
 */
export function temporalLoggerFromPino(logger: PinoLogger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = PINO_METHOD[level] ?? 'info';
    if (meta && Object.keys(meta).length > 0) {
      // The SDK reports errors under `error`; pino serialises an Error best under `err`. Task
      // tokens and whole encoded tasks are opaque blobs that only bloat each line.
      const { error, taskToken: _token, task: _task, taskEncoded: _encoded, ...rest } = meta as Record<string, unknown>;
      logger[method](error instanceof Error ? { ...rest, err: error } : error === undefined ? rest : { ...rest, error }, message);
    } else {
      logger[method](message);
    }
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

/** The SDK's upper-case level for a DNSTATS_LOG_LEVEL. */
export function temporalLogLevel(level: string | undefined): LogLevel {
  return PINO_METHOD_INVERSE[parseLogLevel(level)];
}

const PINO_METHOD_INVERSE: Record<DnstatsLogLevel, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

export { chunkLogFields, createActivityObservabilityInterceptor, observabilityPlugin, type ActivityObserver } from './activity-interceptor';
