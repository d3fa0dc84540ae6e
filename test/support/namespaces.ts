import fs from 'node:fs';
import path from 'node:path';

/**
 * Namespaces the dev server creates at start. Each test file claims one of its own, so no test
 * file's workers (or a previous file's worker processes still shutting down) ever poll another
 * file's task queues, and search attributes such as the run id never collide across files.
 */
export const TEST_NAMESPACES = Array.from({ length: 40 }, (_, i) => `test-${i + 1}`);

let claimed: string | undefined;

/** This test file's namespace (Jest loads this module once per test file). */
export function namespaceForThisFile(): string {
  if (claimed) return claimed;
  const dir = process.env.DNSTATS_TEST_DIR;
  if (!dir) throw new Error('DNSTATS_TEST_DIR is not set: run integration tests through jest (test/support/global-setup.ts)');
  for (const namespace of TEST_NAMESPACES) {
    try {
      // Exclusive creation: the first file to create the marker owns the namespace.
      fs.closeSync(fs.openSync(path.join(dir, `namespace-${namespace}`), 'wx'));
      claimed = namespace;
      return namespace;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`all ${TEST_NAMESPACES.length} test namespaces are taken: add more in test/support/namespaces.ts`);
}
