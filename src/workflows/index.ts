// The workflow bundle's entry point: every workflow type the workers run.
export { scanRun } from './scan-run';
export { scanBatch } from './scan-batch';
export { publishRun } from './publish-run';
export { progressQuery } from './queries';
export { importSites } from './import-sites';
