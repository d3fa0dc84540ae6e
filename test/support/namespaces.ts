/** One namespace per Jest worker, so test files running in parallel never share a task queue. */
export const TEST_NAMESPACES = ['test-1', 'test-2', 'test-3', 'test-4', 'test-5', 'test-6', 'test-7', 'test-8'];

export function namespaceForThisWorker(): string {
  const id = Number(process.env.JEST_WORKER_ID ?? '1');
  return TEST_NAMESPACES[(id - 1) % TEST_NAMESPACES.length];
}
