// Sending one DNS message and receiving its answer, over UDP (a small shared pool of sockets,
// never one per query) or TCP (one connection per query; only used after truncation). Encoding
// and decoding go through dns-packet (a query's fixed parts are encoded once per type and flags,
// see QueryEncoder). UDP timeouts are one deadline sweep over the queries in flight, not a timer
// each. An answer is accepted only when it comes from the address and port the query went to,
// carries the query's random ID, and repeats the question; anything else is counted and
// ignored, so a forged or stray datagram cannot complete a query.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { RRType } from './types';
import type { ServerAddress } from './servers';

export interface DecodedMessage {
  id: number;
  type: 'query' | 'response';
  rcode: number;
  flag_aa: boolean;
  flag_tc: boolean;
  flag_ra: boolean;
  flag_ad: boolean;
  questions: Array<{ name: string; type: string; class: string }>;
  answers: Array<{ name: string; type: string; ttl?: number; class?: string; data?: unknown }>;
  authorities: Array<{ name: string; type: string; ttl?: number; class?: string; data?: unknown }>;
}

export interface ExchangeRequest {
  server: ServerAddress;
  name: string; // normalised, no trailing dot
  type: RRType;
  recursionDesired: boolean;
  edns: boolean;
  dnssecOk: boolean;
  timeoutMs: number;
  /** Whether the answer's authority section is decoded (default true; see decodeMessage). */
  authorities?: boolean;
}

export type ExchangeResult =
  | { kind: 'response'; message: DecodedMessage; rttMs: number }
  | { kind: 'timeout'; rttMs: number }
  | { kind: 'network-error'; error: string; rttMs: number }
  | { kind: 'malformed'; error: string; rttMs: number };

export interface TransportCounters {
  udpSent: number;
  udpReceived: number;
  tcpQueries: number;
  /** Datagrams whose ID matched no query in flight on that socket (late, stray or forged). */
  unmatchedAnswers: number;
  /** Datagrams with a live ID but from another address or port than the query went to. */
  wrongSourceAnswers: number;
  /** Datagrams from the right source with a live ID but another question. */
  wrongQuestionAnswers: number;
  /** Answers that could not be decoded. */
  malformedAnswers: number;
}

interface PendingQuery {
  id: number;
  request: ExchangeRequest;
  sentAt: number;
  /** performance.now() instant at which the query times out. */
  expiresAt: number;
  pooled: PooledSocket;
  resolve: (result: ExchangeResult) => void;
  /** The datagram, until it is handed to the socket. */
  message?: Buffer;
}

interface PooledSocket {
  socket: dgram.Socket;
  pending: Map<number, PendingQuery>;
  /** Set for sockets connect()ed to one server: sends skip the per-datagram address lookup and route. */
  connected?: boolean;
}

export interface TransportOptions {
  udpSockets: number;
  ednsUdpSize: number;
  /** Receive buffer asked of the kernel for each UDP socket (it may grant less). */
  receiveBufferBytes?: number;
}

const RCODE_NAMES: Record<string, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

function rcodeNumber(name: string, flags: number): number {
  return RCODE_NAMES[name] ?? flags & 0xf;
}

/**
 * Decodes one DNS message; throws on bytes dns-packet cannot read. The additional section (OPT,
 * glue) is never read by the engine and the authority section only for negative-caching TTLs, so
 * they are not decoded: dns-packet decodes every record the header counts, and those counts are
 * zeroed in `bytes` (the received datagram, ours to change) before it reads them.
 */
export function decodeMessage(bytes: Buffer, withAuthorities = true): DecodedMessage {
  if (bytes.length >= 12) {
    bytes.writeUInt16BE(0, 10); // ARCOUNT
    if (!withAuthorities) bytes.writeUInt16BE(0, 8); // NSCOUNT
  }
  const packet = dnsPacket.decode(bytes) as unknown as Omit<DecodedMessage, 'rcode'> & { rcode: string | number; flags: number };
  // The decoded object is ours: its rcode name becomes the number in place (a copy would cost more
  // than the decode's own bookkeeping).
  packet.rcode = rcodeNumber(packet.rcode as string, packet.flags);
  return packet as DecodedMessage;
}

/** dns-packet's name codec, which it exports but @types/dns-packet does not declare. */
const nameCodec = (
  dnsPacket as unknown as {
    name: { encode: ((name: string, buf: Buffer, offset: number) => Buffer) & { bytes: number }; encodingLength(name: string): number };
  }
).name;

