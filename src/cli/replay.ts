// Replays recorded histories against the current workflow code: a change that breaks
// determinism for runs already in flight fails here instead of in production.
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowSource } from '../workers/workflow-source';

type History = temporal.api.history.v1.IHistory;

/** Reads a history as `temporal workflow show --output json` and the Web UI download write it. */
export function readHistoryFile(file: string): History {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not a readable history JSON file (${(err as Error).message})`);
  }
  const history = parsed as { events?: unknown[] };
  if (!history || !Array.isArray(history.events) || history.events.length === 0) {
    throw new Error(`${file}: no "events" array; expected the JSON of \`temporal workflow show --output json\``);
  }
  try {
    return historyFromJSON(history);
  } catch (err) {
    throw new Error(`${file}: not a Temporal history (${(err as Error).message})`);
  }
}

export async function replayHistory(history: History, workflowId: string): Promise<void> {
  await Worker.runReplayHistory(workflowSource(), history, workflowId);
}

export async function fetchHistory(client: Client, workflowId: string): Promise<History> {
  return client.workflow.getHandle(workflowId).fetchHistory();
}
