import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/** Installs the SDK runtime once per process (it must precede every connection and worker). */
export function installRuntime(logLevel: string = process.env.DNSTATS_LOG_LEVEL ?? 'info'): void {
  if (installed) return;
  installed = true;
  const level = (logLevel.toUpperCase() === 'WARNING' ? 'WARN' : logLevel.toUpperCase()) as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level) ? level : 'INFO'),
    shutdownSignals: [],
  });
}
