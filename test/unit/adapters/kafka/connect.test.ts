import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { OauthbearerProviderResponse, SASLOptions } from 'kafkajs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ConnectDependencies,
  closeSharedOffsetsSource,
  forgetSourceOnAuthenticationFailure,
  resolveClientOptions,
  sharedOffsetsSource,
} from '../../../../src/adapters/kafka/connect.js';
import { type KafkaSettings, parseKafkaSettings } from '../../../../src/config/kafka-settings.js';

const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/payments/0f2c1a3e-1111-2222-3333-444455556666-7';
const kafkaApi = mockClient(KafkaClient);
const secrets = mockClient(SecretsManagerClient);

function settings(env: Record<string, string>): KafkaSettings {
  const parsed = parseKafkaSettings(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.settings;
}

function deps(overrides: Partial<ConnectDependencies> = {}): ConnectDependencies {
  return {
    kafka: new KafkaClient({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    signIamToken: async () => ({ token: 'signed', expiryTime: 0 }),
    now: () => 0,
    ...overrides,
  };
}

beforeEach(() => {
  kafkaApi.reset();
  secrets.reset();
  kafkaApi.on(GetBootstrapBrokersCommand).resolves({
    BootstrapBrokerString: 'b-1:9092,b-2:9092',
    BootstrapBrokerStringTls: 'b-1:9094,b-2:9094',
    BootstrapBrokerStringSaslScram: 'b-1:9096,b-2:9096',
    BootstrapBrokerStringSaslIam: 'b-1:9098,b-2:9098',
  });
});

describe('connecting to Kafka', () => {
  it.each([
    ['none', ['b-1:9092', 'b-2:9092'], false],
    ['tls', ['b-1:9094', 'b-2:9094'], true],
    ['iam', ['b-1:9098', 'b-2:9098'], true],
  ] as const)('discovers the %s brokers of an MSK cluster', async (mode, brokers, ssl) => {
    const options = await resolveClientOptions(settings({ MSK_CLUSTER_ARN: ARN, KAFKA_AUTH_MODE: mode }), deps());
    expect(options).toMatchObject({ brokers, ssl });
    expect(kafkaApi.commandCalls(GetBootstrapBrokersCommand)[0]!.args[0].input).toEqual({ ClusterArn: ARN });
  });

  it('says which broker string is missing for the auth mode', async () => {
    kafkaApi.on(GetBootstrapBrokersCommand).resolves({ BootstrapBrokerStringSaslIam: 'b-1:9098' });
    await expect(resolveClientOptions(settings({ MSK_CLUSTER_ARN: ARN, KAFKA_AUTH_MODE: 'tls' }), deps())).rejects.toThrow(
      /no BootstrapBrokerStringTls for KAFKA_AUTH_MODE=tls/,
    );
  });

  it('reads SCRAM-SHA-512 credentials from the Secrets Manager secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"scaler","password":"s3cret"}' });
    const options = await resolveClientOptions(
      settings({ MSK_CLUSTER_ARN: ARN, KAFKA_AUTH_MODE: 'scram', KAFKA_SCRAM_SECRET_ARN: 'arn:secret' }),
      deps(),
    );
    expect(options).toMatchObject({
      brokers: ['b-1:9096', 'b-2:9096'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'scaler', password: 's3cret' },
    });
  });

  it("names the setting, never the secret's ARN or content, when it is not username/password JSON", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2' });
    const failure = await resolveClientOptions(
      settings({
        KAFKA_BROKERS: 'b-1:9096',
        KAFKA_AUTH_MODE: 'scram',
        KAFKA_SCRAM_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_x',
      }),
      deps(),
    ).catch((e: Error) => e);
    expect((failure as Error).message).toBe('KAFKA_SCRAM_SECRET_ARN: the secret must be JSON {"username": "...", "password": "..."}');
    expect((failure as Error).message).not.toMatch(/arn:|hunter2/);
  });

  it('signs IAM tokens for the cluster region and refreshes them before they expire', async () => {
    let clock = 0;
    const signIamToken = vi.fn(async (region: string) => ({ token: `token-${region}-${clock}`, expiryTime: clock + 900_000 }));
    const options = await resolveClientOptions(
      settings({ MSK_CLUSTER_ARN: ARN, KAFKA_AUTH_MODE: 'iam' }),
      deps({ signIamToken, now: () => clock }),
    );
    const provider = (options.sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>)
      .oauthBearerProvider as () => Promise<OauthbearerProviderResponse>;

    expect(await provider()).toEqual({ value: 'token-eu-west-1-0' });
    clock = 800_000; // still more than a minute left: reuse
    expect(await provider()).toEqual({ value: 'token-eu-west-1-0' });
    clock = 850_000; // under a minute left: sign again
    expect(await provider()).toEqual({ value: 'token-eu-west-1-850000' });
    expect(signIamToken).toHaveBeenCalledTimes(2);
  });
});

describe('the shared source after an authentication failure', () => {
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  const scram = () =>
    settings({
      MSK_CLUSTER_ARN: ARN,
      KAFKA_AUTH_MODE: 'scram',
      KAFKA_SCRAM_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:k',
    });

  it('is built again, reading the rotated SCRAM secret, once a read failed to authenticate', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'svc', password: 'old' }) });
    const first = await sharedOffsetsSource(scram(), () => deps());
    expect(await sharedOffsetsSource(scram(), () => deps())).toBe(first);

    forgetSourceOnAuthenticationFailure('offsets: Connection error: SASL SCRAM SHA512 authentication failed: wrong password', first);
    await settled();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'svc', password: 'new' }) });
    const second = await sharedOffsetsSource(scram(), () => deps());
    expect(second).not.toBe(first);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    await closeSharedOffsetsSource();
  });

  it('is kept after any other failure: reconnecting costs a cold start', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'svc', password: 'pw' }) });
    const first = await sharedOffsetsSource(scram(), () => deps());
    forgetSourceOnAuthenticationFailure('offsets: request timed out after 3000 ms', first);
    await settled();
    expect(await sharedOffsetsSource(scram(), () => deps())).toBe(first);
    await closeSharedOffsetsSource();
  });

  it('is kept when the failing read used an older source (one abandoned at an earlier deadline)', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'svc', password: 'pw' }) });
    const old = await sharedOffsetsSource(scram(), () => deps());
    await closeSharedOffsetsSource();
    const current = await sharedOffsetsSource(scram(), () => deps());
    forgetSourceOnAuthenticationFailure('SASL SCRAM SHA512 authentication failed', old);
    await settled();
    expect(await sharedOffsetsSource(scram(), () => deps())).toBe(current);
    await closeSharedOffsetsSource();
  });
});
