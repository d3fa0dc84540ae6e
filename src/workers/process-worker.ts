// Entry point of a dnstats-process worker: `tsx src/workers/process-worker.ts` (or `dnstats worker process`).
import { main } from './run-worker-process';

main('process');
