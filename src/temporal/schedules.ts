import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { SCHEDULE_IDS, TASK_QUEUES, WORKFLOW_TYPES } from '../shared/names';
import type { RunScope, ScanRunInput } from '../shared/types';

export interface ScheduleSettings {
  /** What the daily run covers: the whole list in production, the top 50 in development. */
  runScope: RunScope;
  /** Where the daily import reads the list. */
  importSource: string;
  /** How late a missed action may still start after an outage (not a year of backlog). */
  catchupWindow: Duration;
}

export function scheduleDefinitions(settings: ScheduleSettings): ScheduleOptions[] {
  const runInput: ScanRunInput = { scope: settings.runScope };
  return [
    {
      scheduleId: SCHEDULE_IDS.dailyRun,
      spec: { calendars: [{ hour: 8, minute: 0, comment: '08:00 UTC, early morning US Central (spec §2)' }] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.scanRun,
        taskQueue: TASK_QUEUES.process,
        // The server appends the nominal time: dnstats-daily-run-2026-12-03T08:00:00Z.
        workflowId: SCHEDULE_IDS.dailyRun,
        args: [runInput],
        memo: { scope: settings.runScope },
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: settings.catchupWindow, pauseOnFailure: false },
      memo: { description: 'Daily DNS scan, processing and grading of the site list' },
    },
    {
      scheduleId: SCHEDULE_IDS.dailyImport,
      spec: { calendars: [{ hour: 1, minute: 1, comment: '01:01 UTC, before the run (spec §2)' }] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.importSites,
        taskQueue: TASK_QUEUES.process,
        workflowId: SCHEDULE_IDS.dailyImport,
        args: [{ source: settings.importSource }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: settings.catchupWindow, pauseOnFailure: false },
      memo: { description: 'Daily Tranco list import' },
    },
  ];
}

/** Creates the schedules, or brings existing ones up to date: safe to run at every start. */
export async function applySchedules(client: Client, settings: ScheduleSettings): Promise<Array<{ scheduleId: string; action: 'created' | 'updated' }>> {
  const applied: Array<{ scheduleId: string; action: 'created' | 'updated' }> = [];
  for (const definition of scheduleDefinitions(settings)) {
    try {
      await client.schedule.create(definition);
      applied.push({ scheduleId: definition.scheduleId, action: 'created' });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(definition.scheduleId).update((previous) => ({
        ...previous,
        spec: definition.spec,
        action: definition.action,
        policies: { ...previous.policies, ...definition.policies },
      }));
      applied.push({ scheduleId: definition.scheduleId, action: 'updated' });
    }
  }
  return applied;
}
