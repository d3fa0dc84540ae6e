// Finds (or builds) the `temporal` CLI and runs its dev server: the real Temporal server, with
// SQLite persistence, that a developer machine, `npm start` and the tests use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { SEARCH_ATTRIBUTE_FLAGS } from '../shared/names';

/** The newest CLI release whose go.mod allows `go install` (DESIGN.md "Real parts"). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export interface ResolveCliOptions {
  env?: NodeJS.ProcessEnv;
  /** Build with `go install` when no binary is found (default true). */
  allowBuild?: boolean;
  log?: (line: string) => void;
}

/**
 * Binary resolution, in order: TEMPORAL_CLI_PATH, `temporal` on PATH, a previous `go install`
 * (GOBIN, GOPATH/bin, ~/go/bin), then `go install` where Go is installed.
 */
export function resolveTemporalCli({ env = process.env, allowBuild = true, log = () => undefined }: ResolveCliOptions = {}): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const onPath = (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'temporal'));
  const goBins = goBinDirs(env).map((dir) => path.join(dir, 'temporal'));
  const found = [...onPath, ...goBins].find(isExecutable);
  if (found) return found;
  const go = (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'go')).concat('/usr/local/go/bin/go').find(isExecutable);
  if (!allowBuild || !go) {
    throw new Error(
      `the Temporal CLI was not found: set TEMPORAL_CLI_PATH, put \`temporal\` on PATH, or install Go and run \`go install ${TEMPORAL_CLI_MODULE}\``,
    );
  }
  log(`building the Temporal CLI: go install ${TEMPORAL_CLI_MODULE} (several minutes, once)`);
  const result = spawnSync(go, ['install', TEMPORAL_CLI_MODULE], { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (result.status !== 0) throw new Error(`go install ${TEMPORAL_CLI_MODULE} failed (exit ${result.status})`);
  const built = goBinDirs(env).map((dir) => path.join(dir, 'temporal')).find(isExecutable);
  if (!built) throw new Error(`go install ${TEMPORAL_CLI_MODULE} succeeded but no temporal binary was found in ${goBinDirs(env).join(', ')}`);
  return built;
}

function goBinDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.GOBIN) dirs.push(env.GOBIN);
  for (const gopath of (env.GOPATH ?? '').split(path.delimiter).filter(Boolean)) dirs.push(path.join(gopath, 'bin'));
  dirs.push(path.join(env.HOME ?? os.homedir(), 'go', 'bin'));
  return dirs;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface DevServerOptions {
  cliPath: string;
  ip?: string;
  port?: number;
  /** Web UI port (default port + 1000); `headless` turns the UI off. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for persistence; in memory when absent. */
  dbFilename?: string;
  namespace?: string;
  extraArgs?: string[];
  logFile?: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? port + 1000;
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    // SDK 1.24 sends worker heartbeats that server 1.29.1 only accepts when enabled; this also
    // fills the Web UI's Workers view.
    '--dynamic-config-value',
    'frontend.WorkerHeartbeatsEnabled=true',
    '--dynamic-config-value',
    'frontend.ListWorkersEnabled=true',
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename, '--sqlite-pragma', 'journal_mode=WAL'] : []),
    ...(options.headless ? ['--headless'] : ['--ui-port', String(uiPort)]),
    ...(options.extraArgs ?? []),
  ];
  if (options.dbFilename) fs.mkdirSync(path.dirname(options.dbFilename), { recursive: true });
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.cliPath, args, { stdio: ['ignore', out, out], detached: false });
  let exited: string | null = null;
  child.on('exit', (code, signal) => {
    exited = `exit ${code ?? signal}`;
  });
  const address = `${ip}:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(ip, port))) {
    if (exited) throw new Error(`temporal server start-dev (${options.cliPath}) stopped at start: ${exited}${options.logFile ? `; see ${options.logFile}` : ''}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal server start-dev did not listen on ${address} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    uiUrl: options.headless ? null : `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${uiPort}`,
    process: child,
    stop: () => stopChild(child),
  };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
