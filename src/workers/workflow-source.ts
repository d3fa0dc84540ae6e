import fs from 'node:fs';
import path from 'node:path';

/** Production workers load the prebuilt bundle; development bundles from source at start. */
export function workflowSource(bundlePath = process.env.DNSTATS_WORKFLOW_BUNDLE): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  if (bundlePath) {
    if (!fs.existsSync(bundlePath)) throw new Error(`DNSTATS_WORKFLOW_BUNDLE=${bundlePath} does not exist (run \`npm run build\`)`);
    return { workflowBundle: { codePath: path.resolve(bundlePath) } };
  }
  return { workflowsPath: require.resolve('../workflows') };
}
