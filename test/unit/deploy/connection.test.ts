import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { temporalConnectionOptions } from '../../../src/temporal/connection';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnstats-conn-'));
  fs.writeFileSync(path.join(dir, 'client.pem'), 'CERT');
  fs.writeFileSync(path.join(dir, 'client.key'), 'KEY');
  fs.writeFileSync(path.join(dir, 'ca.pem'), 'CA');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// HOME points at an empty folder so no ~/.config/temporalio/temporal.toml of this machine leaks in.
const base = (): NodeJS.ProcessEnv => ({ HOME: dir });
const options = (env: NodeJS.ProcessEnv) => temporalConnectionOptions(loadConfig(env), env);

describe('Temporal connection settings from the environment', () => {
  it('is a plain local connection by default', () => {
    expect(options(base())).toEqual({ address: '127.0.0.1:7233' });
  });

  it('takes address and namespace from TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE', () => {
    const env = { ...base(), TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'dnstats' };
    expect(options(env).address).toBe('temporal:7233');
    expect(loadConfig(env).temporal.namespace).toBe('dnstats');
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    expect(options({ ...base(), TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-1' })).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      apiKey: 'key-1',
      tls: true,
    });
  });

  it("reads an mTLS client certificate through the SDK's envconfig variables", () => {
    const tls = options({
      ...base(),
      TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, 'client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    }).tls as unknown as { clientCertPair: { crt: Buffer; key: Buffer }; serverNameOverride: string };
    expect(tls.clientCertPair.crt.toString()).toBe('CERT');
    expect(tls.clientCertPair.key.toString()).toBe('KEY');
    expect(tls.serverNameOverride).toBe('temporal.internal');
  });

  it('still reads the older TEMPORAL_TLS_CERT / _KEY / _CA names', () => {
    const tls = options({ ...base(), TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'client.key'), TEMPORAL_TLS_CA: path.join(dir, 'ca.pem') })
      .tls as unknown as { clientCertPair: { crt: Buffer }; serverRootCACertificate: Buffer };
    expect(tls.clientCertPair.crt.toString()).toBe('CERT');
    expect(tls.serverRootCACertificate.toString()).toBe('CA');
  });

  it('passes TEMPORAL_GRPC_META_* headers on', () => {
    expect(options({ ...base(), TEMPORAL_GRPC_META_X_TENANT: 'dnstats' }).metadata).toEqual({ 'x-tenant': 'dnstats' });
  });

  it('names the variable when a certificate is half configured or unreadable', () => {
    expect(() => options({ ...base(), TEMPORAL_TLS_CERT: path.join(dir, 'client.pem') })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
    expect(() => options({ ...base(), TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'client.pem') })).toThrow(/TEMPORAL_TLS_CLIENT_KEY_PATH/);
    expect(() => options({ ...base(), TEMPORAL_TLS_CERT: path.join(dir, 'missing.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'client.key') })).toThrow(
      /TEMPORAL_TLS_CERT=.*missing\.pem cannot be read/,
    );
  });

  it('reads a TOML profile when TEMPORAL_CONFIG_FILE asks for one; the environment still wins', () => {
    const file = path.join(dir, 'temporal.toml');
    fs.writeFileSync(file, '[profile.default]\naddress = "cloud.example:7233"\nnamespace = "dnstats.acct"\napi_key = "from-file"\n\n[profile.staging]\naddress = "staging:7233"\n');
    const env = { ...base(), TEMPORAL_CONFIG_FILE: file };
    expect(options(env)).toEqual({ address: 'cloud.example:7233', apiKey: 'from-file', tls: true });
    expect(loadConfig(env).temporal.namespace).toBe('dnstats.acct');
    expect(options({ ...env, TEMPORAL_PROFILE: 'staging' }).address).toBe('staging:7233');
    expect(options({ ...env, TEMPORAL_ADDRESS: 'override:7233' }).address).toBe('override:7233');
    expect(() => loadConfig({ ...env, TEMPORAL_PROFILE: 'nope' })).toThrow(/Temporal profile nope/);
  });
});

describe('metrics settings', () => {
  it('reads both endpoints, off by default', () => {
    expect(loadConfig(base()).metrics).toEqual({ sdkBindAddress: undefined, workerBindAddress: undefined });
    expect(loadConfig({ ...base(), DNSTATS_SDK_METRICS_ADDRESS: '0.0.0.0:9464', DNSTATS_METRICS_ADDRESS: '0.0.0.0:9465' }).metrics).toEqual({
      sdkBindAddress: '0.0.0.0:9464',
      workerBindAddress: '0.0.0.0:9465',
    });
  });
});
