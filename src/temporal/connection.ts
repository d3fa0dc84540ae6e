import fs from 'node:fs';
import { Connection, Client } from '@temporalio/client';
import type { Config } from '../config';

export interface TemporalConnectionOptions {
  address: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/**
 * Connection settings from the configuration: a local dev server by default; TLS client
 * certificates (TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY / TEMPORAL_TLS_CA) or an API key
 * (TEMPORAL_API_KEY, Temporal Cloud) for a remote cluster.
 */
export function temporalConnectionOptions(config: Config, env: NodeJS.ProcessEnv = process.env): TemporalConnectionOptions {
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  const options: TemporalConnectionOptions = { address };
  if (env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY) {
    options.tls = {
      clientCertPair: { crt: fs.readFileSync(env.TEMPORAL_TLS_CERT), key: fs.readFileSync(env.TEMPORAL_TLS_KEY) },
      ...(env.TEMPORAL_TLS_CA ? { serverRootCACertificate: fs.readFileSync(env.TEMPORAL_TLS_CA) } : {}),
    };
  }
  if (env.TEMPORAL_API_KEY) {
    options.apiKey = env.TEMPORAL_API_KEY;
    options.tls = options.tls ?? true;
  }
  return options;
}

/** A client, retrying the connection for a while (a dev server may still be starting). */
export async function connectClient(config: Config, timeoutMs = 30_000): Promise<Client> {
  const options = temporalConnectionOptions(config);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect(options);
      await connection.workflowService.getSystemInfo({});
      return new Client({ connection, namespace: config.temporal.namespace });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`cannot reach Temporal at ${options.address}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
