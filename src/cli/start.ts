// `npm start` / `dnstats start`: everything on embedded defaults, then a development-scope run.
import { loadConfig } from '../config';
import { scannerOptionsFromEnv } from '../dns/scanner';
import { startLocalStack } from './stack';
import { labScannerEnv } from './lab-env';
import { formatImportResult } from '../import/cli';
import { startSiteServer } from '../publish/serve';
import { formatRunResult, startRun, watchRun, workflowUiUrl } from './runs';
import { WORKFLOW_TYPES, TASK_QUEUES } from '../shared/names';
import type { RunScope } from '../shared/types';

export interface StartOptions {
  lab?: boolean;
  labSites?: number;
  top?: number;
  exitAfterRun?: boolean;
  run?: boolean;
}

export async function startCommand(options: StartOptions): Promise<void> {
  const log = (line: string) => console.log(`[dnstats] ${line}`);
  const config = loadConfig();
  const stops: Array<() => Promise<unknown>> = [];
  let scannerOptions = scannerOptionsFromEnv();
  let importSource = config.tranco.url;

  if (options.lab) {
    // The offline lab world: an authoritative server on loopback and its Tranco-format list.
    const { startLabServer } = await import('../lab/server');
    const { startListServer } = await import('../lab/http');
    const sites = options.labSites ?? 1000;
    const lab = await startLabServer({ sites });
    stops.push(() => lab.stop());
    const list = await startListServer(lab.world);
    stops.push(() => list.stop());
    scannerOptions = scannerOptionsFromEnv({ ...process.env, ...labScannerEnv(lab) });
    importSource = list.zipUrl;
    log(`lab world of ${sites} sites: resolver ${lab.resolver}, name servers on port ${lab.nameServerPort}, list ${list.zipUrl}`);
  }

  const stack = await startLocalStack({ config, scannerOptions, importSource, log });
  stops.unshift(() => stack.stop());
  const shutdown = async () => {
    for (const stop of stops) await stop().catch(() => undefined);
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    log('stopping (Ctrl-C again to force)');
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  if (stack.uiUrl) log(`Temporal Web UI: ${stack.uiUrl}`);

  const ranked = await stack.db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).where('current_rank', '>', 0).executeTakeFirstOrThrow();
  if (Number(ranked.n) === 0) {
    log(`no site list yet: importing ${importSource}`);
    const handle = await stack.client.workflow.start(WORKFLOW_TYPES.importSites, {
      taskQueue: TASK_QUEUES.process,
      workflowId: `dnstats-import-initial-${new Date().toISOString().replace(/[:.]/g, '-')}`,
      args: [{ source: importSource }],
    });
    log(formatImportResult(await handle.result()));
  }

  if (options.run !== false) {
    const scope: RunScope = options.top ? { kind: 'top', count: options.top } : { kind: 'development' };
    const handle = await startRun(stack.client, { scope });
    log(`run started: ${handle.workflowId}`);
    const link = workflowUiUrl(stack.uiUrl, config.temporal.namespace, handle.workflowId);
    if (link) log(`follow it in the Web UI: ${link}`);
    const result = await watchRun(stack.client, handle);
    console.log(formatRunResult(result));
    if (link) log(`history: ${link}`);
    if (result.published) {
      if (!options.exitAfterRun) {
        // The statistics site, served while the stack runs (as `dnstats serve` would).
        const site = await startSiteServer({ dir: config.publish.dir, host: config.publish.serveHost, port: config.publish.servePort }).catch((err: Error) => {
          log(`not serving the site on port ${config.publish.servePort}: ${err.message}`);
          return null;
        });
        if (site) {
          stops.push(() => site.close());
          log(`statistics site: ${site.url}/`);
        }
      } else {
        log(`statistics published in ${config.publish.dir} (browse with \`npm run dnstats -- serve\`)`);
      }
    } else if (result.publishError) {
      log(`not published: ${result.publishError}`);
    }
  }

  if (options.exitAfterRun) {
    await shutdown();
    process.exit(0);
  }
  log('serving the schedules (dnstats-daily-import 01:01 UTC, dnstats-daily-run 08:00 UTC); Ctrl-C to stop');
  await new Promise(() => undefined);
}
