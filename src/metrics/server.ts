// The HTTP endpoint Prometheus scrapes: GET /metrics renders a fresh snapshot each time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServer {
  /** 'host:port' actually bound (the port is real even when 0 was asked). */
  address: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** 'host:port', '[v6]:port' or ':port' (all interfaces) → host and port; names the variable on error. */
export function parseBindAddress(raw: string, variable: string): { host: string; port: number } {
  const text = raw.trim();
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new Error(`${variable}=${JSON.stringify(raw)} is not a bind address: expected host:port, [v6]:port or :port`);
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

export async function startMetricsServer(options: { host: string; port: number; render: () => string }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    let body: string;
    try {
      body = options.render();
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics rendering failed: ${(err as Error).message}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const urlHost = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '[::1]' : host;
  return {
    address: `${host}:${port}`,
    port,
    url: `http://${urlHost}:${port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
