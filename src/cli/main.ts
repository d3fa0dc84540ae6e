#!/usr/bin/env node
// The dnstats command line: `npm run dnstats -- <command>` or `bin/dnstats <command>`.
import { Command, InvalidArgumentError } from 'commander';
import { databaseUrlOf, loadConfig } from '../config';
import { connectDatabase, prepareDatabase, redactUrl } from '../db';
import { connectClient } from '../temporal/connection';
import { applySchedules } from '../temporal/schedules';
import type { RunScope } from '../shared/types';
import { registerLabCommands } from '../lab/cli';
import { registerImportCommand } from '../import/cli';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${value} is not a positive integer`);
  return n;
}

function openDatabase() {
  const config = loadConfig();
  return connectDatabase({ url: databaseUrlOf(config), poolSize: 2, applicationName: 'dnstats-cli' });
}

export function buildProgram(): Command {
  const program = new Command('dnstats').description('Daily DNS and email-security statistics of the top sites, on Temporal').showHelpAfterError();

  program
    .command('start')
    .description('bring up everything on embedded defaults, import a list if none, run the development scope, keep serving the schedules')
    .option('--lab', 'scan the offline lab world instead of the Internet')
    .option('--lab-sites <n>', 'sites in the lab world', positiveInt, 1000)
    .option('--top <n>', 'scan the top N sites instead of the development scope (top 50)', positiveInt)
    .option('--no-run', 'do not start a run at once')
    .option('--exit-after-run', 'stop everything once the run has finished')
    .action(async (opts: { lab?: boolean; labSites: number; top?: number; run: boolean; exitAfterRun?: boolean }) => {
      const { startCommand } = await import('./start');
      await startCommand({ lab: opts.lab, labSites: opts.labSites, top: opts.top, run: opts.run, exitAfterRun: opts.exitAfterRun });
    });

  program
    .command('migrate')
    .description('bring the database schema and seed data up to date')
    .action(async () => {
      const db = openDatabase();
      try {
        await prepareDatabase(db);
        console.log(`migrated and seeded ${redactUrl(databaseUrlOf(loadConfig()))}`);
      } finally {
        await db.destroy();
      }
    });

  program
    .command('schedules')
    .description('manage the Temporal schedules')
    .command('apply')
    .description('create or update dnstats-daily-run (08:00 UTC) and dnstats-daily-import (01:01 UTC)')
    .action(async () => {
      const config = loadConfig();
      const client = await connectClient(config);
      const runScope: RunScope = config.environment === 'production' ? { kind: 'full' } : { kind: 'development' };
      for (const a of await applySchedules(client, { runScope, importSource: config.tranco.url, catchupWindow: config.schedules.catchupWindow })) {
        console.log(`${a.scheduleId}: ${a.action}`);
      }
      await client.connection.close();
    });

  program
    .command('run')
    .description('start an ad-hoc run')
    .option('--top <n>', 'the top N sites')
    .option('--ranks <a-b>', 'a rank range, e.g. 1-1000')
    .option('--domains <file>', 'a file of domains, one a line (or rank,domain lines)')
    .option('--development', 'the development scope (top 50)')
    .option('--full', 'the whole list (1..1,000,000)')
    .option('--id <workflowId>', 'workflow id (default dnstats-run-<scope>-<time>)')
    .option('--wait', 'show progress and the summary')
    .action(async (opts: { top?: string; ranks?: string; domains?: string; development?: boolean; full?: boolean; id?: string; wait?: boolean }) => {
      const { parseScope, startRun, watchRun, formatRunResult, workflowUiUrl } = await import('./runs');
      const config = loadConfig();
      const scope = parseScope(opts);
      const client = await connectClient(config);
      const handle = await startRun(client, { scope }, opts.id);
      console.log(`started ${handle.workflowId}`);
      const link = workflowUiUrl(config.temporal.uiUrl ?? `http://127.0.0.1:${config.temporal.uiPort}`, config.temporal.namespace, handle.workflowId);
      if (link) console.log(link);
      if (opts.wait) console.log(formatRunResult(await watchRun(client, handle)));
      await client.connection.close();
    });

  program
    .command('status [run]')
    .description("a run's progress and outcome (run id or workflow id; default: the latest)")
    .action(async (runRef: string | undefined) => {
      const { describeRun } = await import('./runs');
      const db = openDatabase();
      const client = await connectClient(loadConfig(), 3000).catch(() => null);
      try {
        console.log(await describeRun(db, client, runRef));
      } finally {
        await db.destroy();
        await client?.connection.close();
      }
    });

  program
    .command('replay [workflowId]')
    .description('replay a workflow history against the current workflow code')
    .option('--file <history.json>', 'a history from `temporal workflow show --output json` or the Web UI')
    .action(async (workflowId: string | undefined, opts: { file?: string }) => {
      const { readHistoryFile, replayHistory, fetchHistory } = await import('./replay');
      if (!workflowId && !opts.file) throw new InvalidArgumentError('give a workflow id or --file');
      if (opts.file) {
        await replayHistory(readHistoryFile(opts.file), workflowId ?? opts.file);
      } else {
        const client = await connectClient(loadConfig());
        await replayHistory(await fetchHistory(client, workflowId!), workflowId!);
        await client.connection.close();
      }
      console.log(`replay of ${opts.file ?? workflowId} passed: the current code is deterministic for it`);
    });

  program
    .command('inspect <domain>')
    .description('scan, process and grade one domain and print everything')
    .option('--resolver <host:port>', 'recursive resolver to use (default: DNSTATS_RESOLVERS or the system)')
    .option('--json', 'print JSON')
    .action(async (domain: string, opts: { resolver?: string; json?: boolean }) => {
      const { inspectDomain, formatInspection } = await import('./inspect');
      const result = await inspectDomain(domain, opts.resolver);
      console.log(opts.json ? JSON.stringify(result, null, 2) : formatInspection(result));
    });

  program
    .command('worker <queue>')
    .description('run a standalone worker: scan (dnstats-scan) or process (dnstats-process)')
    .action(async (queue: string) => {
      if (queue !== 'scan' && queue !== 'process') throw new InvalidArgumentError(`unknown queue ${queue}: scan or process`);
      const { runWorkerProcess } = await import('../workers/run-worker-process');
      await runWorkerProcess(queue);
    });

  program
    .command('publish [run]')
    .description('coverage guard, reports and the statistics site of a finished run (id or workflow id; default: the latest)')
    .option('--force', 'publish even when fewer sites than the coverage threshold were graded')
    .action(async (runRef: string | undefined, opts: { force?: boolean }) => {
      const { publishCommand, formatPublishResult } = await import('../publish/cli');
      console.log(formatPublishResult(await publishCommand(runRef, { force: opts.force })));
    });

  program
    .command('serve')
    .description('serve the published statistics site over HTTP')
    .option('--port <n>', 'port (default DNSTATS_SERVE_PORT or 8080)', positiveInt)
    .option('--host <host>', 'address (default DNSTATS_SERVE_HOST or 127.0.0.1)')
    .option('--dir <folder>', 'site folder (default DNSTATS_PUBLISH_DIR)')
    .action(async (opts: { port?: number; host?: string; dir?: string }) => {
      const { serveCommand } = await import('../publish/cli');
      await serveCommand(opts);
    });

  registerImportCommand(program, { connectClient: () => connectClient(loadConfig()) });
  registerLabCommands(program);

  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`dnstats: ${err instanceof Error ? err.message : String(err)}`);
        if (process.env.DNSTATS_DEBUG && err instanceof Error) console.error(err.stack);
        process.exit(1);
      },
    );
}
