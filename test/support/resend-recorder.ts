// A local stand-in for the Resend HTTP API (outside our reach in tests): records each request
// and, like Resend, answers a repeated Idempotency-Key with the first response.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedEmail {
  idempotencyKey: string | undefined;
  from: string;
  to: string[];
  subject: string;
  text: string;
  authorization: string | undefined;
}

export interface ResendRecorder {
  url: string;
  requests: RecordedEmail[];
  /** One entry per distinct idempotency key: what the recipients actually received. */
  delivered(): RecordedEmail[];
  stop(): Promise<void>;
}

export async function startResendRecorder(): Promise<ResendRecorder> {
  const requests: RecordedEmail[] = [];
  const ids = new Map<string, string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/emails') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'not_found', message: req.url }));
        return;
      }
      const payload = JSON.parse(body) as { from: string; to: string | string[]; subject: string; text: string };
      const key = req.headers['idempotency-key'] as string | undefined;
      requests.push({
        idempotencyKey: key,
        from: payload.from,
        to: Array.isArray(payload.to) ? payload.to : [payload.to],
        subject: payload.subject,
        text: payload.text,
        authorization: req.headers.authorization,
      });
      const id = (key && ids.get(key)) ?? `email-${requests.length}`;
      if (key) ids.set(key, id);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered() {
      const seen = new Set<string>();
      return requests.filter((r) => {
        const key = r.idempotencyKey ?? `${requests.indexOf(r)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
