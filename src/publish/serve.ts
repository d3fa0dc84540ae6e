// `dnstats serve`: the local publish folder over HTTP. Static files only, read-only, no directory
// listings, dot-files hidden, and the pages' Content-Security-Policy sent as a header too.
// node:http is enough for this; a framework would add nothing but dependencies.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from './site';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

/** Maps a request path to a file under `root`, or null when it is outside it, hidden or absent. */
export function resolveRequestPath(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const parts = decoded.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return null;
  let file = path.join(root, ...parts);
  if (!file.startsWith(root)) return null;
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export function startSiteServer({ dir, host = '127.0.0.1', port = 0 }: { dir: string; host?: string; port?: number }): Promise<SiteServer> {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const security = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...security, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const requestPath = req.url ?? '/';
    // A folder without its trailing slash would break the page's relative links.
    const file = resolveRequestPath(root, requestPath);
    if (file && file.endsWith(`${path.sep}index.html`) && !requestPath.split('?')[0].endsWith('/') && !requestPath.split('?')[0].endsWith('.html')) {
      res.writeHead(301, { ...security, Location: `${requestPath.split('?')[0]}/` }).end();
      return;
    }
    if (!file) {
      res.writeHead(404, { ...security, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const size = fs.statSync(file).size;
    res.writeHead(200, { ...security, 'Content-Type': type, 'Content-Length': size, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`dnstats serve: cannot listen on ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
