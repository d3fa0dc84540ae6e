// `npm run build` step: bundles the workflows ahead of time (bundleWorkflowCode), so production
// workers start from a file (DNSTATS_WORKFLOW_BUNDLE, loaded with workflowBundle) instead of
// running webpack at every start. Usage: tsx src/scripts/build-workflow-bundle.ts [OUT_FILE]
// (default dist/workflow-bundle.js).
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const DEFAULT_BUNDLE_PATH = path.resolve(__dirname, '..', '..', 'dist', 'workflow-bundle.js');

/** The SDK version that built a bundle; a bundle must run on the very same @temporalio/worker. */
export function workerSdkVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }).version;
}

export async function buildWorkflowBundle(outFile: string = DEFAULT_BUNDLE_PATH): Promise<{ path: string; bytes: number; sdkVersion: string }> {
  const sdkVersion = workerSdkVersion();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => console.warn(message),
      error: (message: string) => console.error(message),
    },
  });
  const target = path.resolve(outFile);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const text = `// dnstats workflow bundle, built by @temporalio/worker ${sdkVersion}; run it on that version only.\n${code}`;
  // Written beside, then renamed: a worker starting mid-build never reads half a bundle.
  fs.writeFileSync(`${target}.tmp`, text);
  fs.renameSync(`${target}.tmp`, target);
  return { path: target, bytes: Buffer.byteLength(text), sdkVersion };
}

if (require.main === module) {
  buildWorkflowBundle(process.argv[2]).then(
    ({ path: file, bytes, sdkVersion }) => console.log(`workflow bundle: ${file} (${(bytes / 1024).toFixed(0)} KiB, @temporalio/worker ${sdkVersion})`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack ?? err.message : err);
      process.exit(1);
    },
  );
}
