// What scanning and grading must give for each lab site, for end-to-end tests and researchers.
//
// Scan expectations are read off the world (the status each query of spec §5.2 must record, given
// the records and injected faults). Fact and grade expectations are the scenario's stated intent
// (scenarios.ts, grading-intent.ts): an independent statement of what the checks library must
// give, never computed by calling it.
import fs from 'node:fs';
import type { QueryStatus } from '../dns/types';
import { GRADED_AREAS } from '../checks/types';
import { ExpectedFacts } from './site-builder';
import { SiteGradeExpectations } from './grading-intent';
import { LabAnswer, LabRRType } from './records';
import type { LabWorld } from './world';

export interface ExpectedQuery {
  status: QueryStatus;
  /** Set when the answer only fits over TCP (UDP answers carry TC). */
  transport?: 'tcp';
  /** Set for direct queries to a name server: whether the answer must carry AA. */
  aa?: boolean;
}

export interface SiteExpectations {
  rank: number;
  domain: string;
  scenario: string;
  scan: {
    mx: ExpectedQuery;
    txt: ExpectedQuery;
    caa: ExpectedQuery;
    ds: ExpectedQuery;
    dnskey: ExpectedQuery;
    ns: ExpectedQuery;
    soa: ExpectedQuery;
    dmarc: ExpectedQuery;
    bimi: ExpectedQuery;
    msdcsSoa: ExpectedQuery;
    nameServers: Array<{ host: string; a: ExpectedQuery; addresses: string[]; direct: Array<{ address: string; ns: ExpectedQuery; soa: ExpectedQuery }> }>;
    mxHosts: Array<{ host: string; a: ExpectedQuery; aaaa: ExpectedQuery }>;
  };
  facts: ExpectedFacts;
  grades: SiteGradeExpectations;
  notes: string[];
}

function status(answer: LabAnswer, type: LabRRType): QueryStatus {
  if (answer.action?.kind === 'drop') return 'TIMEOUT';
  if (answer.rcode !== 'NOERROR') return answer.rcode;
  return answer.answers.some((r) => r.type === type) ? 'NOERROR' : 'NODATA';
}

function expected(answer: LabAnswer, type: LabRRType, extra: Partial<ExpectedQuery> = {}): ExpectedQuery {
  const out: ExpectedQuery = { status: status(answer, type), ...extra };
  if (answer.action?.kind === 'truncate') out.transport = 'tcp';
  return out;
}

export function expectationsFor(world: LabWorld, index: number): SiteExpectations {
  const site = world.site(index);
  const d = site.domain;
  const q = (name: string, type: LabRRType) => expected(world.resolve(name, type), type);
  const nsAnswer = world.resolve(d, 'NS');
  const nsHosts = nsAnswer.action?.kind === 'drop' ? [] : nsAnswer.answers.filter((r) => r.type === 'NS').map((r) => (r.data as string).toLowerCase());
  const nameServers = nsHosts.map((host) => {
    const a = world.resolve(host, 'A');
    const addresses = a.action?.kind === 'drop' ? [] : a.answers.filter((r) => r.type === 'A').map((r) => r.data as string);
    return {
      host,
      a: expected(a, 'A'),
      addresses,
      direct: addresses.map((address) => {
        const ns = world.authoritative(address, d, 'NS');
        const soa = world.authoritative(address, d, 'SOA');
        return { address, ns: expected(ns, 'NS', { aa: ns.aa }), soa: expected(soa, 'SOA', { aa: soa.aa }) };
      }),
    };
  });
  const mxAnswer = world.resolve(d, 'MX');
  const mxHosts = (mxAnswer.action?.kind === 'drop' ? [] : mxAnswer.answers)
    .filter((r) => r.type === 'MX')
    .map((r) => (r.data as { exchange: string }).exchange.toLowerCase())
    .filter((host, i, all) => host !== '' && all.indexOf(host) === i)
    .map((host) => ({ host, a: q(host, 'A'), aaaa: q(host, 'AAAA') }));
  const grades = {} as SiteGradeExpectations;
  for (const area of GRADED_AREAS) grades[area] = site.expect.grades[area];
  return {
    rank: site.rank,
    domain: d,
    scenario: site.scenario,
    scan: {
      mx: q(d, 'MX'),
      txt: q(d, 'TXT'),
      caa: q(d, 'CAA'),
      ds: q(d, 'DS'),
      dnskey: q(d, 'DNSKEY'),
      ns: expected(nsAnswer, 'NS'),
      soa: q(d, 'SOA'),
      dmarc: q(`_dmarc.${d}`, 'TXT'),
      bimi: q(`default._bimi.${d}`, 'TXT'),
      msdcsSoa: q(`_msdcs.${d}`, 'SOA'),
      nameServers,
      mxHosts,
    },
    facts: site.expect.facts,
    grades,
    notes: site.expect.notes,
  };
}

/** Writes one JSON object per site (ranks from..to-1), in rank order; returns the number written. */
export async function writeExpectations(world: LabWorld, path: string, range: { from?: number; to?: number } = {}): Promise<number> {
  const from = range.from ?? 0;
  const to = Math.min(range.to ?? world.size, world.size);
  const out = fs.createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  for (let i = from; i < to; i++) {
    if (!out.write(JSON.stringify(expectationsFor(world, i)) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await done;
  return to - from;
}

/** Reads an expectations file written by writeExpectations. */
export function readExpectations(path: string): SiteExpectations[] {
  return fs
    .readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line, i) => {
      try {
        return JSON.parse(line) as SiteExpectations;
      } catch (err) {
        throw new Error(`${path}:${i + 1}: not a JSON expectations line (${(err as Error).message})`);
      }
    });
}
