// `npm run bench -- <name> [flags]`: runs bench/<name>.ts and prints one JSON line of figures.
import path from 'node:path';
import fs from 'node:fs';

export interface Benchmark {
  /** Runs the benchmark and returns its figures (printed as one JSON line). */
  run(argv: string[]): Promise<Record<string, unknown>>;
}

async function main(): Promise<void> {
  const [name, ...argv] = process.argv.slice(2);
  const available = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.startsWith('_'))
    .map((f) => f.replace(/\.ts$/, ''));
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <${available.join('|')}> [flags]`);
    process.exit(2);
  }
  const mod = (await import(path.join(__dirname, `${name}.ts`))) as Benchmark;
  const figures = await mod.run(argv);
  process.stdout.write(JSON.stringify({ bench: name, ...figures }) + '\n');
  process.exit(0);
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
