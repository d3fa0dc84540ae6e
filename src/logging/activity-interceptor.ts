// An activity interceptor that gives every log line of an activity its run, batch and chunk ids
// (through the SDK's getLogAttributes, so `log` from @temporalio/activity carries them too),
// logs one summary line per activity, and reports outcomes to an observer (the stage metrics).
import type { Info } from '@temporalio/activity';
import type { ActivityInterceptorsFactory, NativeConnectionPlugin, WorkerOptions, WorkerPlugin } from '@temporalio/worker';

export interface ActivityObserver {
  completed(activityType: string, result: unknown, durationMs: number): void;
  failed(activityType: string, error: unknown, durationMs: number): void;
}

const BATCH_WORKFLOW_ID = /^(.*)\/batch-(\d+)$/;

/**
 * Log fields naming the unit of work: the run (database id and run workflow id), the batch (its
 * index and workflow id, `<run workflow id>/batch-<n>`) and the chunk (`first-last` ordinals).
 */
export function chunkLogFields(info: Pick<Info, 'workflowExecution' | 'activityType' | 'attempt'>, firstArg: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const workflowId = info.workflowExecution?.workflowId;
  const batch = workflowId ? BATCH_WORKFLOW_ID.exec(workflowId) : null;
  if (batch) {
    fields.runWorkflowId = batch[1];
    fields.batchIndex = Number(batch[2]);
    fields.batchWorkflowId = workflowId;
  } else if (workflowId) {
    fields.runWorkflowId = workflowId;
  }
  if (firstArg !== null && typeof firstArg === 'object') {
    const ref = firstArg as Record<string, unknown>;
    if (typeof ref.runId === 'number') fields.runId = ref.runId;
    if (typeof ref.firstOrdinal === 'number' && typeof ref.endOrdinal === 'number') {
      fields.chunk = `${ref.firstOrdinal}-${ref.endOrdinal - 1}`;
      fields.firstOrdinal = ref.firstOrdinal;
      fields.endOrdinal = ref.endOrdinal;
    }
  }
  return fields;
}

/** The numeric top-level fields of an activity result (counts), for the summary line. */
function countsOf(result: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  if (result !== null && typeof result === 'object') {
    for (const [key, value] of Object.entries(result)) if (typeof value === 'number') counts[key] = value;
  }
  return counts;
}

export function createActivityObservabilityInterceptor(observer?: ActivityObserver): ActivityInterceptorsFactory {
  return (ctx) => {
    let fields: Record<string, unknown> = {};
    return {
      inbound: {
        async execute(input, next) {
          fields = chunkLogFields(ctx.info, input.args[0]);
          const started = performance.now();
          try {
            const result = await next(input);
            const durationMs = Math.round(performance.now() - started);
            ctx.log.info('activity completed', { ...countsOf(result), durationMs });
            observer?.completed(ctx.info.activityType, result, durationMs);
            return result;
          } catch (error) {
            const durationMs = Math.round(performance.now() - started);
            ctx.log.warn('activity failed', { error: error instanceof Error ? error.message : String(error), durationMs });
            observer?.failed(ctx.info.activityType, error, durationMs);
            throw error;
          }
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          return next({ ...input, ...fields });
        },
      },
    };
  };
}

/**
 * The interceptor as a plugin of the worker's NativeConnection: the SDK hands a connection's
 * plugins to every Worker.create on it (configureWorker), so a standalone worker gets run/batch/
 * chunk log fields and stage metrics without changing how the workers are built.
 */
export function observabilityPlugin(observer?: ActivityObserver): NativeConnectionPlugin & WorkerPlugin {
  const factory = createActivityObservabilityInterceptor(observer);
  return {
    name: 'dnstats-observability',
    configureWorker(options: WorkerOptions): WorkerOptions {
      const interceptors = options.interceptors ?? {};
      return { ...options, interceptors: { ...interceptors, activity: [...(interceptors.activity ?? []), factory] } };
    },
  };
}