/** The bytes of a query before and after its name, for one (type, RD, EDNS, DO) combination. */
interface QueryTemplate {
  head: Buffer; // the 12-byte header, ID zero
  tail: Buffer; // QTYPE, QCLASS and the OPT record, if any
}

/**
 * Builds query messages. dns-packet encodes each combination of type and flags once (around the
 * root name) and each name; the message is those bytes spliced with the ID written in, which is
 * byte for byte what dns-packet's encode of the whole query gives, without redoing the header
 * and OPT record per query.
 */
export class QueryEncoder {
  private readonly templates = new Map<string, Array<QueryTemplate | undefined>>();

  constructor(private readonly ednsUdpSize: number) {}

  private template(type: RRType, variant: number, recursionDesired: boolean, edns: boolean, dnssecOk: boolean): QueryTemplate {
    let variants = this.templates.get(type);
    if (variants === undefined) {
      variants = [];
      this.templates.set(type, variants);
    }
    let template = variants[variant];
    if (template === undefined) {
      const root = this.encodeWhole(type, '.', 0, recursionDesired, edns, dnssecOk);
      // The root name is the single zero byte right after the header.
      template = { head: root.subarray(0, 12), tail: root.subarray(13) };
      variants[variant] = template;
    }
    return template;
  }

  /** The query as dns-packet encodes it in one go (the reference the templates are cut from). */
  encodeWhole(type: RRType, name: string, id: number, recursionDesired: boolean, edns: boolean, dnssecOk: boolean): Buffer {
    return dnsPacket.encode({
      type: 'query',
      id,
      flags: recursionDesired ? dnsPacket.RECURSION_DESIRED : 0,
      questions: [{ type, name, class: 'IN' }],
      additionals: edns
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: this.ednsUdpSize,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0,
              flag_do: dnssecOk,
              options: [],
            },
          ]
        : [],
    });
  }

  /** The query message for `request` with `id`; `prefix` spare bytes are left at the front (TCP's length). */
  encode(request: ExchangeRequest, id: number, prefix = 0): Buffer {
    const edns = request.edns;
    const dnssecOk = edns && request.dnssecOk;
    const variant = (request.recursionDesired ? 1 : 0) | (edns ? 2 : 0) | (dnssecOk ? 4 : 0);
    const template = this.template(request.type, variant, request.recursionDesired, edns, dnssecOk);
    const name = this.wireName(request.name);
    const message = Buffer.allocUnsafe(prefix + 12 + name.length + template.tail.length);
    template.head.copy(message, prefix);
    message.writeUInt16BE(id, prefix);
    name.copy(message, prefix + 12);
    template.tail.copy(message, prefix + 12 + name.length);
    return message;
  }

  // A site's first queries all ask its domain, one after another (MX, TXT, CAA, DS, DNSKEY, NS,
  // SOA; then NS and SOA at each name server): the last name's wire form is kept for the next.
  private lastName = '';
  private lastWireName = Buffer.alloc(0);

  private wireName(name: string): Buffer {
    if (name === this.lastName && this.lastWireName.length > 0) return this.lastWireName;
    const length = nameCodec.encodingLength(name);
    const wire = Buffer.allocUnsafe(length); // every byte is written by the encoder
    nameCodec.encode(name, wire, 0);
    if (nameCodec.encode.bytes !== length) throw new Error(`name ${JSON.stringify(name)} did not encode to its length`);
    this.lastName = name;
    this.lastWireName = wire;
    return wire;
  }
}

/** Timeouts are swept at most this often (so a timeout may fire up to this much late). */
const SWEEP_GRANULARITY_MS = 5;

export class Transport {
  private readonly pools: Record<4 | 6, PooledSocket[] | null> = { 4: null, 6: null };
  /** Sockets connected to one frequently used server (the recursive resolvers), by 'address|port'. */
  private readonly connectedPools = new Map<string, PooledSocket[]>();
  /** connectedPools by the server object asked (the resolvers are the same objects every time). */
  private readonly connectedPoolByServer = new WeakMap<ServerAddress, PooledSocket[]>();
  private readonly encoder: QueryEncoder;
  /** UDP queries in flight, in every pooled socket's `pending` (kept for the sweep and inFlight). */
  private pendingCount = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** When the sweep timer fires (Infinity when none is set). */
  private sweepAt = Infinity;
  private nextSocket = 0;
  /** Queries waiting for this turn's flush (see flushOutbox). */
  private outbox: PendingQuery[] = [];
  private randomPool = Buffer.alloc(0);
  private randomOffset = 0;
  private closed = false;
  private readonly tcpSockets = new Set<net.Socket>();
  readonly counters: TransportCounters = {
    udpSent: 0,
    udpReceived: 0,
    tcpQueries: 0,
    unmatchedAnswers: 0,
    wrongSourceAnswers: 0,
    wrongQuestionAnswers: 0,
    malformedAnswers: 0,
  };

