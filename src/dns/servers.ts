// Server addresses ('host:port') and the system resolver list. Only IP literals are accepted:
// resolving a resolver's host name would need dns.lookup (libuv's 4-thread pool) or a resolver.
import fs from 'node:fs';
import net from 'node:net';

export interface ServerAddress {
  address: string; // IP literal, v6 without brackets
  port: number;
  family: 4 | 6;
}

/** The compressed lower-case form, as the kernel reports a datagram's source (so answers can be matched to it). */
export function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

export function formatServer(server: ServerAddress): string {
  return server.family === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

function checkPort(text: string, input: string, what: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new Error(`invalid ${what} ${JSON.stringify(input)}: port must be 1..65535`);
  }
  return Number(text);
}

/** Parses '1.2.3.4', '1.2.3.4:5353', '::1', '[::1]:5353'. `what` names the input in errors. */
export function parseServerAddress(input: string, defaultPort = 53, what = 'server address'): ServerAddress {
  const text = input.trim();
  let host = text;
  let port = defaultPort;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = checkPort(bracketed[2], input, what);
  } else if (net.isIPv6(text)) {
    host = text;
  } else if (text.includes(':')) {
    const at = text.lastIndexOf(':');
    host = text.slice(0, at);
    port = checkPort(text.slice(at + 1), input, what);
  }
  const family = net.isIP(host);
  if (family === 0) throw new Error(`invalid ${what} ${JSON.stringify(input)}: expected an IP address (host names are not resolved)`);
  return { address: family === 6 ? canonicalIPv6(host) : host, port, family: family as 4 | 6 };
}

/** The `nameserver` lines of resolv.conf(5), port 53; the file's documented default (the local machine) when none. */
export function systemResolvers(resolvConfPath = '/etc/resolv.conf'): string[] {
  let text = '';
  try {
    text = fs.readFileSync(resolvConfPath, 'utf8');
  } catch {
    return ['127.0.0.1:53'];
  }
  const servers: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!match) continue;
    const address = match[1]!.replace(/%.*$/, ''); // drop an IPv6 zone index
    if (net.isIP(address) === 0) continue;
    servers.push(net.isIPv6(address) ? `[${address}]:53` : `${address}:53`);
  }
  return servers.length > 0 ? servers : ['127.0.0.1:53'];
}
