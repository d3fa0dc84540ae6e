import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLabWorld } from '../../../src/lab/world';
import { expectationsFor, readExpectations, writeExpectations } from '../../../src/lab/expectations';
import { LAB_DNS_PROVIDERS, LAB_EMAIL_PROVIDERS } from '../../../src/lab/providers';
import { REMARKS, DNS_PROVIDERS, EMAIL_PROVIDERS } from '../../../src/checks';
import { GRADED_AREAS } from '../../../src/checks/types';

// Codes the lab cannot raise through DNS data: presentation text rendered from wire records can
// never have these shapes (a wire MX always renders as "preference exchange.", a wire SOA as seven
// numbers in range, CAA flags as one octet and the value always quoted).
const UNREACHABLE_FROM_WIRE: Record<string, string> = {
  'mx:BLANK_MX_RECORD': 'a rendered MX is never empty',
  'mx:TOO_MANY_PARTS': 'a rendered MX has exactly two fields',
  'mx:TOO_FEW_PARTS': 'a rendered MX has exactly two fields',
  'mx:PREFERENCE_OUT_OF_RANGE': 'the preference is a 16-bit field',
  'mx:INVALID_PREFERENCE': 'the preference is a 16-bit field',
  'soa:SOA_INVALID': 'a rendered SOA has exactly seven fields',
  'soa:INVALID_SERIAL': 'SOA numbers are 32-bit fields',
  'soa:INVALID_REFRESH': 'SOA numbers are 32-bit fields',
  'soa:INVALID_RETRY': 'SOA numbers are 32-bit fields',
  'soa:INVALID_EXPIRE': 'SOA numbers are 32-bit fields',
  'soa:INVALID_MINIMUM': 'SOA numbers are 32-bit fields',
  'soa:SERIAL_NOT_IN_RANGE': 'the serial is a 32-bit field (RFC 1982 arithmetic, no range)',
  'caa:INVALID_FLAG': 'CAA flags are one octet',
  'caa:VALUE_NOT_QUOTED': 'a rendered CAA value is always quoted',
};

// Codes the checks library marks as emitted but cannot raise for a scanned site: its grader only
// evaluates records that already passed isSpfRecord (src/checks/spf.ts), so a scan never reaches the
// INVALID_RECORD_START branch (it is reachable only through evaluateSpf called directly).
const NOT_RAISED_FOR_SCANS: Record<string, string> = {
  'spf:INVALID_RECORD_START': 'records reaching the evaluator already start with v=spf1',
};

describe('lab expectations', () => {
  const world = createLabWorld({ sites: 2000 });
  const all = Array.from({ length: world.size }, (_, i) => expectationsFor(world, i));

  it('names only remark codes that exist in the checks catalogue', () => {
    const known = new Set(REMARKS.map((r) => `${r.type}:${r.name}`));
    const unknown = new Set<string>();
    for (const e of all) for (const area of GRADED_AREAS) for (const name of e.grades[area].remarks) if (!known.has(`${area}:${name}`)) unknown.add(`${area}:${name}`);
    expect([...unknown]).toEqual([]);
  });

  it('covers every remark code the checks library raises (default test world, 2,000 sites)', () => {
    const seen = new Set<string>();
    for (const e of all) for (const area of GRADED_AREAS) for (const name of e.grades[area].remarks) seen.add(`${area}:${name}`);
    const missing = REMARKS.filter((r) => r.emitted)
      .map((r) => `${r.type}:${r.name}`)
      .filter((key) => !seen.has(key) && !(key in UNREACHABLE_FROM_WIRE) && !(key in NOT_RAISED_FOR_SCANS));
    expect(missing).toEqual([]);
  });

  it('gives every area a grade in 0..100 or null, for every site', () => {
    const bad: string[] = [];
    for (const e of all) {
      for (const area of GRADED_AREAS) {
        const g = e.grades[area];
        if (!g || (g.grade !== null && !(Number.isInteger(g.grade) && g.grade >= 0 && g.grade <= 100))) bad.push(`${e.domain}/${area}: ${JSON.stringify(g)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('covers every provider row that the tables can match, and the lab table agrees with the checks table', () => {
    expect(LAB_DNS_PROVIDERS.map((p) => [p.id, p.match])).toEqual(DNS_PROVIDERS.map((p) => [p.id, p.matchString]));
    expect(LAB_EMAIL_PROVIDERS.map((p) => [p.id, p.match])).toEqual(EMAIL_PROVIDERS.map((p) => [p.id, p.matchString]));
    const dns = new Set(all.map((e) => e.facts.dnsProviderId));
    const mail = new Set(all.map((e) => e.facts.emailProviderId));
    // Row 29 is shadowed by row 9 (every host matching `.hostgator.com.` matches `hostgator.com.` first);
    // row 25's match string `{"0."}` cannot occur in a host name.
    expect(LAB_DNS_PROVIDERS.map((p) => p.id).filter((id) => !dns.has(id) && id !== 29)).toEqual([]);
    expect(LAB_EMAIL_PROVIDERS.map((p) => p.id).filter((id) => !mail.has(id) && id !== 25)).toEqual([]);
  });

  it('records the scan outcomes of injected faults', () => {
    const byScenario = (id: string) => all.find((e) => e.scenario === id)!;
    expect(byScenario('spf-txt-timeout').scan.txt.status).toBe('TIMEOUT');
    expect(byScenario('dmarc-servfail').scan.dmarc.status).toBe('SERVFAIL');
    expect(byScenario('spf-txt-refused').scan.txt.status).toBe('REFUSED');
    expect(byScenario('caa-formerr').scan.caa.status).toBe('FORMERR');
    expect(byScenario('large-txt-tcp').scan.txt).toEqual({ status: 'NOERROR', transport: 'tcp' });
    expect(byScenario('nxdomain').scan.soa.status).toBe('NXDOMAIN');
    const lame = byScenario('ns-lame-refused').scan.nameServers[2].direct[0];
    expect(lame.ns).toEqual({ status: 'REFUSED', aa: false });
    expect(byScenario('ns-timeout').scan.nameServers[2].direct[0].ns.status).toBe('TIMEOUT');
    expect(byScenario('msdcs').scan.msdcsSoa.status).toBe('NOERROR');
    expect(byScenario('typical').scan.msdcsSoa.status).toBe('NXDOMAIN');
  });

  it('writes and reads back the JSON-lines file form', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-exp-')), 'expectations.jsonl');
    expect(await writeExpectations(world, file, { from: 10, to: 60 })).toBe(50);
    const read = readExpectations(file);
    expect(read).toHaveLength(50);
    expect(read[0]).toEqual(JSON.parse(JSON.stringify(all[10])));
    expect(read[49].rank).toBe(60);
  });
});