  constructor(private readonly options: TransportOptions) {
    if (!(options.udpSockets >= 1)) throw new Error(`udpSockets must be at least 1 (got ${options.udpSockets})`);
    this.encoder = new QueryEncoder(options.ednsUdpSize);
  }

  /** A query ID from the OS CSPRNG (drawn in bulk: one syscall per 2,048 IDs). */
  private randomId(): number {
    if (this.randomOffset + 2 > this.randomPool.length) {
      this.randomPool = randomBytes(4096);
      this.randomOffset = 0;
    }
    const id = this.randomPool.readUInt16BE(this.randomOffset);
    this.randomOffset += 2;
    return id;
  }

  private pool(family: 4 | 6): PooledSocket[] {
    let pool = this.pools[family];
    if (pool) return pool;
    pool = [];
    for (let i = 0; i < this.options.udpSockets; i++) {
      const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
      const pooled: PooledSocket = { socket, pending: new Map() };
      socket.on('message', (bytes, rinfo) => this.onDatagram(pooled, bytes, rinfo));
      // An unconnected socket reports almost nothing here; per-send errors arrive in send's callback.
      socket.on('error', () => undefined);
      // Port 0: the kernel picks a random ephemeral source port for each socket.
      socket.bind(0, () => this.setReceiveBuffer(socket));
      pool.push(pooled);
    }
    this.pools[family] = pool;
    return pool;
  }

  /** Connected sockets for `server` once they are ready, else null (the shared pool serves meanwhile). */
  private connectedPool(server: ServerAddress): PooledSocket[] | null {
    const ready = this.connectedPoolByServer.get(server);
    if (ready) return ready;
    const key = `${server.address}|${server.port}`;
    const existing = this.connectedPools.get(key);
    if (existing) {
      if (!existing.every((p) => p.connected)) return null;
      this.connectedPoolByServer.set(server, existing);
      return existing;
    }
    const pool: PooledSocket[] = [];
    for (let i = 0; i < this.options.udpSockets; i++) {
      const socket = dgram.createSocket(server.family === 6 ? 'udp6' : 'udp4');
      const pooled: PooledSocket = { socket, pending: new Map(), connected: false };
      socket.on('message', (bytes, rinfo) => this.onDatagram(pooled, bytes, rinfo));
      socket.on('error', () => undefined);
      socket.bind(0, () => {
        this.setReceiveBuffer(socket);
        socket.connect(server.port, server.address, (err?: Error) => {
          if (!err) pooled.connected = true;
        });
      });
      pool.push(pooled);
    }
    this.connectedPools.set(key, pool);
    return null;
  }

  private setReceiveBuffer(socket: dgram.Socket): void {
    if (!this.options.receiveBufferBytes) return;
    try {
      socket.setRecvBufferSize(this.options.receiveBufferBytes);
    } catch {
      // the kernel's limit applies
    }
  }

  private questionMatches(message: DecodedMessage, request: ExchangeRequest): boolean {
    if (message.type !== 'response') return false;
    if (message.questions.length === 0) {
      // Some servers omit the question in error answers to queries they could not parse.
      return message.rcode !== 0;
    }
    if (message.questions.length !== 1) return false;
    const question = message.questions[0]!;
    return question.type === request.type && question.class === 'IN' && question.name.toLowerCase() === request.name;
  }

