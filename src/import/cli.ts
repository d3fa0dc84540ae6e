// `dnstats import SOURCE`: an ad-hoc import, through Temporal like the scheduled one.
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { InvalidArgumentError, type Command } from 'commander';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../shared/names';
import { formatRejectedRow, type ImportSitesInput, type ImportSitesResult } from './types';

export interface RunImportOptions {
  client: Client;
  /** A URL, or a path on the worker's host (made absolute here). */
  source: string;
  /** Wait for the result and print it (default true). */
  wait?: boolean;
  rejectThreshold?: number;
  workflowId?: string;
  log?: (line: string) => void;
}

/** A URL stays as it is; a path becomes absolute, since the worker's working directory is not ours. */
export function absoluteSource(source: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : path.resolve(source);
}

export function formatImportResult(result: ImportSitesResult): string {
  const lines = [
    `import ${result.workflowId} (${result.source}) completed in ${result.seconds} s`,
    `  rows read ${result.rowsRead}, valid ${result.rowsValid}, rejected ${result.rowsRejected}`,
    `  new sites ${result.newSites}, re-ranked ${result.rerankedSites}, unranked ${result.unrankedSites}`,
  ];
  if (result.rejectedSample.length) {
    lines.push(`  rejected rows${result.rowsRejected > result.rejectedSample.length ? ` (first ${result.rejectedSample.length})` : ''}:`);
    for (const row of result.rejectedSample) lines.push(`    ${formatRejectedRow(row)}`);
  }
  return lines.join('\n');
}

/**
 * Starts the importSites workflow with id `import-<ISO time>` and, unless `wait` is false,
 * waits for it and prints the counts. A failed import throws an Error whose message is the
 * workflow's (it names the source and the reason).
 */
export async function runImportCommand(options: RunImportOptions): Promise<{ workflowId: string; result?: ImportSitesResult }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const source = absoluteSource(options.source);
  if (!source.includes('://') && !fs.existsSync(source)) log(`note: ${source} is not on this machine; the worker must be able to read it`);
  const input: ImportSitesInput = { source, ...(options.rejectThreshold !== undefined ? { rejectThreshold: options.rejectThreshold } : {}) };
  const workflowId = options.workflowId ?? `import-${new Date().toISOString()}`;
  const handle = await options.client.workflow.start(WORKFLOW_TYPES.importSites, { taskQueue: TASK_QUEUES.process, workflowId, args: [input] });
  log(`started ${workflowId}: importing ${source}`);
  if (options.wait === false) return { workflowId };
  try {
    const result = (await handle.result()) as ImportSitesResult;
    log(formatImportResult(result));
    return { workflowId, result };
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new Error(`import ${workflowId} failed: ${err.cause?.message ?? err.message}`);
    throw err;
  }
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(value.trim() !== '' && n >= 0 && n <= 1)) throw new InvalidArgumentError(`${value} is not a fraction between 0 and 1`);
  return n;
}

/** Adds `import <source> [--no-wait] [--reject-threshold f]` to the program. */
export function registerImportCommand(program: Command, deps: { connectClient: () => Promise<Client> }): Command {
  return program
    .command('import <source>')
    .description('import a site list (Tranco-format rank,domain CSV, zipped or not) from a URL or a file, through Temporal')
    .option('--no-wait', 'start the import and return')
    .option('--reject-threshold <fraction>', 'refuse the list when more than this fraction of rows is bad (default 0.01)', fraction)
    .action(async (source: string, opts: { wait: boolean; rejectThreshold?: number }) => {
      const client = await deps.connectClient();
      try {
        await runImportCommand({ client, source, wait: opts.wait, rejectThreshold: opts.rejectThreshold });
      } finally {
        await client.connection.close();
      }
    });
}
