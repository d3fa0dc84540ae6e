// The Prometheus text exposition format (version 0.0.4), written by hand: the scanner already
// keeps cumulative counters and a bucketed latency histogram (scanner.stats()), so the endpoint
// only renders a snapshot. prom-client would make us mirror each absolute value into its own
// counter objects by deltas (its counters cannot be set), for no gain.

export type Labels = Record<string, string | number>;

export interface HistogramSeries {
  upperBounds: readonly number[];
  cumulativeCounts: readonly number[];
  count: number;
  sum: number;
  labels?: Labels;
}

export interface Sample {
  labels?: Labels;
  value: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels | undefined): string {
  if (!labels) return '';
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries
    .map(([name, value]) => {
      if (!LABEL_NAME.test(name)) throw new Error(`invalid Prometheus label name ${JSON.stringify(name)}`);
      return `${name}="${escapeLabelValue(String(value))}"`;
    })
    .join(',')}}`;
}

/** Accumulates metric families and renders them as one exposition document. */
export class Exposition {
  private readonly lines: string[] = [];
  private readonly names = new Set<string>();

  private family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid Prometheus metric name ${JSON.stringify(name)}`);
    if (this.names.has(name)) throw new Error(`metric ${name} written twice`);
    this.names.add(name);
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }

  counter(name: string, help: string, samples: number | Sample[]): this {
    this.family(name, 'counter', help);
    for (const s of typeof samples === 'number' ? [{ value: samples }] : samples) this.lines.push(`${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    return this;
  }

  gauge(name: string, help: string, samples: number | Sample[]): this {
    this.family(name, 'gauge', help);
    for (const s of typeof samples === 'number' ? [{ value: samples }] : samples) this.lines.push(`${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    return this;
  }

  /**
   * A histogram (one series, or one per label set) from cumulative bucket counts:
   * `cumulativeCounts[i]` observations ≤ `upperBounds[i]`; when there is one more count than
   * bounds, the last is the +Inf bucket (which always equals `count`).
   */
  histogram(name: string, help: string, series: HistogramSeries | HistogramSeries[]): this {
    const all = Array.isArray(series) ? series : [series];
    for (const h of all) {
      if (h.cumulativeCounts.length !== h.upperBounds.length && h.cumulativeCounts.length !== h.upperBounds.length + 1) {
        throw new Error(`histogram ${name}: ${h.cumulativeCounts.length} counts for ${h.upperBounds.length} buckets`);
      }
    }
    this.family(name, 'histogram', help);
    for (const h of all) {
      h.upperBounds.forEach((bound, i) => {
        this.lines.push(`${name}_bucket${formatLabels({ ...h.labels, le: formatValue(bound) })} ${h.cumulativeCounts[i]}`);
      });
      this.lines.push(`${name}_bucket${formatLabels({ ...h.labels, le: '+Inf' })} ${h.count}`);
      this.lines.push(`${name}_sum${formatLabels(h.labels)} ${formatValue(h.sum)}`);
      this.lines.push(`${name}_count${formatLabels(h.labels)} ${h.count}`);
    }
    return this;
  }

  toString(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}

/** Parses an exposition document into `name{labels}` → value (for tests and the topology check). */
export function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    samples.set(match[1]!, match[2] === '+Inf' ? Infinity : Number(match[2]));
  }
  return samples;
}

/** The sum of every sample of metric `name` whose labels include `labels`. */
export function sumSamples(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf('{');
    const metric = brace === -1 ? key : key.slice(0, brace);
    if (metric !== name) continue;
    const labelText = brace === -1 ? '' : key.slice(brace);
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${escapeLabelValue(v)}"`))) total += value;
  }
  return total;
}
