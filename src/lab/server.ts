// The lab's DNS server on loopback: one recursive-resolver address that answers every name of the
// world (RA set), and one authoritative name server per name-server host of the world, each on its
// own 127.x address and all on one port, answering only the zones it serves (AA set, no
// recursion). UDP and TCP (RFC 1035 §4.2.2 length prefix); EDNS0 payload size honoured; injected
// faults (drop, delay, rcodes, forced truncation) applied per query. Answers are encoded by
// dns-packet.
//
// Speed (every test and benchmark runs the product against this server on the same machine, so
// its CPU is taken from what is measured): a plain query is read by a small reader (wire.ts) and
// answered by copying a stored wire and patching its ID, RD bit and, when the query had capitals,
// the question's bytes (the answer echoes the question exactly as asked). Stored wires come from
// precompute (warm(): every question the engine asks about each site, encoded once, in an arena)
// or are encoded on first demand and cached. Unusual queries (no or several questions, another
// class, compression in the question, EDNS options...) take the full dns-packet path.
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { ViewAnswers, LazyAnswers, WireArena, type LazyEntry } from './answer-store';
import { siteQuestions } from './precompute';
import { FaultAction, LabAnswer, LabRRType, LabRecord } from './records';
import { encodeAnswerWire, labTypeOf, nameOfKey, OPT_RECORD_LENGTH, questionKey, readQuery, type QueryView } from './wire';
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
  /**
   * Encode every site's answers before serving (warm() over the whole world), so that serving is
   * a lookup and a copy. Default: true for worlds of up to PRECOMPUTE_DEFAULT_MAX_SITES sites.
   * Without it answers are encoded on first demand (and cached, bounded), as they are anyway for
   * names outside the precomputed sites.
   */
  precompute?: boolean;
}

/** Worlds up to this size are precomputed unless the options say otherwise (≈ 3 KB per site). */
export const PRECOMPUTE_DEFAULT_MAX_SITES = 200_000;

export interface LabServerStats {
  queries: number;
  udp: number;
  tcp: number;
  truncated: number;
  dropped: number;
  formerr: number;
  /** Answered from a stored wire (precomputed or cached on an earlier query). */
  cacheHits: number;
  /** Answered from a precomputed wire. */
  precomputedHits: number;
  /** Queries that took the full dns-packet path (not a plain query). */
  fullDecodes: number;
}

export interface WarmRange {
  /** First site index (default 0). */
  from?: number;
  /** Site index after the last (default: the world's size). */
  to?: number;
}

export interface WarmResult {
  sites: number;
  /** Answers encoded by this call. */
  answers: number;
  cpuSeconds: number;
}

export interface LabServerMemory {
  /** Precomputed answers, every view. */
  precomputedAnswers: number;
  /** Sites precomputed so far. */
  precomputedSites: number;
  arenaAllocatedBytes: number;
  arenaUsedBytes: number;
  /** Answers cached on first demand. */
  cachedAnswers: number;
}

export interface LabServer {
  /** 'host:port' of the recursive view, for DNSTATS_RESOLVERS. */
  resolver: string;
  nameServerPort: number;
  nameServerAddresses: readonly string[];
  world: LabWorld;
  stats(): LabServerStats;
  /**
   * Encodes ahead of time every answer the engine asks about the sites of the range, in every view
   * (resolver and each name server), so that serving them is a lookup and a copy. Sites already
   * warmed are skipped. Yields to the event loop every few milliseconds, so the server keeps
   * answering meanwhile.
   */
  warm(range?: WarmRange): Promise<WarmResult>;
  memory(): LabServerMemory;
  stop(): Promise<void>;
}

const RCODE_NUMBER: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const CACHE_LIMIT = 100_000;
const MAX_UDP_PAYLOAD = 4096; // what the lab advertises in its own OPT record
const RESPONSE = 1 << 15;
const WARM_SLICE_MS = 20;
/** Where answers are encoded before being copied to their place (the largest DNS message). */
const encodeScratch = Buffer.allocUnsafeSlow(65535);

/** Where an answer goes: a UDP socket and the client's port and address, or a TCP connection. */
interface Destination {
  udp: dgram.Socket | undefined;
  tcp: net.Socket | undefined;
  port: number;
  address: string;
}

/** A view: what one listening address answers from. */
interface View {
  kind: 'resolver' | 'nameserver';
  /** The name server's address; '' for the resolver. */
  address: string;
  /** Prefix of this view's keys in the shared lazy cache. */
  prefix: string;
  precomputed: ViewAnswers;
}

