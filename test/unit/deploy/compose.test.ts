// docker-compose.yml, the Dockerfile and the deploy files agree with each other and with the code.
// (`docker-compose config` validates the file's syntax in .ci/run; this checks what it means.)
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { DEFAULT_BUNDLE_PATH } from '../../../src/scripts/build-workflow-bundle';
import { SEARCH_ATTRIBUTES } from '../../../src/shared/names';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: string | number };
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string }> | string[];
  restart?: string;
  profiles?: string[];
}

const composeText = read('docker-compose.yml');
const compose = yaml.load(composeText) as { services: Record<string, Service>; networks: Record<string, { ipam: { config: Array<{ subnet: string }> } }> };
const services = compose.services;

/** `${NAME:-default}` → default; a plain value stays. */
function defaultOf(value: string | number | undefined): string {
  const text = String(value ?? '');
  const match = /^\$\{[A-Z0-9_]+:-(.*)\}$/.exec(text);
  return match ? match[1]! : text;
}

describe('docker-compose.yml', () => {
  it('runs Temporal from temporalio/server on the shared Postgres, its schema set up first by admin-tools', () => {
    expect(composeText).not.toMatch(/image: temporalio\/auto-setup/);
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-schema']!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
  });

  it('registers every search attribute the workflows set', () => {
    const script = read('deploy/temporal/setup-namespace.sh');
    for (const key of Object.values(SEARCH_ATTRIBUTES)) expect(script).toContain(key.name);
  });

  it('builds both workers from the one image and picks the queue by argument', () => {
    const scan = services['dnstats-scan-worker']!;
    const processWorker = services['dnstats-process-worker']!;
    expect(scan.image).toBe(processWorker.image);
    expect(scan.build).toEqual(processWorker.build);
    expect(scan.command).toEqual(['worker', 'scan']);
    expect(processWorker.command).toEqual(['worker', 'process']);
    expect(Number(defaultOf(scan.deploy?.replicas))).toBeGreaterThanOrEqual(2);
  });

  it('runs the migrations and `schedules apply` once, before the workers', () => {
    expect(services['dnstats-migrate']!.command).toEqual(['migrate']);
    expect(services['dnstats-schedules']!.command).toEqual(['schedules', 'apply']);
    for (const name of ['dnstats-migrate', 'dnstats-schedules']) expect(services[name]!.restart).toBe('on-failure');
    for (const name of ['dnstats-scan-worker', 'dnstats-process-worker']) {
      expect(services[name]!.depends_on).toMatchObject({
        'dnstats-migrate': { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('points the scan workers at the Unbound service, at an address of the compose network', () => {
    const networks = services.unbound!.networks as Record<string, { ipv4_address?: string }>;
    const unboundIp = defaultOf(networks.dnstats!.ipv4_address);
    expect(defaultOf(services['dnstats-scan-worker']!.environment!.DNSTATS_RESOLVERS)).toBe(`${unboundIp}:53`);
    const subnet = defaultOf(compose.networks.dnstats!.ipam.config[0]!.subnet);
    expect(unboundIp.split('.').slice(0, 3).join('.')).toBe(subnet.split('.').slice(0, 3).join('.'));
    expect(read('deploy/unbound/unbound.conf')).toMatch(/access-control: 172\.16\.0\.0\/12 allow/);
  });

  it('mounts only files that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect({ service: name, exists: fs.existsSync(path.join(ROOT, source)) }).toEqual({ service: name, exists: true });
      }
    }
  });

  it('documents every variable it reads in README.md', () => {
    const readme = read('README.md');
    const variables = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
    for (const line of read('deploy/env/dnstats.env').split('\n')) {
      const match = /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line);
      if (match) variables.add(match[1]!);
    }
    const undocumented = [...variables].filter((v) => !readme.includes(`\`${v}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('starts the compiled CLI, whose source exists, and runs a scan worker unless told otherwise', () => {
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]/);
    expect(fs.existsSync(path.join(ROOT, 'src/cli/main.ts'))).toBe(true);
    expect(dockerfile).toMatch(/CMD \["worker", "scan"\]/);
  });

  it('loads the bundle `npm run build` writes', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toContain('tsx src/scripts/build-workflow-bundle.ts');
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(path.relative(ROOT, DEFAULT_BUNDLE_PATH)).toBe('dist/workflow-bundle.js');
    expect(dockerfile).toMatch(/DNSTATS_WORKFLOW_BUNDLE=\/app\/dist\/workflow-bundle\.js/);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.git', 'node_modules', '.dnstats', '.env', 'dist']) expect(ignored).toContain(entry);
  });
});
