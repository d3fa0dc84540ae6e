// The lab's DNS server on loopback: one recursive-resolver address that answers every name of the
// world (RA set), and one authoritative name server per name-server host of the world, each on its
// own 127.x address and all on one port, answering only the zones it serves (AA set, no
// recursion). UDP and TCP (RFC 1035 §4.2.2 length prefix); EDNS0 payload size honoured; injected
// faults (drop, delay, rcodes, forced truncation) applied per query. Wire format through dns-packet.
//
// Speed: answers are encoded once per (view, name, type, EDNS) and cached; a query then costs one
// dns-packet decode, one buffer copy and a patch of the ID, RD bit and the question's bytes (so
// the answer echoes the question exactly as asked, including letter case).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { LabAnswer, LabRRType, LabRecord } from './records';
import { createLabWorld, LabWorld } from './world';

export interface LabServerOptions {
  sites: number;
  seed?: number;
  /** Address of the recursive-resolver view (default 127.0.0.1). */
  host?: string;
  /** Port of the resolver view (default: ephemeral). */
  port?: number;
  /** Port every name server listens on (default: one ephemeral port free on all their addresses). */
  nameServerPort?: number;
  /** Serve an existing world instead of creating one from (sites, seed). */
  world?: LabWorld;
}

export interface LabServerStats {
  queries: number;
  udp: number;
  tcp: number;
  truncated: number;
  dropped: number;
  formerr: number;
  cacheHits: number;
}

export interface LabServer {
  /** 'host:port' of the recursive view, for DNSTATS_RESOLVERS. */
  resolver: string;
  nameServerPort: number;
  nameServerAddresses: readonly string[];
  world: LabWorld;
  stats(): LabServerStats;
  stop(): Promise<void>;
}

const RCODE_NUMBER: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const CACHE_LIMIT = 100_000;
const MAX_UDP_PAYLOAD = 4096; // what the lab advertises in its own OPT record
const RESPONSE = 1 << 15;

interface CachedAnswer {
  wire: Buffer; // full response, ID 0, RD clear
  answer: LabAnswer;
  questionLength: number;
}

type View = { kind: 'resolver' } | { kind: 'nameserver'; address: string };

export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const world = options.world ?? createLabWorld({ sites: options.sites, seed: options.seed });
  const host = options.host ?? '127.0.0.1';
  const stats: LabServerStats = { queries: 0, udp: 0, tcp: 0, truncated: 0, dropped: 0, formerr: 0, cacheHits: 0 };
  const cache = new Map<string, CachedAnswer>();
  const udpSockets: dgram.Socket[] = [];
  const tcpServers: net.Server[] = [];
  const connections = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function lookup(view: View, name: string, type: string): LabAnswer {
    return view.kind === 'resolver' ? world.resolve(name, type as LabRRType) : world.authoritative(view.address, name, type as LabRRType);
  }

  function encodeAnswer(view: View, question: dnsPacket.Question, answer: LabAnswer, edns: boolean): Buffer {
    let flags = RCODE_NUMBER[answer.rcode] ?? 2;
    if (view.kind === 'resolver') flags |= dnsPacket.RECURSION_AVAILABLE;
    if (answer.aa) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
    return dnsPacket.encode({
      type: 'response',
      id: 0,
      flags,
      questions: [{ name: question.name, type: question.type, class: question.class }],
      answers: answer.answers.map(toPacketAnswer),
      authorities: answer.authorities.map(toPacketAnswer),
      additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: MAX_UDP_PAYLOAD, flags: 0 } as dnsPacket.Answer] : [],
    } as dnsPacket.Packet);
  }

  function respond(view: View, query: Buffer, transport: 'udp' | 'tcp', send: (wire: Buffer) => void): void {
    stats.queries++;
    stats[transport]++;
    let packet: dnsPacket.Packet;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      if (query.length >= 12) send(errorResponse(query, 1));
      stats.formerr++;
      return;
    }
    const question = packet.questions?.[0];
    if (packet.type !== 'query' || !question || packet.questions!.length !== 1) {
      send(errorResponse(query, 1));
      stats.formerr++;
      return;
    }
    const opt = packet.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const name = question.name.toLowerCase();
    const key = `${view.kind === 'resolver' ? '' : view.address}|${name}|${question.type}|${opt ? 1 : 0}`;
    let cached = cache.get(key);
    if (cached) stats.cacheHits++;
    else {
      const answer = lookup(view, name, question.type);
      const wire = encodeAnswer(view, question, answer, opt !== undefined);
      cached = { wire, answer, questionLength: questionLength(query) };
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(key, cached);
    }
    const action = cached.answer.action;
    if (action?.kind === 'drop') {
      stats.dropped++;
      return;
    }
    const questionBytes = questionLength(query);
    let wire: Buffer;
    const udpLimit = opt ? Math.max(512, Math.min(opt.udpPayloadSize ?? 512, 65535)) : 512;
    if (transport === 'udp' && (action?.kind === 'truncate' || cached.wire.length > udpLimit)) {
      stats.truncated++;
      wire = truncatedResponse(cached.wire, questionBytes, opt !== undefined);
    } else {
      wire = Buffer.from(cached.wire);
    }
    query.copy(wire, 0, 0, 2); // ID
    wire[2] = (wire[2] & 0xfe) | (query[2] & 0x01); // RD copied from the query
    if (questionBytes === cached.questionLength) query.copy(wire, 12, 12, 12 + questionBytes);
    if (action?.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) send(wire);
      }, action.ms);
      timers.add(timer);
    } else send(wire);
  }

  async function listenUdp(view: View, address: string, port: number): Promise<dgram.Socket> {
    const socket = dgram.createSocket({ type: net.isIPv6(address) ? 'udp6' : 'udp4', recvBufferSize: 1 << 22, sendBufferSize: 1 << 22 });
    socket.on('message', (msg, rinfo) => {
      respond(view, msg, 'udp', (wire) => {
        if (!stopped) socket.send(wire, rinfo.port, rinfo.address);
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined); // a send to a vanished client must not kill the server
        resolve();
      });
    });
    udpSockets.push(socket);
    return socket;
  }

  async function listenTcp(view: View, address: string, port: number): Promise<net.Server> {
    const server = net.createServer((conn) => {
      connections.add(conn);
      conn.setNoDelay(true);
      let pending = Buffer.alloc(0);
      conn.on('data', (chunk) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        while (pending.length >= 2) {
          const length = pending.readUInt16BE(0);
          if (pending.length < 2 + length) break;
          const message = Buffer.from(pending.subarray(2, 2 + length));
          pending = pending.subarray(2 + length);
          respond(view, message, 'tcp', (wire) => {
            if (conn.destroyed) return;
            const frame = Buffer.allocUnsafe(2 + wire.length);
            frame.writeUInt16BE(wire.length, 0);
            wire.copy(frame, 2);
            conn.write(frame);
          });
        }
      });
      conn.on('error', () => undefined);
      conn.on('close', () => connections.delete(conn));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    tcpServers.push(server);
    return server;
  }

  async function closeAll(): Promise<void> {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const conn of connections) conn.destroy();
    await Promise.all([
      ...udpSockets.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      ...tcpServers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    ]);
  }

  // Resolver view: one UDP socket and one TCP listener on the same port.
  const resolverSocket = await listenUdp({ kind: 'resolver' }, host, options.port ?? 0);
  const resolverPort = resolverSocket.address().port;
  await listenTcp({ kind: 'resolver' }, host, resolverPort);

  // Name servers: every address on one common port. An ephemeral port free on the first address
  // may be taken on another, so retry with a fresh port a few times.
  const addresses = world.nameServerAddresses;
  let nameServerPort = options.nameServerPort ?? 0;
  for (let attempt = 0; ; attempt++) {
    const opened: Array<dgram.Socket | net.Server> = [];
    try {
      const first = await listenUdp({ kind: 'nameserver', address: addresses[0] }, addresses[0], nameServerPort);
      opened.push(first);
      const port = first.address().port;
      opened.push(await listenTcp({ kind: 'nameserver', address: addresses[0] }, addresses[0], port));
      for (const address of addresses.slice(1)) {
        opened.push(await listenUdp({ kind: 'nameserver', address }, address, port));
        opened.push(await listenTcp({ kind: 'nameserver', address }, address, port));
      }
      nameServerPort = port;
      break;
    } catch (err) {
      for (const item of opened) {
        if (item instanceof dgram.Socket) {
          udpSockets.splice(udpSockets.indexOf(item), 1);
          item.close();
        } else {
          tcpServers.splice(tcpServers.indexOf(item), 1);
          item.close();
        }
      }
      if (options.nameServerPort !== undefined || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        await closeAll();
        throw new Error(`lab server: cannot listen on the name-server addresses (port ${nameServerPort}): ${(err as Error).message}`);
      }
    }
  }

  return {
    resolver: net.isIPv6(host) ? `[${host}]:${resolverPort}` : `${host}:${resolverPort}`,
    nameServerPort,
    nameServerAddresses: addresses,
    world,
    stats: () => ({ ...stats }),
    stop: closeAll,
  };
}

