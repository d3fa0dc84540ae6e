import fs from 'node:fs';
import { Connection, Client, type TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { Config } from '../config';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

function readPem(env: NodeJS.ProcessEnv, variable: string): Buffer {
  const file = env[variable]!;
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${variable}=${file} cannot be read: ${(err as Error).message}`);
  }
}

/** envconfig reads certificates as Uint8Array; the connection options promise Buffers. */
function asBuffers(tls: TLSConfig | boolean): TLSConfig | boolean {
  if (typeof tls === 'boolean') return tls;
  const buffer = (data: Buffer | Uint8Array | undefined) => (data === undefined ? undefined : Buffer.from(data));
  const result: TLSConfig = { ...tls };
  if (tls.serverRootCACertificate) result.serverRootCACertificate = buffer(tls.serverRootCACertificate);
  if (tls.clientCertPair) result.clientCertPair = { crt: buffer(tls.clientCertPair.crt)!, key: buffer(tls.clientCertPair.key)! };
  for (const key of Object.keys(result) as Array<keyof TLSConfig>) if (result[key] === undefined) delete result[key];
  return result;
}

/**
 * Connection settings: a local dev server by default; for a remote cluster or Temporal Cloud,
 * the Temporal SDK's envconfig variables — TEMPORAL_API_KEY (implies TLS), TEMPORAL_TLS,
 * TEMPORAL_TLS_CLIENT_CERT_PATH / _KEY_PATH / TEMPORAL_TLS_SERVER_CA_CERT_PATH (or their _DATA
 * forms), TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_<HEADER> — and, when TEMPORAL_CONFIG_FILE
 * or TEMPORAL_PROFILE is set, a TOML profile. The older TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY /
 * TEMPORAL_TLS_CA names still work and win when set.
 */
export function temporalConnectionOptions(config: Config, env: NodeJS.ProcessEnv = process.env): TemporalConnectionOptions {
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  let fromEnvconfig;
  try {
    const profile = loadClientConfigProfile({
      overrideEnvVars: env as Record<string, string>,
      disableFile: !env.TEMPORAL_CONFIG_FILE && !env.TEMPORAL_PROFILE,
    });
    fromEnvconfig = toClientOptions(profile).connectionOptions;
  } catch (err) {
    throw new Error(`Temporal connection settings (TEMPORAL_TLS_*, TEMPORAL_API_KEY, TEMPORAL_CONFIG_FILE): ${(err as Error).message}`);
  }
  const options: TemporalConnectionOptions = { address };
  if (fromEnvconfig.tls !== undefined && fromEnvconfig.tls !== null) options.tls = asBuffers(fromEnvconfig.tls);
  if (fromEnvconfig.apiKey) options.apiKey = fromEnvconfig.apiKey as string;
  if (fromEnvconfig.metadata && Object.keys(fromEnvconfig.metadata).length > 0) options.metadata = fromEnvconfig.metadata as Record<string, string>;

  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both (the client certificate and its key) or neither');
  }
  if (env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY) {
    const base = typeof options.tls === 'object' ? options.tls : {};
    options.tls = {
      ...base,
      clientCertPair: { crt: readPem(env, 'TEMPORAL_TLS_CERT'), key: readPem(env, 'TEMPORAL_TLS_KEY') },
      ...(env.TEMPORAL_TLS_CA ? { serverRootCACertificate: readPem(env, 'TEMPORAL_TLS_CA') } : {}),
    };
  } else if (env.TEMPORAL_TLS_CA) {
    const base = typeof options.tls === 'object' ? options.tls : {};
    options.tls = { ...base, serverRootCACertificate: readPem(env, 'TEMPORAL_TLS_CA') };
  }
  const hasEnvconfigCert = Boolean(env.TEMPORAL_TLS_CLIENT_CERT_PATH || env.TEMPORAL_TLS_CLIENT_CERT_DATA);
  const hasEnvconfigKey = Boolean(env.TEMPORAL_TLS_CLIENT_KEY_PATH || env.TEMPORAL_TLS_CLIENT_KEY_DATA);
  if (hasEnvconfigCert !== hasEnvconfigKey) {
    throw new Error('TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or their _DATA forms) go together: set both or neither');
  }
  if (options.apiKey && options.tls === undefined) options.tls = true;
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
