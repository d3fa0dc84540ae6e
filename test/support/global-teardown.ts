import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__dnstatsServers;
  if (!servers) return;
  await Promise.allSettled([servers.temporal.stop(), servers.postgres?.stop()]);
  fs.rmSync(servers.dir, { recursive: true, force: true });
}