export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const world = options.world ?? createLabWorld({ sites: options.sites, seed: options.seed });
  const host = options.host ?? '127.0.0.1';
  const stats: LabServerStats = { queries: 0, udp: 0, tcp: 0, truncated: 0, dropped: 0, formerr: 0, cacheHits: 0, precomputedHits: 0, fullDecodes: 0 };
  const arena = new WireArena();
  const lazy = new LazyAnswers(CACHE_LIMIT);
  const warmed = new Uint8Array(world.size);
  let warmedSites = 0;
  let precomputedAnswers = 0;
  const udpSockets: dgram.Socket[] = [];
  const tcpServers: net.Server[] = [];
  const connections = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const resolverView: View = { kind: 'resolver', address: '', prefix: '\u0000', precomputed: new ViewAnswers() };
  const nameServerViews = new Map<string, View>();
  world.nameServerAddresses.forEach((address, i) => {
    nameServerViews.set(address, { kind: 'nameserver', address, prefix: String.fromCharCode(i + 1), precomputed: new ViewAnswers() });
  });

  function lookup(view: View, name: string, type: string): LabAnswer {
    return view.kind === 'resolver' ? world.resolve(name, type as LabRRType) : world.authoritative(view.address, name, type as LabRRType);
  }

  function answerPacket(view: View, question: dnsPacket.Question, answer: LabAnswer, edns: boolean): dnsPacket.Packet {
    let flags = RCODE_NUMBER[answer.rcode] ?? 2;
    if (view.kind === 'resolver') flags |= dnsPacket.RECURSION_AVAILABLE;
    if (answer.aa) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
    return {
      type: 'response',
      id: 0,
      flags,
      questions: [{ name: question.name, type: question.type, class: question.class }],
      answers: answer.answers.map(toPacketAnswer),
      authorities: answer.authorities.map(toPacketAnswer),
      additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: MAX_UDP_PAYLOAD, flags: 0 } as dnsPacket.Answer] : [],
    } as dnsPacket.Packet;
  }

  /**
   * The EDNS answer to (name, type), preceded by its length, where `allocate` says; false (nothing
   * stored) for an answer longer than a DNS message can be, which the full path then handles.
   */
  function encodeStored(view: View, name: string, type: LabRRType, answer: LabAnswer, allocate: (length: number) => [Buffer, number]): boolean {
    let flags = RCODE_NUMBER[answer.rcode] ?? 2;
    if (view.kind === 'resolver') flags |= dnsPacket.RECURSION_AVAILABLE;
    if (answer.aa) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
    let end = -1;
    try {
      end = encodeAnswerWire({ flags, name, type, answers: answer.answers, authorities: answer.authorities }, encodeScratch, 0);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err; // larger than the scratch buffer: dns-packet sizes it
    }
    const wire = end >= 0 ? encodeScratch.subarray(0, end) : dnsPacket.encode(answerPacket(view, { name, type, class: 'IN' }, answer, true));
    if (wire.length > 0xffff) return false;
    const [target, offset] = allocate(2 + wire.length);
    target.writeUInt16BE(wire.length, offset);
    wire.copy(target, offset + 2);
    return true;
  }

  function precompute(view: View, key: string, answer: LabAnswer, name: string, type: LabRRType): void {
    let position = -1;
    if (answer.action?.kind !== 'drop') {
      const stored = encodeStored(view, name, type, answer, (length) => {
        position = arena.reserve(length);
        return [arena.chunk(position), arena.offset(position)];
      });
      if (!stored) return;
    }
    view.precomputed.set(key, position, answer.action);
    precomputedAnswers++;
  }

  function warmSite(index: number): number {
    if (warmed[index]) return 0;
    const site = world.buildSite(index);
    const suffix = '.' + site.domain;
    const keys = new Map<string, string>(); // one key string per question, shared by the views
    let answers = 0;
    for (const { address, name, type } of siteQuestions(site)) {
      const view = address === null ? resolverView : nameServerViews.get(address);
      if (!view) continue;
      const memo = name + ' ' + type;
      let key = keys.get(memo);
      if (key === undefined) keys.set(memo, (key = questionKey(name, type)));
      if (view.precomputed.positions.has(key)) continue; // a shared name (a provider's host) seen before
      const inSite = name === site.domain || name.endsWith(suffix);
      const answer =
        address === null
          ? inSite ? world.resolveInSite(site, name, type) : world.resolve(name, type)
          : inSite ? world.authoritativeInSite(site, address, name, type) : world.authoritative(address, name, type);
      precompute(view, key, answer, name, type);
      answers++;
    }
    warmed[index] = 1;
    warmedSites++;
    return answers;
  }

  async function warm(range: WarmRange = {}): Promise<WarmResult> {
    const from = range.from ?? 0;
    const to = range.to ?? world.size;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > world.size || from > to) {
      throw new RangeError(`lab server warm: range ${String(from)}..${String(to)} is not within 0..${world.size}`);
    }
    const cpu = process.cpuUsage();
    let answers = 0;
    let index = from;
    while (index < to && !stopped) {
      const sliceEnd = performance.now() + WARM_SLICE_MS;
      while (index < to && performance.now() < sliceEnd) {
        for (const end = Math.min(to, index + 16); index < end; index++) answers += warmSite(index);
      }
      if (index < to) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const used = process.cpuUsage(cpu);
    return { sites: to - from, answers, cpuSeconds: (used.user + used.system) / 1e6 };
  }

  /** Answers a query the reader understood; returns false when it must take the full path. */
  function respondFromStore(view: View, query: Buffer, q: QueryView, transport: 'udp' | 'tcp', to: Destination): boolean {
    let buffer: Buffer;
    let offset: number;
    let action: FaultAction | undefined;
    const position = view.precomputed.positions.get(q.key);
    if (position !== undefined) {
      stats.cacheHits++;
      stats.precomputedHits++;
      if (position >= 0) {
        buffer = arena.chunk(position);
        offset = arena.offset(position);
      } else {
        const faulted = view.precomputed.faulted[-position - 1];
        action = faulted.action;
        if (faulted.position < 0) {
          stats.dropped++;
          return true;
        }
        buffer = arena.chunk(faulted.position);
        offset = arena.offset(faulted.position);
      }
    } else {
      const lazyKey = view.prefix + q.key;
      let entry = lazy.get(lazyKey);
      if (entry) stats.cacheHits++;
      else {
        const type = labTypeOf(q.type);
        if (type === undefined) return false; // a type the world does not know: dns-packet names it
        const name = nameOfKey(q.key);
        const answer = lookup(view, name, type);
        const created: LazyEntry = { wire: Buffer.alloc(0), action: answer.action };
        if (answer.action?.kind !== 'drop') {
          const stored = encodeStored(view, name, type, answer, (length) => {
            created.wire = Buffer.allocUnsafe(length);
            return [created.wire, 0];
          });
          if (!stored) return false;
        }
        lazy.set(lazyKey, (entry = created));
      }
      action = entry.action;
      if (action?.kind === 'drop') {
        stats.dropped++;
        return true;
      }
      buffer = entry.wire;
      offset = 0;
    }
    const start = offset + 2;
    const length = q.edns ? buffer.readUInt16BE(offset) : buffer.readUInt16BE(offset) - OPT_RECORD_LENGTH;
    let wire: Buffer;
    if (transport === 'udp' && (action?.kind === 'truncate' || length > q.udpLimit)) {
      stats.truncated++;
      wire = truncatedResponse(buffer.subarray(start, start + length), q.questionEnd - 12, q.edns);
    } else {
      wire = Buffer.allocUnsafe(length);
      buffer.copy(wire, 0, start, start + length);
      if (!q.edns) wire[11] = 0; // ARCOUNT: the stored wire's only additional record is the OPT left out
    }
    wire[0] = query[0]; // ID
    wire[1] = query[1];
    wire[2] = (wire[2] & 0xfe) | (query[2] & 0x01); // RD copied from the query
    if (q.mixedCase) query.copy(wire, 12, 12, q.questionEnd);
    sendMaybeLater(wire, action, to);
    return true;
  }

  function sendMaybeLater(wire: Buffer, action: FaultAction | undefined, to: Destination): void {
    if (action?.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        deliver(wire, to);
      }, action.ms);
      timers.add(timer);
    } else deliver(wire, to);
  }

  function deliver(wire: Buffer, to: Destination): void {
    if (stopped) return;
    if (to.udp) to.udp.send(wire, to.port, to.address);
    else if (to.tcp && !to.tcp.destroyed) {
      const frame = Buffer.allocUnsafe(2 + wire.length);
      frame.writeUInt16BE(wire.length, 0);
      wire.copy(frame, 2);
      to.tcp.write(frame);
    }
  }

  function respond(view: View, query: Buffer, transport: 'udp' | 'tcp', to: Destination): void {
    stats.queries++;
    if (transport === 'udp') stats.udp++;
    else stats.tcp++;
    const q = readQuery(query);
    if (q !== undefined && respondFromStore(view, query, q, transport, to)) return;
    respondInFull(view, query, transport, to);
  }

  /** Anything the reader does not take: decoded by dns-packet, looked up and encoded afresh. */
  function respondInFull(view: View, query: Buffer, transport: 'udp' | 'tcp', to: Destination): void {
    stats.fullDecodes++;
    let packet: dnsPacket.Packet;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      if (query.length >= 12) deliver(errorResponse(query, 1), to);
      stats.formerr++;
      return;
    }
    const question = packet.questions?.[0];
    if (packet.type !== 'query' || !question || packet.questions!.length !== 1) {
      deliver(errorResponse(query, 1), to);
      stats.formerr++;
      return;
    }
    const opt = packet.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const answer = lookup(view, question.name.toLowerCase(), question.type);
    const action = answer.action;
    if (action?.kind === 'drop') {
      stats.dropped++;
      return;
    }
    const full = dnsPacket.encode(answerPacket(view, question, answer, opt !== undefined));
    const questionBytes = questionLength(query);
    let wire: Buffer;
    const udpLimit = opt ? Math.max(512, Math.min(opt.udpPayloadSize ?? 512, 65535)) : 512;
    if (transport === 'udp' && (action?.kind === 'truncate' || full.length > udpLimit)) {
      stats.truncated++;
      wire = truncatedResponse(full, questionLength(full), opt !== undefined);
    } else wire = full;
    query.copy(wire, 0, 0, 2); // ID
    wire[2] = (wire[2] & 0xfe) | (query[2] & 0x01); // RD copied from the query
    if (questionBytes === questionLength(wire)) query.copy(wire, 12, 12, 12 + questionBytes);
    sendMaybeLater(wire, action, to);
  }

  async function listenUdp(view: View, address: string, port: number): Promise<dgram.Socket> {
    const family = net.isIPv6(address) ? 6 : 4;
    let bound = false;
    // dgram passes every send's address through `lookup` (dns.lookup by default, which answers
    // even an IP literal on a later tick). Once bound, the socket only answers the IP literal a
    // query came from: hand it back at once.
    const lookup = (host: string, options: unknown, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void) =>
      bound ? callback(null, host, family) : literalLookup(host, options as dns.LookupOneOptions, callback);
    const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', recvBufferSize: 1 << 22, sendBufferSize: 1 << 22, lookup: lookup as unknown as dgram.SocketOptions['lookup'] });
    socket.on('message', (msg, rinfo) => {
      respond(view, msg, 'udp', { udp: socket, tcp: undefined, port: rinfo.port, address: rinfo.address });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined); // a send to a vanished client must not kill the server
        bound = true;
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
          respond(view, message, 'tcp', { udp: undefined, tcp: conn, port: 0, address: '' });
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

  // Resolver view: one UDP socket and one TCP listener on the same port. An ephemeral UDP port
  // may be taken for TCP (the local end of some connection), so retry with a fresh one.
  let resolverPort = 0;
  for (let attempt = 0; ; attempt++) {
    const udp = await listenUdp(resolverView, host, options.port ?? 0);
    resolverPort = udp.address().port;
    try {
      await listenTcp(resolverView, host, resolverPort);
      break;
    } catch (err) {
      udpSockets.splice(udpSockets.indexOf(udp), 1);
      udp.close();
      if (options.port !== undefined || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        await closeAll();
        throw new Error(`lab server: cannot listen on ${host}:${resolverPort} over TCP: ${(err as Error).message}`);
      }
    }
  }

  // Name servers: every address on one common port. An ephemeral port free on the first address
  // may be taken on another, so retry with a fresh port a few times.
  const addresses = world.nameServerAddresses;
  let nameServerPort = options.nameServerPort ?? 0;
  for (let attempt = 0; ; attempt++) {
    const opened: Array<dgram.Socket | net.Server> = [];
    try {
      const first = await listenUdp(nameServerViews.get(addresses[0])!, addresses[0], nameServerPort);
      opened.push(first);
      const port = first.address().port;
      opened.push(await listenTcp(nameServerViews.get(addresses[0])!, addresses[0], port));
      for (const address of addresses.slice(1)) {
        opened.push(await listenUdp(nameServerViews.get(address)!, address, port));
        opened.push(await listenTcp(nameServerViews.get(address)!, address, port));
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

  if (options.precompute ?? world.size <= PRECOMPUTE_DEFAULT_MAX_SITES) {
    try {
      await warm();
    } catch (err) {
      await closeAll();
      throw err;
    }
  }

  return {
    resolver: net.isIPv6(host) ? `[${host}]:${resolverPort}` : `${host}:${resolverPort}`,
    nameServerPort,
    nameServerAddresses: addresses,
    world,
    stats: () => ({ ...stats }),
    warm,
    memory: () => {
      const size = arena.size();
      return { precomputedAnswers, precomputedSites: warmedSites, arenaAllocatedBytes: size.allocatedBytes, arenaUsedBytes: size.usedBytes, cachedAnswers: lazy.size };
    },
    stop: closeAll,
  };
}

/** An IP literal at once; anything else through dns.lookup. */
function literalLookup(address: string, family: number | dns.LookupOneOptions, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  const version = net.isIP(address);
  if (version !== 0) callback(null, address, version);
  else dns.lookup(address, family as dns.LookupOneOptions, callback);
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
