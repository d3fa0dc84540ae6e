// Starts, once per `jest` run, the real parts the integration tests share: a Temporal dev server
// (the `temporal` CLI, no download) and PostgreSQL (DATABASE_URL, else embedded), and bundles the
// workflows once. Test files reach them through the environment variables set here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { startEmbeddedPostgres, freePort, type EmbeddedPostgres } from '../../src/db/embedded';
import { TEST_NAMESPACES } from './namespaces';
import { buildWorkflowBundle } from '../../src/scripts/build-workflow-bundle';

declare global {
  // eslint-disable-next-line no-var
  var __dnstatsServers: { temporal: DevServer; postgres: EmbeddedPostgres | null; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-test-'));
  fs.chmodSync(dir, 0o755); // the embedded Postgres runs as the postgres user when we are root
  const cliPath = resolveTemporalCli({ log: (l) => console.log(l) });
  const [temporal, postgres, bundle] = await Promise.all([
    freePort().then((port) =>
      startDevServer({
        cliPath,
        port,
        headless: true,
        extraArgs: TEST_NAMESPACES.flatMap((ns) => ['--namespace', ns]),
        logFile: path.join(dir, 'temporal.log'),
      }),
    ),
    process.env.DATABASE_URL ? Promise.resolve(null) : startEmbeddedPostgres({ dataDir: path.join(dir, 'pg', 'data'), persistent: false }),
    buildWorkflowBundle(path.join(dir, 'workflow-bundle.js')),
  ]);
  const bundlePath = bundle.path;
  process.env.DNSTATS_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.DNSTATS_TEST_DATABASE_URL = process.env.DATABASE_URL ?? postgres!.url;
  process.env.DNSTATS_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.DNSTATS_TEST_DIR = dir;
  // Runs publish their statistics site by default: into the test run's folder, not ./.dnstats.
  process.env.DNSTATS_PUBLISH_DIR = path.join(dir, 'site');
  process.env.TEMPORAL_CLI_PATH = cliPath;
  globalThis.__dnstatsServers = { temporal, postgres, dir };
}
