import { defineQuery } from '@temporalio/workflow';
import type { Progress } from '../shared/types';

/** Sites scanned / processed / graded and batches done; on scanRun and on scanBatch. */
export const progressQuery = defineQuery<Progress>('progress');
