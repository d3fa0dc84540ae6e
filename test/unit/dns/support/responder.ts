// A programmable DNS responder on loopback (UDP and TCP on the same port) for the engine's tests:
// it can answer, drop, delay, truncate, send garbage, or forge answers (wrong ID, wrong question,
// wrong source port) deterministically.
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';

export interface ReceivedQuery {
  id: number;
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  recursionDesired: boolean;
  edns: boolean;
  dnssecOk: boolean;
  sourcePort: number;
}

export interface AnswerSpec {
  rcode?: number;
  aa?: boolean;
  tc?: boolean;
  ad?: boolean;
  ra?: boolean;
  answers?: dnsPacket.Answer[];
  authorities?: dnsPacket.Answer[];
  /** Override the question echoed back. */
  question?: { name: string; type: string };
  id?: number;
  /** Omit the question section. */
  noQuestion?: boolean;
}

export type Send =
  | { answer: AnswerSpec; delayMs?: number; fromOtherPort?: boolean }
  | { raw: Buffer | ((queryBytes: Buffer) => Buffer); delayMs?: number; fromOtherPort?: boolean };

/** What to send back for one query: nothing (a drop), or a list of datagrams/messages. */
export type Handler = (query: ReceivedQuery) => Send[] | Promise<Send[]>;

export interface Responder {
  address: string;
  port: number;
  server: string; // 'address:port'
  received: ReceivedQuery[];
  setHandler(handler: Handler): void;
  stop(): Promise<void>;
}

export function encodeAnswer(query: ReceivedQuery, spec: AnswerSpec): Buffer {
  let flags = spec.ra === false ? 0 : dnsPacket.RECURSION_AVAILABLE;
  if (query.recursionDesired) flags |= dnsPacket.RECURSION_DESIRED;
  if (spec.aa) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  if (spec.tc) flags |= dnsPacket.TRUNCATED_RESPONSE;
  if (spec.ad) flags |= dnsPacket.AUTHENTIC_DATA;
  flags |= (spec.rcode ?? 0) & 0xf;
  const question = spec.question ?? { name: query.name, type: query.type };
  return dnsPacket.encode({
    type: 'response',
    id: spec.id ?? query.id,
    flags,
    questions: spec.noQuestion ? [] : [{ name: question.name, type: question.type as dnsPacket.RecordType, class: 'IN' }],
    answers: spec.answers ?? [],
    authorities: spec.authorities ?? [],
  });
}

function parseQuery(bytes: Buffer, transport: 'udp' | 'tcp', sourcePort: number): ReceivedQuery | null {
  try {
    const packet = dnsPacket.decode(bytes);
    const question = packet.questions?.[0];
    if (!question) return null;
    const opt = (packet.additionals ?? []).find((a) => a.type === 'OPT') as { flags?: number } | undefined;
    return {
      id: packet.id ?? 0,
      name: question.name,
      type: question.type,
      transport,
      recursionDesired: ((packet.flags ?? 0) & dnsPacket.RECURSION_DESIRED) !== 0,
      edns: opt !== undefined,
      dnssecOk: opt !== undefined && ((opt.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0,
      sourcePort,
    };
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startResponder(handler: Handler, address = '127.0.0.1', port = 0): Promise<Responder> {
  let current = handler;
  const received: ReceivedQuery[] = [];
  const udp = dgram.createSocket('udp4');
  const other = dgram.createSocket('udp4');
  const tcpConnections = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    if (!ms) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  };

  udp.on('message', (bytes, rinfo) => {
    const query = parseQuery(bytes, 'udp', rinfo.port);
    if (!query) return;
    received.push(query);
    void Promise.resolve(current(query)).then((sends) => {
      for (const send of sends) {
        const payload = 'raw' in send ? (typeof send.raw === 'function' ? send.raw(bytes) : send.raw) : encodeAnswer(query, send.answer);
        later(send.delayMs ?? 0, () => (send.fromOtherPort ? other : udp).send(payload, rinfo.port, rinfo.address));
      }
    });
  });

  const tcp = net.createServer((socket) => {
    tcpConnections.add(socket);
    socket.on('close', () => tcpConnections.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const bytes = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + bytes.length);
        const query = parseQuery(bytes, 'tcp', socket.remotePort ?? 0);
        if (!query) continue;
        received.push(query);
        void Promise.resolve(current(query)).then((sends) => {
          for (const send of sends) {
            const payload = 'raw' in send ? (typeof send.raw === 'function' ? send.raw(bytes) : send.raw) : encodeAnswer(query, send.answer);
            later(send.delayMs ?? 0, () => {
              if (!socket.destroyed) socket.write(Buffer.concat([Buffer.from([payload.length >> 8, payload.length & 0xff]), payload]));
            });
          }
        });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, address, () => resolve());
  });
  await new Promise<void>((resolve) => other.bind(0, address, () => resolve()));
  const boundPort = udp.address().port;
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(boundPort, address, () => resolve());
  });

  return {
    address,
    port: boundPort,
    server: `${address}:${boundPort}`,
    received,
    setHandler(next) {
      current = next;
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of tcpConnections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => other.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

/** Shorthand for a one-answer reply. */
export const reply = (answer: AnswerSpec, delayMs?: number): Send[] => [{ answer, delayMs }];

export function a(name: string, address: string, ttl = 300): dnsPacket.Answer {
  return { type: 'A', name, ttl, data: address };
}
