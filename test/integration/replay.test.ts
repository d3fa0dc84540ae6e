// Recorded histories of a run and of a batch (test/fixtures/histories, recorded by
// test/support/record-histories.ts) replayed against the current workflow code: a change that
// would break runs already in flight fails here.
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { readHistoryFile } from '../../src/cli/replay';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'histories');

describe.each([
  ['scan-run.json', 'recorded-run'],
  ['scan-batch.json', 'recorded-run/batch-0'],
])('replay of %s', (file, workflowId) => {
  it('matches the current workflow code', async () => {
    const history = readHistoryFile(path.join(FIXTURES, file));
    expect(history.events!.length).toBeGreaterThan(10);
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: process.env.DNSTATS_TEST_WORKFLOW_BUNDLE! } }, history, workflowId),
    ).resolves.toBeUndefined();
  });
});

it('fails on a history the code cannot produce', async () => {
  const history = readHistoryFile(path.join(FIXTURES, 'scan-batch.json'));
  // Tamper: the batch's first activity becomes another type, as if the code had changed.
  const scheduled = history.events!.find((e) => e.activityTaskScheduledEventAttributes)!;
  scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'somethingElse' };
  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: process.env.DNSTATS_TEST_WORKFLOW_BUNDLE! } }, history, 'recorded-run/batch-0'),
  ).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation|activity type/);
});
