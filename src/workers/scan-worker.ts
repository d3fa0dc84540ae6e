// Entry point of a dnstats-scan worker: `tsx src/workers/scan-worker.ts` (or `dnstats worker scan`).
import { main } from './run-worker-process';

main('scan');