  private onDatagram(pooled: PooledSocket, bytes: Buffer, rinfo: dgram.RemoteInfo): void {
    this.counters.udpReceived++;
    if (bytes.length < 12) {
      this.counters.unmatchedAnswers++;
      return;
    }
    const pending = pooled.pending.get(bytes.readUInt16BE(0));
    if (!pending) {
      this.counters.unmatchedAnswers++;
      return;
    }
    if (rinfo.address !== pending.request.server.address || rinfo.port !== pending.request.server.port) {
      this.counters.wrongSourceAnswers++;
      return;
    }
    let message: DecodedMessage;
    try {
      message = decodeMessage(bytes, pending.request.authorities !== false);
    } catch (err) {
      // Right source, right ID, unreadable bytes: that server's answer is broken.
      this.counters.malformedAnswers++;
      this.settle(pending, { kind: 'malformed', error: `undecodable answer: ${(err as Error).message}`, rttMs: performance.now() - pending.sentAt });
      return;
    }
    if (!this.questionMatches(message, pending.request)) {
      this.counters.wrongQuestionAnswers++;
      return;
    }
    this.settle(pending, { kind: 'response', message, rttMs: performance.now() - pending.sentAt });
  }

  /** Ends a UDP query still in flight (a no-op for one already ended). */
  private settle(pending: PendingQuery, result: ExchangeResult): void {
    const pendingOfSocket = pending.pooled.pending;
    if (pendingOfSocket.get(pending.id) !== pending) return;
    pendingOfSocket.delete(pending.id);
    this.pendingCount--;
    pending.resolve(result);
  }

  /** Arms the sweep for a query expiring at `expiresAt` unless one fires by then already. */
  private scheduleSweep(expiresAt: number): void {
    if (this.sweepAt <= expiresAt) return;
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    const delay = Math.max(SWEEP_GRANULARITY_MS, Math.ceil(expiresAt - performance.now()));
    this.sweepAt = performance.now() + delay;
    this.sweepTimer = setTimeout(this.sweep, delay);
  }

