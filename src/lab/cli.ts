// `dnstats lab serve` and `dnstats lab export`. The lead wires registerLabCommands into src/cli/main.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { writeExpectations } from './expectations';
import { startListServer } from './http';
import { startLabServer } from './server';
import { trancoCsv, trancoZip } from './tranco';
import { createLabWorld, DEFAULT_SEED } from './world';
import { writeZoneFiles } from './zonefile';

export const DEFAULT_LAB_SITES = 2000;

function positiveInteger(name: string, max = 10_000_000) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

function nonNegativeInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

export function registerLabCommands(program: Command): Command {
  const lab = program.command('lab').description('the offline lab world: synthetic sites served on loopback');

  lab
    .command('serve')
    .description('serve the lab world: a resolver, its name servers on 127.x addresses, and the site list over HTTP')
    .option('--sites <n>', 'number of sites', positiveInteger('--sites'), DEFAULT_LAB_SITES)
    .option('--seed <s>', 'world seed', nonNegativeInteger('--seed'), DEFAULT_SEED)
    .option('--host <address>', 'address of the resolver view', '127.0.0.1')
    .option('--port <port>', 'resolver port (default: ephemeral)', positiveInteger('--port', 65535))
    .option('--ns-port <port>', 'port of every name server (default: ephemeral)', positiveInteger('--ns-port', 65535))
    .option('--expectations <file>', 'also write the expectations file (JSON lines)')
    .action(async (opts: { sites: number; seed: number; host: string; port?: number; nsPort?: number; expectations?: string }) => {
      const server = await startLabServer({ sites: opts.sites, seed: opts.seed, host: opts.host, port: opts.port, nameServerPort: opts.nsPort });
      const lists = await startListServer(server.world, { host: opts.host });
      if (opts.expectations) await writeExpectations(server.world, opts.expectations);
      const out = process.stdout;
      out.write(`lab world: ${opts.sites} sites, seed ${opts.seed}, ${server.nameServerAddresses.length} name servers\n`);
      out.write(`resolver:        ${server.resolver}\n`);
      out.write(`name-server port: ${server.nameServerPort} (on ${server.nameServerAddresses[0]} … ${server.nameServerAddresses[server.nameServerAddresses.length - 1]})\n`);
      out.write(`site list:       ${lists.url}\n                 ${lists.zipUrl}\n`);
      out.write(`changed list:    ${lists.changedUrl}\n                 ${lists.changedZipUrl}\n`);
      if (opts.expectations) out.write(`expectations:    ${path.resolve(opts.expectations)}\n`);
      out.write(`\nexport DNSTATS_RESOLVERS=${server.resolver} DNSTATS_NS_PORT=${server.nameServerPort} DNSTATS_TRANCO_URL=${lists.zipUrl}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await Promise.all([server.stop(), lists.stop()]);
    });

  lab
    .command('export')
    .description('write the lab world as zone files (with named.conf and nsd.conf), the site list and the expectations file')
    .requiredOption('--out <dir>', 'output folder')
    .option('--sites <n>', 'number of sites', positiveInteger('--sites'), DEFAULT_LAB_SITES)
    .option('--seed <s>', 'world seed', nonNegativeInteger('--seed'), DEFAULT_SEED)
    .action(async (opts: { out: string; sites: number; seed: number }) => {
      const world = createLabWorld({ sites: opts.sites, seed: opts.seed });
      const zonesDir = path.join(opts.out, 'zones');
      const zones = writeZoneFiles(world, zonesDir);
      fs.writeFileSync(path.join(opts.out, 'top-1m.csv'), trancoCsv(world));
      fs.writeFileSync(path.join(opts.out, 'top-1m.csv.zip'), trancoZip(world));
      await writeExpectations(world, path.join(opts.out, 'expectations.jsonl'));
      process.stdout.write(`wrote ${zones.length} zones to ${zonesDir} (named.conf, nsd.conf), top-1m.csv(.zip) and expectations.jsonl to ${opts.out}\n`);
    });

  return lab;
}
