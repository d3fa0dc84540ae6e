// Builds one lab site: the baseline (a typical, healthy site with realistic provider choices) and
// then the site's scenario, which changes some records, injects faults and states what it expects.
import type { GradedArea, SiteFacts } from '../checks/types';
import { AreaExpectation, SiteGradeExpectations } from './grading-intent';
import {
  FaultAction,
  LabRRType,
  LabRecord,
  LabZone,
  NameServerBehaviour,
  ResolverFault,
  SoaFields,
  rr,
} from './records';
import { Rng } from './random';

export interface LabNameServer {
  host: string;
  /** Loopback address the lab serves this host on; null when the host has no address. */
  address: string | null;
  behaviour: NameServerBehaviour;
}

/** Facts the processing stage must derive (SiteFacts field names); absent = not asserted. */
export type ExpectedFacts = Partial<SiteFacts>;

export interface LabSite {
  index: number;
  rank: number;
  domain: string;
  scenario: string;
  /** The site's zone (apex = domain) and any child zones it delegates (e.g. `_msdcs`). */
  zone: LabZone;
  childZones: LabZone[];
  /** DS RRset the parent zone publishes for the domain. */
  ds: LabRecord[];
  /** NS RRset the parent delegates to (normally the same hosts as the apex NS). */
  nameServers: LabNameServer[];
  faults: ResolverFault[];
  /** When true the domain does not exist at all (NXDOMAIN everywhere, no delegation). */
  nonexistent: boolean;
  expect: { grades: SiteGradeExpectations; facts: ExpectedFacts; notes: string[] };
}

type RRsets = Map<string, Map<LabRRType, LabRecord[]>>;

export class SiteBuilder {
  readonly records: RRsets = new Map();
  readonly childZones: LabZone[] = [];
  ds: LabRecord[] = [];
  nameServers: LabNameServer[] = [];
  readonly faults: ResolverFault[] = [];
  nonexistent = false;
  readonly grades = {} as SiteGradeExpectations;
  readonly facts: ExpectedFacts = {};
  readonly notes: string[] = [];
  /** Baseline choices scenarios may read. */
  hasMx = false;
  mailProviderId: number | null = null;

  constructor(
    readonly index: number,
    readonly domain: string,
    readonly seed: number,
    readonly rng: Rng,
    readonly pickNameServerAddress: (slot: number) => string,
  ) {}

  /** `label.<domain>` (or the domain itself for '' / '@'). */
  n(label: string): string {
    return label === '' || label === '@' ? this.domain : `${label}.${this.domain}`;
  }

  set(name: string, type: LabRRType, records: LabRecord[]): void {
    let byType = this.records.get(name);
    if (!byType) this.records.set(name, (byType = new Map()));
    if (records.length === 0) byType.delete(type);
    else byType.set(type, records);
    if (byType.size === 0) this.records.delete(name);
  }

  get(name: string, type: LabRRType): LabRecord[] {
    return this.records.get(name)?.get(type) ?? [];
  }

  remove(name: string, type?: LabRRType): void {
    if (type === undefined) this.records.delete(name);
    else this.set(name, type, []);
  }

  /** Replaces the TXT RRset at `name`; each argument is one record (a string or its character-strings). */
  txt(name: string, ...records: Array<string | string[]>): void {
    this.set(
      name,
      'TXT',
      records.map((r) => rr(name, 'TXT', typeof r === 'string' ? splitCharacterStrings(r) : r)),
    );
  }

  /** Replaces the apex SPF record(s), keeping the apex's other TXT records. */
  spf(...records: Array<string | string[]>): void {
    const apex = this.domain;
    const others = this.get(apex, 'TXT').filter((r) => !(r.data as string[]).join('').toLowerCase().startsWith('v=spf1'));
    this.set(apex, 'TXT', [
      ...others,
      ...records.map((r) => rr(apex, 'TXT', typeof r === 'string' ? splitCharacterStrings(r) : r)),
    ]);
  }

  mx(...entries: Array<[number, string]>): void {
    this.set(
      this.domain,
      'MX',
      entries.map(([preference, exchange]) => rr(this.domain, 'MX', { preference, exchange })),
    );
  }

  a(name: string, ...addresses: string[]): void {
    this.set(name, 'A', addresses.map((address) => rr(name, 'A', address)));
  }

  caa(...entries: Array<[number, string, string]>): void {
    this.set(
      this.domain,
      'CAA',
      entries.map(([flags, tag, value]) => rr(this.domain, 'CAA', { flags, tag, value })),
    );
  }

  soa(fields: Partial<SoaFields>): void {
    const current = this.get(this.domain, 'SOA')[0]?.data as SoaFields;
    this.set(this.domain, 'SOA', [rr(this.domain, 'SOA', { ...current, ...fields })]);
  }

  soaFields(): SoaFields {
    return this.get(this.domain, 'SOA')[0]?.data as SoaFields;
  }

  /** Sets the NS RRset at the apex and the delegation (same hosts) with their behaviours. */
  setNameServers(servers: LabNameServer[]): void {
    this.nameServers = servers;
    this.set(this.domain, 'NS', servers.map((s) => rr(this.domain, 'NS', s.host)));
  }

  fault(name: string, type: LabRRType | '*', action: FaultAction): void {
    this.faults.push({ name, type, action });
  }

  expect(area: GradedArea, expectation: AreaExpectation): void {
    this.grades[area] = expectation;
  }

  build(rank: number, scenario: string): LabSite {
    const records: LabRecord[] = [];
    for (const byType of this.records.values()) for (const set of byType.values()) records.push(...set);
    return {
      index: this.index,
      rank,
      domain: this.domain,
      scenario,
      zone: { origin: this.domain, records },
      childZones: this.childZones,
      ds: this.ds,
      nameServers: this.nameServers,
      faults: this.faults,
      nonexistent: this.nonexistent,
      expect: { grades: this.grades, facts: this.facts, notes: this.notes },
    };
  }
}

/** TXT data longer than 255 bytes must be split into several character-strings (RFC 1035 §3.3.14). */
export function splitCharacterStrings(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 255) return [text];
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255).toString('utf8'));
  return parts;
}
