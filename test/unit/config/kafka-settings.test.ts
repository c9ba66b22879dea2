import { describe, expect, it } from 'vitest';
import { parseKafkaSettings } from '../../../src/config/kafka-settings.js';

const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/payments/0f2c1a3e-1111-2222-3333-444455556666-7';

describe('Kafka connection settings from the environment', () => {
  it('takes brokers with defaults for everything else: IAM authentication, as MSK recommends', () => {
    const result = parseKafkaSettings({ KAFKA_BROKERS: 'b-1:9098, b-2:9098', AWS_REGION: 'eu-west-1' });
    expect(result).toEqual({
      ok: true,
      settings: {
        brokers: ['b-1:9098', 'b-2:9098'],
        authMode: 'iam',
        region: 'eu-west-1',
        clientId: 'kafka-lag-scaler',
        connectTimeoutMs: 3000,
        requestTimeoutMs: 3000,
        coordinatorRetries: 1,
        offsetResetPolicy: 'latest',
        readConcurrency: 10,
        describeGroups: false,
      },
    });
  });

  it('takes the region from the MSK cluster ARN', () => {
    const result = parseKafkaSettings({ MSK_CLUSTER_ARN: ARN, KAFKA_AUTH_MODE: 'iam', AWS_REGION: 'us-east-1' });
    expect(result.ok && result.settings).toMatchObject({ mskClusterArn: ARN, authMode: 'iam', region: 'eu-west-1' });
  });

  it('lists every problem at once, each naming its variable', () => {
    const result = parseKafkaSettings({
      KAFKA_AUTH_MODE: 'kerberos',
      KAFKA_CONNECT_TIMEOUT_MS: 'soon',
      KAFKA_REQUEST_TIMEOUT_MS: '5',
      KAFKA_OFFSET_RESET_POLICY: 'oldest',
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^KAFKA_AUTH_MODE: must be one of none, tls, scram, iam/),
        expect.stringMatching(/^KAFKA_CONNECT_TIMEOUT_MS: must be a whole number/),
        expect.stringMatching(/^KAFKA_REQUEST_TIMEOUT_MS: must be at least 100/),
        expect.stringMatching(/^KAFKA_OFFSET_RESET_POLICY: must be one of latest, earliest/),
      ]),
    );
  });

  it.each([
    [{}, /^KAFKA_BROKERS: set KAFKA_BROKERS .* or MSK_CLUSTER_ARN/],
    [{ KAFKA_BROKERS: 'b-1:9092', MSK_CLUSTER_ARN: ARN }, /^MSK_CLUSTER_ARN: set either/],
    [{ KAFKA_BROKERS: 'b-1' }, /^KAFKA_BROKERS.*: each broker must be host:port/],
    [{ MSK_CLUSTER_ARN: 'arn:aws:ecs:eu-west-1:1:cluster/x' }, /^MSK_CLUSTER_ARN: must be an MSK cluster ARN/],
    [{ KAFKA_BROKERS: 'b-1:9096', KAFKA_AUTH_MODE: 'scram' }, /^KAFKA_SCRAM_SECRET_ARN: is required/],
    [{ KAFKA_BROKERS: 'b-1:9098', KAFKA_AUTH_MODE: 'iam' }, /^AWS_REGION: is required/],
    [{ KAFKA_BROKERS: 'b-1:9092' }, /^AWS_REGION: is required for KAFKA_AUTH_MODE=iam, the default/],
  ])('rejects %j', (env, message) => {
    const result = parseKafkaSettings(env);
    expect(result.ok ? [] : result.problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});