  /** Times out every UDP query past its instant, then re-arms for the earliest one left. */
  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    if (this.pendingCount === 0) return;
    const now = performance.now();
    let earliest = Infinity;
    for (const pooled of this.allPooled()) {
      for (const pending of pooled.pending.values()) {
        // Deleting the current entry while iterating a Map is safe.
        if (pending.expiresAt <= now) this.settle(pending, { kind: 'timeout', rttMs: now - pending.sentAt });
        else if (pending.expiresAt < earliest) earliest = pending.expiresAt;
      }
    }
    if (earliest !== Infinity) this.scheduleSweep(earliest);
  };

  /**
   * One UDP exchange. Never rejects. `connected` asks for sockets connect()ed to the server, for
   * servers that take most of the traffic (the recursive resolvers).
   */
  udp(request: ExchangeRequest, connected = false): Promise<ExchangeResult> {
    if (this.closed) return Promise.resolve({ kind: 'network-error', error: 'transport closed', rttMs: 0 });
    let pool: PooledSocket[];
    try {
      pool = (connected ? this.connectedPool(request.server) : null) ?? this.pool(request.server.family);
    } catch (err) {
      return Promise.resolve({ kind: 'network-error', error: (err as Error).message, rttMs: 0 });
    }
    const pooled = pool[this.nextSocket++ % pool.length]!;
    if (this.nextSocket > 1e9) this.nextSocket = 0;
    let id = this.randomId();
    while (pooled.pending.has(id)) id = this.randomId();
    let message: Buffer;
    try {
      message = this.encoder.encode(request, id);
    } catch (err) {
      return Promise.resolve({ kind: 'network-error', error: `cannot encode query: ${(err as Error).message}`, rttMs: 0 });
    }
    let resolve!: (result: ExchangeResult) => void;
    const promise = new Promise<ExchangeResult>((settle) => (resolve = settle));
    const sentAt = performance.now();
    const pending: PendingQuery = { id, request, sentAt, expiresAt: sentAt + request.timeoutMs, pooled, resolve, message };
    pooled.pending.set(id, pending);
    this.pendingCount++;
    this.scheduleSweep(pending.expiresAt);
    this.counters.udpSent++;
    this.outbox.push(pending);
    if (this.outbox.length === 1) setImmediate(this.flushOutbox);
    return promise;
  }

  /**
   * Sends the queries made since the last flush, back to back, once per event-loop turn. Still
   * one sendmsg per datagram (Node has no sendmmsg); but a burst wakes a sleeping server thread
   * once instead of once per query, which on loopback cut both sides' CPU per query by ~15 %.
   */
  private readonly flushOutbox = (): void => {
    const outbox = this.outbox;
    this.outbox = [];
    for (const pending of outbox) {
      const message = pending.message!;
      pending.message = undefined;
      if (pending.pooled.pending.get(pending.id) !== pending) continue; // ended meanwhile (closed)
      this.send(pending, message);
    }
  };

  private send(pending: PendingQuery, message: Buffer): void {
    // Node reports a failed send only to a callback, so each send has one.
    const afterSend = (err: Error | null) => {
      if (err) this.sendFailed(pending, err);
    };
    try {
      const { pooled, request } = pending;
      if (pooled.connected) pooled.socket.send(message, afterSend);
      else pooled.socket.send(message, request.server.port, request.server.address, afterSend);
    } catch (err) {
      this.sendFailed(pending, err as Error);
    }
  }

  private sendFailed(pending: PendingQuery, err: Error): void {
    this.settle(pending, {
      kind: 'network-error',
      error: `${(err as NodeJS.ErrnoException).code ?? 'send failed'}: ${err.message}`,
      rttMs: performance.now() - pending.sentAt,
    });
  }

  /** One TCP exchange on a fresh connection (RFC 7766 framing: a two-byte length prefix). Never rejects. */
  tcp(request: ExchangeRequest): Promise<ExchangeResult> {
    if (this.closed) return Promise.resolve({ kind: 'network-error', error: 'transport closed', rttMs: 0 });
    this.counters.tcpQueries++;
    const id = this.randomId();
    let query: Buffer;
    try {
      query = this.encoder.encode(request, id, 2);
      query.writeUInt16BE(query.length - 2, 0);
    } catch (err) {
      return Promise.resolve({ kind: 'network-error', error: `cannot encode query: ${(err as Error).message}`, rttMs: 0 });
    }
    return new Promise<ExchangeResult>((resolve) => {
      const sentAt = performance.now();
      let done = false;
      let received: Buffer = Buffer.alloc(0);
      const socket = net.connect({ host: request.server.address, port: request.server.port });
      this.tcpSockets.add(socket);
      const finish = (result: ExchangeResult): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.tcpSockets.delete(socket);
        socket.destroy();
        resolve(result);
      };
      const timer = setTimeout(() => finish({ kind: 'timeout', rttMs: performance.now() - sentAt }), request.timeoutMs);
      socket.on('connect', () => socket.write(query));
      socket.on('data', (chunk: Buffer) => {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        // Several messages may arrive on the stream; skip any that are not the answer.
        while (received.length >= 2) {
          const length = received.readUInt16BE(0);
          if (received.length < 2 + length) return;
          const bytes = received.subarray(2, 2 + length);
          received = received.subarray(2 + length);
          if (bytes.length < 12 || bytes.readUInt16BE(0) !== id) {
            this.counters.unmatchedAnswers++;
            continue;
          }
          let message: DecodedMessage;
          try {
            message = decodeMessage(bytes, request.authorities !== false);
          } catch (err) {
            this.counters.malformedAnswers++;
            finish({ kind: 'malformed', error: `undecodable answer: ${(err as Error).message}`, rttMs: performance.now() - sentAt });
            return;
          }
          if (!this.questionMatches(message, request)) {
            this.counters.wrongQuestionAnswers++;
            continue;
          }
          finish({ kind: 'response', message, rttMs: performance.now() - sentAt });
          return;
        }
      });
      socket.on('error', (err: NodeJS.ErrnoException) =>
        finish({ kind: 'network-error', error: `${err.code ?? 'tcp error'}: ${err.message}`, rttMs: performance.now() - sentAt }),
      );
      socket.on('close', () =>
        finish({ kind: 'network-error', error: 'connection closed before an answer', rttMs: performance.now() - sentAt }),
      );
    });
  }

  private allPooled(): PooledSocket[] {
    return [...(this.pools[4] ?? []), ...(this.pools[6] ?? []), ...[...this.connectedPools.values()].flat()];
  }

  get inFlight(): number {
    return this.tcpSockets.size + this.pendingCount;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    for (const socket of this.tcpSockets) socket.destroy();
    const closing: Array<Promise<void>> = [];
    for (const pooled of this.allPooled()) {
      for (const pending of pooled.pending.values()) {
        this.settle(pending, { kind: 'network-error', error: 'transport closed', rttMs: performance.now() - pending.sentAt });
      }
      closing.push(new Promise<void>((resolve) => pooled.socket.close(() => resolve())));
    }
    this.pools[4] = null;
    this.pools[6] = null;
    this.connectedPools.clear();
    await Promise.all(closing);
  }
}
