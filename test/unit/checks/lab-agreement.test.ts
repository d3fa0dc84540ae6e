// Grading the lab world (scanned offline, see lab-scans.ts) agrees with the lab's expectations site
// for site: every area's grade and remark multiset, and every stated fact.
import { gradeSite, processSite } from '../../../src/checks';
import { findRemark } from '../../../src/checks/remarks';
import { GRADED_AREAS } from '../../../src/checks/types';
import { expectationsFor } from '../../../src/lab/expectations';
import { SCENARIOS } from '../../../src/lab/scenarios';
import { createLabWorld } from '../../../src/lab/world';
import { labScan } from './lab-scans';

const SITES = Math.max(SCENARIOS.length, 400) + 100;

describe('lab agreement (offline scans)', () => {
  it(`agrees with the expectations for ${SITES} sites, covering every scenario`, async () => {
    const world = createLabWorld({ sites: SITES });
    const disagreements: string[] = [];
    const scenariosSeen = new Set<string>();
    for (let i = 0; i < SITES; i++) {
      const scan = await labScan(world, i);
      const facts = processSite(scan);
      const grades = gradeSite(scan, facts);
      const expected = expectationsFor(world, i);
      scenariosSeen.add(expected.scenario);
      for (const area of GRADED_AREAS) {
        const got = grades[area];
        const want = expected.grades[area];
        const gotNames = got.remarks.map((r) => findRemark(r)!.name).sort();
        const wantNames = [...want.remarks].sort();
        if (got.grade !== want.grade || gotNames.join() !== wantNames.join()) {
          disagreements.push(`${expected.domain} (${expected.scenario}) ${area}: expected ${want.grade} [${wantNames}] got ${got.grade} [${gotNames}]`);
        }
      }
      for (const [key, value] of Object.entries(expected.facts)) {
        const got = (facts as unknown as Record<string, unknown>)[key];
        if (JSON.stringify(got) !== JSON.stringify(value)) {
          disagreements.push(`${expected.domain} (${expected.scenario}) fact ${key}: expected ${JSON.stringify(value)} got ${JSON.stringify(got)}`);
        }
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(scenariosSeen.size).toBe(SCENARIOS.length);
  });
});
