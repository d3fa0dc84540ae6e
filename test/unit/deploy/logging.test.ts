import { Writable } from 'node:stream';
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { chunkLogFields, createActivityObservabilityInterceptor, createLogger, parseLogLevel, temporalLoggerFromPino } from '../../../src/logging';
import { StageMetrics } from '../../../src/metrics';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('pino logger', () => {
  it('writes one JSON object a line with level, time, service and base fields', () => {
    const out = capture();
    createLogger({ level: 'info', base: { worker: 'scan' }, destination: out.stream }).info({ runId: 3 }, 'hello');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', service: 'dnstats', worker: 'scan', runId: 3, msg: 'hello' });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('never writes secrets', () => {
    const out = capture();
    createLogger({ destination: out.stream }).info({ apiKey: 're_secret', nested: { password: 'hunter2' }, authorization: 'Bearer x' }, 'connecting');
    const text = JSON.stringify(out.lines());
    expect(text).not.toMatch(/re_secret|hunter2|Bearer x/);
    expect(text).toContain('[redacted]');
  });

  it('filters by level and rejects an unknown one, naming the variable', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', destination: out.stream });
    logger.info('dropped');
    logger.warn('kept');
    expect(out.lines().map((l) => l.msg)).toEqual(['kept']);
    expect(parseLogLevel('WARNING')).toBe('warn');
    expect(() => parseLogLevel('loud')).toThrow(/DNSTATS_LOG_LEVEL=loud/);
  });
});

describe("the SDK's logger over pino", () => {
  it('maps levels and metadata, puts errors under err and drops task tokens', () => {
    const out = capture();
    const sdk = temporalLoggerFromPino(createLogger({ level: 'debug', destination: out.stream }));
    sdk.log('WARN', 'slow poll', { taskQueue: 'dnstats-scan' });
    sdk.debug('detail');
    sdk.error('activity failed', { error: new Error('boom'), taskToken: 'AAAA', task: '{...}', activityType: 'scanChunk' });
    const [warn, debug, error] = out.lines();
    expect(warn).toMatchObject({ level: 'warn', msg: 'slow poll', taskQueue: 'dnstats-scan' });
    expect(debug).toMatchObject({ level: 'debug', msg: 'detail' });
    expect(error).toMatchObject({ level: 'error', activityType: 'scanChunk', err: { message: 'boom', type: 'Error' } });
    expect(error).not.toHaveProperty('taskToken');
    expect(error).not.toHaveProperty('task');
  });
});

describe('activity log fields', () => {
  it('names the run, batch and chunk from the batch workflow id and the chunk reference', () => {
    const fields = chunkLogFields(
      { workflowExecution: { workflowId: 'dnstats-daily-run-2026-12-03/batch-7', runId: 'r' }, activityType: 'scanChunk', attempt: 1 },
      { runId: 42, firstOrdinal: 70_000, endOrdinal: 70_250 },
    );
    expect(fields).toEqual({
      runWorkflowId: 'dnstats-daily-run-2026-12-03',
      batchIndex: 7,
      batchWorkflowId: 'dnstats-daily-run-2026-12-03/batch-7',
      runId: 42,
      chunk: '70000-70249',
      firstOrdinal: 70_000,
      endOrdinal: 70_250,
    });
  });

  it('names only the run for an activity of the run workflow itself', () => {
    expect(chunkLogFields({ workflowExecution: { workflowId: 'adhoc-1', runId: 'r' }, activityType: 'createRun', attempt: 1 }, { scope: {} })).toEqual({
      runWorkflowId: 'adhoc-1',
    });
  });
});

describe('the activity interceptor', () => {
  const info = { activityType: 'scanChunk', workflowExecution: { workflowId: 'run-9/batch-2', runId: 'x' } };

  it("adds the ids to the activity's own log lines, logs a summary and counts the stage's sites", async () => {
    const entries: Array<{ level: string; message: string; meta?: Record<string, unknown> }> = [];
    const logger = {
      log: (level: string, message: string, meta?: Record<string, unknown>) => entries.push({ level, message, meta }),
      trace: (m: string, meta?: Record<string, unknown>) => entries.push({ level: 'TRACE', message: m, meta }),
      debug: (m: string, meta?: Record<string, unknown>) => entries.push({ level: 'DEBUG', message: m, meta }),
      info: (m: string, meta?: Record<string, unknown>) => entries.push({ level: 'INFO', message: m, meta }),
      warn: (m: string, meta?: Record<string, unknown>) => entries.push({ level: 'WARN', message: m, meta }),
      error: (m: string, meta?: Record<string, unknown>) => entries.push({ level: 'ERROR', message: m, meta }),
    };
    const stages = new StageMetrics();
    const env = new MockActivityEnvironment(info, { logger, interceptors: [createActivityObservabilityInterceptor(stages)] });
    const result = await env.run(async (ref: { runId: number; firstOrdinal: number; endOrdinal: number }) => {
      Context.current().log.info('halfway', { written: 125 });
      return { sites: ref.endOrdinal - ref.firstOrdinal, scanned: 250, queries: 5000, lookupFailures: { TIMEOUT: 3 } };
    }, { runId: 9, firstOrdinal: 500, endOrdinal: 750 });
    expect((result as { scanned: number }).scanned).toBe(250);
    const own = entries.find((e) => e.message === 'halfway')!;
    expect(own.meta).toMatchObject({ runId: 9, batchIndex: 2, runWorkflowId: 'run-9', chunk: '500-749', written: 125, activityType: 'scanChunk' });
    const summary = entries.find((e) => e.message === 'activity completed')!;
    expect(summary.meta).toMatchObject({ runId: 9, chunk: '500-749', scanned: 250, queries: 5000, sites: 250 });
    expect(summary.meta).not.toHaveProperty('lookupFailures');
    expect(stages.sites('scan')).toBe(250);
  });

  it('reports a failure and rethrows it unchanged', async () => {
    const stages = new StageMetrics();
    const failures: string[] = [];
    const observer = { completed: () => undefined, failed: (type: string) => failures.push(type) };
    const silent = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const env = new MockActivityEnvironment(info, { logger: silent, interceptors: [createActivityObservabilityInterceptor(observer)] });
    await expect(env.run(async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(failures).toEqual(['scanChunk']);
    expect(stages.sites('scan')).toBe(0);
  });
});
