/**
 * How the controller reaches Kafka, from environment variables. Parsed and validated here only;
 * the README's connection table lists the same variables.
 */
import type { OffsetResetPolicy } from '../lag/types.js';
import { type Env, EnvReader } from './env-reader.js';

export const AUTH_MODES = ['none', 'tls', 'scram', 'iam'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface KafkaSettings {
  /** Brokers given directly, or else discovered from the MSK cluster. */
  brokers?: string[];
  mskClusterArn?: string;
  authMode: AuthMode;
  /** Secrets Manager secret with {"username","password"} (MSK's SCRAM secrets are AmazonMSK_*). */
  scramSecretArn?: string;
  region?: string;
  clientId: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  coordinatorRetries: number;
  offsetResetPolicy: OffsetResetPolicy;
  readConcurrency: number;
  /** Also read group state and members with DescribeGroups (one more request per group). */
  describeGroups: boolean;
}

const BROKER = /^[^\s:,]+:\d{1,5}$/;
const MSK_CLUSTER_ARN = /^arn:aws[\w-]*:kafka:[\w-]+:\d{12}:cluster\/[^/]+\/[\w-]+$/;

export type KafkaSettingsResult = { ok: true; settings: KafkaSettings } | { ok: false; problems: string[] };

export function parseKafkaSettings(env: Env): KafkaSettingsResult {
  const read = new EnvReader(env);
  const settings = readKafkaSettings(read);
  return read.problems.length > 0 ? { ok: false, problems: read.problems } : { ok: true, settings };
}

/** The Kafka settings through a reader shared with the other settings; its problems name each variable. */
export function readKafkaSettings(read: EnvReader): KafkaSettings {
  const brokers = read.list('KAFKA_BROKERS', BROKER, 'each broker must be host:port');
  const mskClusterArn = read.matching(
    'MSK_CLUSTER_ARN',
    MSK_CLUSTER_ARN,
    'must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/ID)',
  );
  // IAM is what MSK recommends and what the infrastructure deploys; plaintext must be asked for.
  const authMode = read.oneOf('KAFKA_AUTH_MODE', AUTH_MODES, 'iam');
  const scramSecretArn = read.string('KAFKA_SCRAM_SECRET_ARN');
  // The region of the cluster's ARN wins: an IAM token must be signed for the cluster's region.
  const region = mskClusterArn?.split(':')[3] ?? read.string('AWS_REGION');
  const settings: KafkaSettings = {
    ...(brokers ? { brokers } : {}),
    ...(mskClusterArn ? { mskClusterArn } : {}),
    authMode,
    ...(scramSecretArn ? { scramSecretArn } : {}),
    ...(region ? { region } : {}),
    clientId: read.string('KAFKA_CLIENT_ID') ?? 'kafka-lag-scaler',
    connectTimeoutMs: read.integer('KAFKA_CONNECT_TIMEOUT_MS', { min: 100, max: 60_000 }, 3_000),
    // Defaults sized to the tick's time budget (src/wiring/tick-budget.ts), with room to act.
    requestTimeoutMs: read.integer('KAFKA_REQUEST_TIMEOUT_MS', { min: 100, max: 120_000 }, 3_000),
    coordinatorRetries: read.integer('KAFKA_COORDINATOR_RETRIES', { min: 0, max: 10 }, 1),
    offsetResetPolicy: read.oneOf('KAFKA_OFFSET_RESET_POLICY', ['latest', 'earliest'] as const, 'latest'),
    readConcurrency: read.integer('KAFKA_READ_CONCURRENCY', { min: 1, max: 100 }, 10),
    describeGroups: read.boolean('KAFKA_DESCRIBE_GROUPS', false),
  };

  const brokersSet = read.string('KAFKA_BROKERS') !== undefined;
  const clusterSet = read.string('MSK_CLUSTER_ARN') !== undefined;
  if (!brokersSet && !clusterSet) read.problem('KAFKA_BROKERS', 'set KAFKA_BROKERS (host:port,...) or MSK_CLUSTER_ARN', undefined);
  if (brokersSet && clusterSet) read.problem('MSK_CLUSTER_ARN', 'set either KAFKA_BROKERS or MSK_CLUSTER_ARN, not both', undefined);
  if (authMode === 'scram' && !scramSecretArn)
    read.problem('KAFKA_SCRAM_SECRET_ARN', 'is required when KAFKA_AUTH_MODE is scram', undefined);
  if (authMode === 'iam' && !region)
    read.problem(
      'AWS_REGION',
      'is required for KAFKA_AUTH_MODE=iam, the default (the token is signed for a region); set KAFKA_AUTH_MODE for another mode',
      undefined,
    );
  return settings;
}
