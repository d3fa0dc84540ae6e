// Sites and chunks per pipeline stage, counted from activity results as the activity
// interceptor (src/logging/activity-interceptor.ts) reports them.
import type { ActivityObserver } from '../logging/activity-interceptor';
import type { Exposition } from './exposition';

/** Activity type → the stage it is, and which result field counts its sites. */
const STAGE_OF_ACTIVITY: Record<string, { stage: string; sitesField: string }> = {
  scanChunk: { stage: 'scan', sitesField: 'scanned' },
  processChunk: { stage: 'process', sitesField: 'processed' },
  gradeChunk: { stage: 'grade', sitesField: 'graded' },
};

const DURATION_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

interface ActivityTypeCounts {
  completed: number;
  failed: number;
  bucketCounts: number[];
  count: number;
  sumSeconds: number;
}

export class StageMetrics implements ActivityObserver {
  private readonly sitesByStage = new Map<string, number>();
  private readonly byActivity = new Map<string, ActivityTypeCounts>();

  private countsFor(activityType: string): ActivityTypeCounts {
    let counts = this.byActivity.get(activityType);
    if (!counts) {
      counts = { completed: 0, failed: 0, bucketCounts: new Array<number>(DURATION_BUCKETS_SECONDS.length).fill(0), count: 0, sumSeconds: 0 };
      this.byActivity.set(activityType, counts);
    }
    return counts;
  }

  private observe(counts: ActivityTypeCounts, durationMs: number): void {
    const seconds = durationMs / 1000;
    counts.count++;
    counts.sumSeconds += seconds;
    DURATION_BUCKETS_SECONDS.forEach((bound, i) => {
      if (seconds <= bound) counts.bucketCounts[i]!++;
    });
  }

  completed(activityType: string, result: unknown, durationMs: number): void {
    const counts = this.countsFor(activityType);
    counts.completed++;
    this.observe(counts, durationMs);
    const stage = STAGE_OF_ACTIVITY[activityType];
    if (stage && result !== null && typeof result === 'object') {
      const sites = (result as Record<string, unknown>)[stage.sitesField];
      if (typeof sites === 'number') this.sitesByStage.set(stage.stage, (this.sitesByStage.get(stage.stage) ?? 0) + sites);
    }
  }

  failed(activityType: string, _error: unknown, durationMs: number): void {
    const counts = this.countsFor(activityType);
    counts.failed++;
    this.observe(counts, durationMs);
  }

  sites(stage: string): number {
    return this.sitesByStage.get(stage) ?? 0;
  }

  write(out: Exposition, stages: readonly string[]): Exposition {
    out.counter(
      'dnstats_stage_sites_total',
      'Sites this worker completed, by pipeline stage (from scanChunk, processChunk and gradeChunk results)',
      stages.map((stage) => ({ labels: { stage }, value: this.sites(stage) })),
    );
    const activityTypes = [...this.byActivity.keys()].sort();
    out.counter(
      'dnstats_activities_total',
      'Activity executions on this worker, by type and outcome',
      activityTypes.flatMap((type) => {
        const c = this.byActivity.get(type)!;
        return [
          { labels: { activity: type, outcome: 'completed' }, value: c.completed },
          { labels: { activity: type, outcome: 'failed' }, value: c.failed },
        ];
      }),
    );
    out.histogram(
      'dnstats_activity_duration_seconds',
      'Activity execution time on this worker, by type',
      activityTypes.map((type) => {
        const c = this.byActivity.get(type)!;
        return { labels: { activity: type }, upperBounds: DURATION_BUCKETS_SECONDS, cumulativeCounts: c.bucketCounts, count: c.count, sum: c.sumSeconds };
      }),
    );
    return out;
  }
}

export const STAGES_OF_QUEUE = { scan: ['scan'], process: ['process', 'grade'] } as const;
