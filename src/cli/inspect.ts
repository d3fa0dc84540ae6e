// `dnstats inspect DOMAIN`: one site scanned, processed and graded, everything printed — what an
// operator runs to see why a site got its grade.
import { createScanner, scannerOptionsFromEnv } from '../dns/scanner';
import { processSite, gradeSite } from '../checks';
import { REMARKS } from '../checks/remarks';
import { letterGrade } from '../checks/tables';
import { GRADED_AREAS, RemarkLevel, type SiteFacts, type SiteGrades } from '../checks/types';
import type { QueryOutcome, SiteScan } from '../dns/types';
import { queriesIn } from '../dns/site-queries';

export interface InspectResult {
  scan: SiteScan;
  facts: SiteFacts;
  grades: SiteGrades;
}

export async function inspectDomain(domain: string, resolver?: string, env: NodeJS.ProcessEnv = process.env): Promise<InspectResult> {
  const options = scannerOptionsFromEnv(resolver ? { ...env, DNSTATS_RESOLVERS: resolver } : env);
  const scanner = createScanner(options);
  try {
    const scan = await scanner.scanSite(domain);
    const facts = processSite(scan);
    return { scan, facts, grades: gradeSite(scan, facts) };
  } finally {
    await scanner.close();
  }
}

function describeQuery(q: QueryOutcome): string {
  const head = `${q.name} ${q.type}`.padEnd(48);
  const where = q.server ? ` @${q.server}${q.transport === 'tcp' ? '/tcp' : ''} ${q.rttMs ?? '?'} ms${q.attempts && q.attempts > 1 ? ` ${q.attempts} tries` : ''}` : '';
  const flags = q.flags ? ` ${['aa', 'tc', 'ad'].filter((f) => q.flags![f as 'aa']).join(' ')}` : '';
  const body = q.records.length ? q.records.map((r) => `\n      ${r}`).join('') : q.error ? ` (${q.error})` : '';
  return `  ${head} ${q.status}${where}${flags}${body}`;
}

export function formatInspection({ scan, facts, grades }: InspectResult): string {
  const lines: string[] = [`${scan.domain} scanned ${scan.startedAt} in ${Date.parse(scan.endedAt) - Date.parse(scan.startedAt)} ms`, '', 'Queries:'];
  for (const q of queriesIn(scan)) lines.push(describeQuery(q));
  lines.push('', 'Derived facts:');
  for (const [key, value] of Object.entries(facts)) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  lines.push('', 'Grades:');
  for (const area of GRADED_AREAS) {
    const { grade, remarks } = grades[area];
    lines.push(`  ${area.toUpperCase().padEnd(7)} ${grade === null ? 'n/a (lookups failed)' : `${grade} (${letterGrade(grade)})`}`);
    for (const ref of remarks) {
      const remark = REMARKS.find((r) => r.type === ref.type && r.value === ref.value);
      lines.push(`    - [${remark ? RemarkLevel[remark.level] : '?'}] ${remark?.name ?? ref.value}: ${remark?.text ?? ''}`);
    }
  }
  return lines.join('\n');
}
