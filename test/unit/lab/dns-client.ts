// A minimal DNS client for the lab tests (one query, UDP or TCP, dns-packet wire format).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

export interface QueryOptions {
  tcp?: boolean;
  /** EDNS0 UDP payload size to advertise; omit for a plain query. */
  edns?: number;
  recursionDesired?: boolean;
  timeoutMs?: number;
}

export interface ReplyRecord {
  name: string;
  type: string;
  ttl?: number;
  data: unknown;
}

export interface Reply {
  id?: number;
  rcode?: string;
  flag_aa?: boolean;
  flag_tc?: boolean;
  flag_ra?: boolean;
  questions?: Array<{ name: string; type: string }>;
  answers?: ReplyRecord[];
  authorities?: ReplyRecord[];
  raw: Buffer;
}

export function encodeQuery(name: string, type: string, options: QueryOptions = {}, id = Math.floor(Math.random() * 65535)): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: options.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ type: type as dnsPacket.RecordType, name }],
    additionals: options.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: options.edns } as dnsPacket.Answer] : [],
  } as dnsPacket.Packet);
}

/** Resolves with the decoded reply, or null on timeout. */
export function query(server: string, port: number, name: string, type: string, options: QueryOptions = {}): Promise<Reply | null> {
  const wire = encodeQuery(name, type, options);
  const timeoutMs = options.timeoutMs ?? 1500;
  return options.tcp ? queryTcp(server, port, wire, timeoutMs) : queryUdp(server, port, wire, timeoutMs);
}

export function queryUdp(server: string, port: number, wire: Buffer, timeoutMs: number): Promise<Reply | null> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, timeoutMs);
    socket.on('message', (msg) => {
      // A late answer to an earlier query whose socket had this port is not the answer.
      if (wire.length >= 2 && (msg.length < 2 || msg.readUInt16BE(0) !== wire.readUInt16BE(0))) return;
      clearTimeout(timer);
      socket.close();
      try {
        resolve({ ...(dnsPacket.decode(msg) as unknown as Reply), raw: msg });
      } catch (err) {
        reject(err);
      }
    });
    socket.send(wire, port, server);
  });
}

function queryTcp(server: string, port: number, wire: Buffer, timeoutMs: number): Promise<Reply | null> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(port, server);
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      conn.destroy();
      resolve(null);
    }, timeoutMs);
    conn.on('connect', () => {
      const frame = Buffer.alloc(2 + wire.length);
      frame.writeUInt16BE(wire.length, 0);
      wire.copy(frame, 2);
      conn.write(frame);
    });
    conn.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        clearTimeout(timer);
        conn.destroy();
        const msg = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
        try {
          resolve({ ...(dnsPacket.decode(msg) as unknown as Reply), raw: Buffer.from(msg) });
        } catch (err) {
          reject(err);
        }
      }
    });
    conn.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function hostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}
