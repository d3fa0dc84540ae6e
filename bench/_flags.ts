// Flag parsing shared by the benchmarks (the leading `_` keeps bench/main.ts from listing it as
// one): node:util's parseArgs, unknown flags refused, numbers and choices checked and named.
import { parseArgs } from 'node:util';

export interface FlagReader {
  int(name: string, fallback: number, min?: number): number;
  optionalInt(name: string, min?: number): number | undefined;
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  optionalChoice<T extends string>(name: string, choices: readonly T[]): T | undefined;
  text(name: string): string | undefined;
}

export function readFlags(argv: string[], names: readonly string[]): FlagReader {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
  });
  const raw = (name: string): string | undefined => values[name] as string | undefined;
  const optionalInt = (name: string, min = 0): number | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value) || Number(value) < min) throw new Error(`--${name} needs a whole number ≥ ${min} (got ${JSON.stringify(value)})`);
    return Number(value);
  };
  const optionalChoice = <T extends string>(name: string, choices: readonly T[]): T | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) throw new Error(`--${name} must be ${choices.join(' or ')} (got ${JSON.stringify(value)})`);
    return value as T;
  };
  return {
    int: (name, fallback, min) => optionalInt(name, min) ?? fallback,
    optionalInt,
    choice: (name, choices, fallback) => optionalChoice(name, choices) ?? fallback,
    optionalChoice,
    text: raw,
  };
}
