import { DefaultLogger, Runtime, type LogLevel, type Logger } from '@temporalio/worker';

let installed = false;

export interface RuntimeOptions {
  /** Where the SDK's log messages go (a pino bridge in standalone workers); default: the console. */
  logger?: Logger;
  /**
   * The SDK's Prometheus endpoint, 'host:port' (process-wide: every worker and connection of the
   * process reports there). Default: DNSTATS_SDK_METRICS_ADDRESS; unset: no endpoint.
   */
  prometheusBindAddress?: string;
}

function sdkLevel(logLevel: string): LogLevel {
  const level = (logLevel.toUpperCase() === 'WARNING' ? 'WARN' : logLevel.toUpperCase()) as LogLevel;
  return ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level) ? level : 'INFO';
}

/** Installs the SDK runtime once per process (it must precede every connection and worker). */
export function installRuntime(logLevel: string = process.env.DNSTATS_LOG_LEVEL ?? 'info', options: RuntimeOptions = {}): void {
  if (installed) return;
  installed = true;
  const level = sdkLevel(logLevel);
  const bindAddress = options.prometheusBindAddress ?? (process.env.DNSTATS_SDK_METRICS_ADDRESS || undefined);
  Runtime.install({
    logger: options.logger ?? new DefaultLogger(level),
    telemetryOptions: {
      // Core's own (Rust) log lines are forwarded into the same logger rather than printed.
      ...(options.logger ? { logging: { filter: { core: level, other: 'WARN' }, forward: {} } } : {}),
      ...(bindAddress ? { metrics: { prometheus: { bindAddress } } } : {}),
    },
    shutdownSignals: [],
  });
}
