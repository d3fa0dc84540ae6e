// Export of the lab world as RFC 1035 §5 master files, one per zone, plus server configurations
// (BIND named.conf and NSD nsd.conf) listing them, so a standard authoritative server can serve
// the same world. Injected faults and per-server misbehaviour (lame servers, inconsistent NS sets,
// stale serials) are not expressible in zone data; each site's zone file names its scenario and
// faults in a comment instead.
import fs from 'node:fs';
import path from 'node:path';
import { LabRecord, LabZone, absolute, presentData, rr } from './records';
import type { LabWorld } from './world';

export interface ZoneExportOptions {
  /** First and last-plus-one site index to export (default: the whole world). */
  from?: number;
  to?: number;
}

export interface ExportedZone {
  origin: string;
  file: string; // file name inside the output folder
  text: string;
}

/** RFC 3597 §5 generic form, for rdata the type's own presentation cannot express (empty CAA tag, empty key). */
function genericRdata(record: LabRecord): string | null {
  if (record.type === 'CAA' && record.data.tag.length === 0) {
    const value = Buffer.from(record.data.value, 'utf8');
    const rdata = Buffer.concat([Buffer.from([record.data.flags, 0]), value]);
    return `\\# ${rdata.length} ${rdata.toString('hex')}`;
  }
  if (record.type === 'DNSKEY' && record.data.key.length === 0) {
    const rdata = Buffer.from([record.data.flags >> 8, record.data.flags & 0xff, 3, record.data.algorithm]);
    return `\\# ${rdata.length} ${rdata.toString('hex')}`;
  }
  return null;
}

/** One record as a master-file line: absolute owner, TTL, class, type, rdata. */
export function masterFileLine(record: LabRecord): string {
  const generic = genericRdata(record);
  const type = generic ? `TYPE${record.type === 'CAA' ? 257 : 48}` : record.type;
  return `${absolute(record.name)}\t${record.ttl}\tIN\t${type}\t${generic ?? presentData(record)}`;
}

export function zoneText(zone: LabZone, comments: string[] = []): string {
  const soa = zone.records.filter((r) => r.type === 'SOA');
  const rest = zone.records.filter((r) => r.type !== 'SOA');
  const lines = [
    ...comments.map((c) => `; ${c}`),
    `$ORIGIN ${absolute(zone.origin)}`,
    '$TTL 3600',
    ...[...soa.slice(0, 1), ...rest, ...soa.slice(1)].map(masterFileLine),
  ];
  return lines.join('\n') + '\n';
}

const fileNameFor = (origin: string): string => `${origin.replace(/[^a-z0-9.-]/gi, '_')}.zone`;

/** Every zone of sites [from, to): the sites' zones, their TLD zones (delegations, glue, DS) and the provider zones. */
export function exportZones(world: LabWorld, options: ZoneExportOptions = {}): ExportedZone[] {
  const from = options.from ?? 0;
  const to = Math.min(options.to ?? world.size, world.size);
  if (!(from >= 0 && from <= to)) throw new Error(`exportZones: bad site range ${from}..${to}`);
  const zones: ExportedZone[] = [];
  const tldRecords = new Map<string, LabRecord[]>(world.siteTlds.map((tld) => [tld, [world.tldSoa(tld), rr(tld, 'NS', 'a.lab-tld-servers.example.net', 86400)]]));
  for (let i = from; i < to; i++) {
    const site = world.site(i);
    if (site.nonexistent) continue;
    const tld = site.domain.slice(site.domain.indexOf('.') + 1);
    const parent = tldRecords.get(tld) as LabRecord[];
    for (const ns of site.nameServers) {
      parent.push(rr(site.domain, 'NS', ns.host, 86400));
      if (ns.address && (ns.host === site.domain || ns.host.endsWith('.' + site.domain))) parent.push(rr(ns.host, 'A', ns.address, 86400));
    }
    parent.push(...site.ds);
    const scenario = world.scenarioOf(i);
    const comments = [`lab site rank ${site.rank}, scenario ${scenario.id}: ${scenario.description}`];
    if (scenario.faults.length > 0) comments.push(`faults the lab server injects (not expressible here): ${scenario.faults.join('; ')}`);
    zones.push({ origin: site.domain, file: fileNameFor(site.domain), text: zoneText(site.zone, comments) });
    for (const child of site.childZones) zones.push({ origin: child.origin, file: fileNameFor(child.origin), text: zoneText(child) });
  }
  for (const [tld, records] of tldRecords) zones.push({ origin: tld, file: fileNameFor(tld), text: zoneText({ origin: tld, records }) });
  for (const zone of world.infrastructureZones()) zones.push({ origin: zone.origin, file: fileNameFor(zone.origin), text: zoneText(zone) });
  return zones;
}

export function namedConf(zones: ExportedZone[]): string {
  return zones.map((z) => `zone "${z.origin}" {\n\ttype primary;\n\tfile "${z.file}";\n};\n`).join('');
}

export function nsdConf(zones: ExportedZone[]): string {
  return zones.map((z) => `zone:\n\tname: "${z.origin}"\n\tzonefile: "${z.file}"\n`).join('');
}

/** Writes every zone file plus named.conf and nsd.conf into `dir`; returns the zones written. */
export function writeZoneFiles(world: LabWorld, dir: string, options: ZoneExportOptions = {}): ExportedZone[] {
  fs.mkdirSync(dir, { recursive: true });
  const zones = exportZones(world, options);
  for (const zone of zones) fs.writeFileSync(path.join(dir, zone.file), zone.text);
  fs.writeFileSync(path.join(dir, 'named.conf'), namedConf(zones));
  fs.writeFileSync(path.join(dir, 'nsd.conf'), nsdConf(zones));
  return zones;
}