function toPacketAnswer(record: LabRecord): dnsPacket.Answer {
  // dns-packet's TXT encoder converts the strings of the array it is given to Buffers in place;
  // hand it a copy so the world's records stay strings.
  let data: unknown = record.data;
  if (record.type === 'TXT') data = [...record.data];
  else if (record.type === 'MX' && record.data.exchange === '') data = { ...record.data, exchange: '.' };
  else if ((record.type === 'NS' || record.type === 'CNAME') && record.data === '') data = '.';
  return { name: record.name, type: record.type, ttl: record.ttl, class: 'IN', data } as dnsPacket.Answer;
}

/** Length of the first question (QNAME labels + QTYPE + QCLASS) of a well-formed query. */
function questionLength(query: Buffer): number {
  let offset = 12;
  while (offset < query.length) {
    const len = query[offset];
    if (len === 0) return offset - 12 + 1 + 4;
    if ((len & 0xc0) !== 0) return offset - 12 + 2 + 4;
    offset += len + 1;
  }
  return 0;
}

/** Header + question (+ OPT) only, TC set: tells the client to retry over TCP. */
function truncatedResponse(full: Buffer, questionBytes: number, edns: boolean): Buffer {
  const opt = edns ? dnsPacket.encode({ type: 'response', id: 0, questions: [], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: MAX_UDP_PAYLOAD } as dnsPacket.Answer] } as dnsPacket.Packet).subarray(12) : Buffer.alloc(0);
  const wire = Buffer.alloc(12 + questionBytes + opt.length);
  full.copy(wire, 0, 0, 12 + questionBytes);
  wire.writeUInt16BE(full.readUInt16BE(2) | dnsPacket.TRUNCATED_RESPONSE, 2);
  wire.writeUInt16BE(1, 4); // QDCOUNT
  wire.writeUInt32BE(0, 6); // ANCOUNT, NSCOUNT
  wire.writeUInt16BE(edns ? 1 : 0, 10);
  opt.copy(wire, 12 + questionBytes);
  return wire;
}

function errorResponse(query: Buffer, rcode: number): Buffer {
  const wire = Buffer.alloc(12);
  query.copy(wire, 0, 0, 2);
  wire.writeUInt16BE(RESPONSE | (query.readUInt16BE(2) & 0x7900) | rcode, 2); // opcode and RD echoed
  return wire;
}
