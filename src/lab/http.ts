// Serves the lab's Tranco-format lists over local HTTP (node:http), for the site-list import.
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ListVariant, trancoCsv, trancoZip } from './tranco';
import type { LabWorld } from './world';

export interface ListServer {
  /** top-1m.csv */
  url: string;
  /** top-1m.csv.zip (a zip holding top-1m.csv, as tranco-list.eu serves it) */
  zipUrl: string;
  changedUrl: string;
  changedZipUrl: string;
  /** Number of requests served, by path. */
  requests(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startListServer(world: LabWorld, options: { host?: string; port?: number } = {}): Promise<ListServer> {
  const host = options.host ?? '127.0.0.1';
  const bodies = new Map<string, { type: string; body: Buffer }>();
  const counts: Record<string, number> = {};
  const routes: Record<string, (() => { type: string; body: Buffer }) | undefined> = {
    '/top-1m.csv': () => ({ type: 'text/csv; charset=utf-8', body: Buffer.from(trancoCsv(world)) }),
    '/top-1m.csv.zip': () => ({ type: 'application/zip', body: trancoZip(world) }),
    '/changed/top-1m.csv': () => ({ type: 'text/csv; charset=utf-8', body: Buffer.from(trancoCsv(world, 'changed' as ListVariant)) }),
    '/changed/top-1m.csv.zip': () => ({ type: 'application/zip', body: trancoZip(world, 'changed') }),
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes[path];
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(route ? 405 : 404, { 'content-type': 'text/plain' });
      res.end(route ? 'method not allowed\n' : 'not found\n');
      return;
    }
    counts[path] = (counts[path] ?? 0) + 1;
    let entry = bodies.get(path);
    if (!entry) bodies.set(path, (entry = route()));
    res.writeHead(200, { 'content-type': entry.type, 'content-length': entry.body.length });
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${base}/top-1m.csv`,
    zipUrl: `${base}/top-1m.csv.zip`,
    changedUrl: `${base}/changed/top-1m.csv`,
    changedZipUrl: `${base}/changed/top-1m.csv.zip`,
    requests: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
