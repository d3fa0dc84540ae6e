// The lab's site list in Tranco's format (top-1m.csv: `rank,domain` lines, no header, CRLF-free),
// as CSV and as a zip holding top-1m.csv, plus a "changed" variant for import tests: some sites
// dropped, some re-ranked, some new, and a few malformed rows.
import { zipSync, strToU8 } from 'fflate';
import { Rng } from './random';
import type { LabWorld } from './world';

export type ListVariant = 'standard' | 'changed';

export interface ChangedList {
  /** The well-formed rows, in file order (rank order). */
  rows: Array<{ rank: number; domain: string }>;
  /** Lines that a strict importer must reject, verbatim. */
  malformed: string[];
  dropped: string[];
  added: string[];
  reranked: string[];
  /** The whole file, malformed lines included. */
  csv: string;
}

export function trancoCsv(world: LabWorld, variant: ListVariant = 'standard'): string {
  if (variant === 'changed') return changedList(world).csv;
  const lines: string[] = new Array(world.size);
  for (let i = 0; i < world.size; i++) lines[i] = `${i + 1},${world.domain(i)}`;
  return lines.join('\n') + '\n';
}

export function trancoZip(world: LabWorld, variant: ListVariant = 'standard'): Buffer {
  return Buffer.from(zipSync({ 'top-1m.csv': strToU8(trancoCsv(world, variant)) }, { level: 6 }));
}

/**
 * The next day's list: ~2% of sites dropped, ~3% moved a few places, ~1% new domains (not in the
 * world, so they do not resolve), and malformed rows scattered through the file.
 */
export function changedList(world: LabWorld): ChangedList {
  const rng = new Rng(world.seed, 'changed-list');
  const order: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < world.size; i++) {
    const domain = world.domain(i);
    if (i > 0 && rng.chance(0.02)) dropped.push(domain);
    else order.push(domain);
  }
  const reranked = new Set<string>();
  for (let k = 0; k < Math.max(1, Math.floor(order.length * 0.015)); k++) {
    const a = rng.int(0, order.length - 1);
    const b = Math.min(order.length - 1, a + rng.int(1, 5));
    if (a === b) continue;
    [order[a], order[b]] = [order[b], order[a]];
    reranked.add(order[a]).add(order[b]);
  }
  const added: string[] = [];
  for (let k = 0; k < Math.max(1, Math.floor(world.size * 0.01)); k++) {
    const domain = world.domain(world.size + k);
    added.push(domain);
    order.splice(rng.int(0, order.length), 0, domain);
  }
  const malformedPool = ['no-comma-here.test', 'abc,', ',orphan.test', '12x,badrank.test', '7,bad domain.test', '9,double..dot.test', '-3,negative.test'];
  const rows = order.map((domain, i) => ({ rank: i + 1, domain }));
  const lines = rows.map((r) => `${r.rank},${r.domain}`);
  const malformed: string[] = [];
  for (const line of malformedPool.slice(0, Math.min(malformedPool.length, 2 + Math.floor(world.size / 500)))) {
    malformed.push(line);
    lines.splice(rng.int(0, lines.length), 0, line);
  }
  return { rows, malformed, dropped, added, reranked: [...reranked], csv: lines.join('\n') + '\n' };
}
