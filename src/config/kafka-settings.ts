/**
 * How the controller reaches Kafka, from environment variables. Parsed and validated here only;
 * the README's connection table lists the same variables.
 */
import type { OffsetResetPolicy } from '../lag/types.js';
import { type Env, EnvReader } from './env-reader.js';
import { readSettings, type Setting } from './setting.js';

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

/** Every Kafka setting, declared once: read below, and the table in docs/configuration.md. */
export const KAFKA_SETTINGS = {
  brokers: {
    kind: 'list',
    env: 'KAFKA_BROKERS',
    pattern: BROKER,
    hint: 'each broker must be host:port',
    description: 'Brokers to bootstrap from (`host:port,…`). Set this or `MSK_CLUSTER_ARN`.',
  },
  mskClusterArn: {
    kind: 'text',
    env: 'MSK_CLUSTER_ARN',
    pattern: MSK_CLUSTER_ARN,
    hint: 'must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/ID)',
    description:
      'Discover brokers with MSK `GetBootstrapBrokers`, choosing the broker string for `KAFKA_AUTH_MODE` (plaintext 9092, TLS 9094, SCRAM 9096, IAM 9098).',
  },
  // IAM is what MSK recommends and what the infrastructure deploys; plaintext must be asked for.
  authMode: {
    kind: 'oneOf',
    env: 'KAFKA_AUTH_MODE',
    values: AUTH_MODES,
    default: 'iam',
    description:
      '`tls`: TLS only. `scram`: SASL/SCRAM-SHA-512 over TLS with credentials from `KAFKA_SCRAM_SECRET_ARN`. `iam`: SASL/OAUTHBEARER over TLS with tokens from `aws-msk-iam-sasl-signer-js`, signed again a minute before they expire.',
  },
  scramSecretArn: {
    kind: 'text',
    env: 'KAFKA_SCRAM_SECRET_ARN',
    description:
      'Secrets Manager secret `{"username","password"}` (MSK requires the name to start with `AmazonMSK_`). Required for `scram`.',
  },
  awsRegion: {
    kind: 'text',
    env: 'AWS_REGION',
    description:
      "Region for IAM tokens when brokers are given directly (with `MSK_CLUSTER_ARN` the cluster's region is used). Lambda sets it.",
  },
  clientId: { kind: 'text', env: 'KAFKA_CLIENT_ID', default: 'kafka-lag-scaler', description: 'Client id the brokers see.' },
  connectTimeoutMs: {
    kind: 'integer',
    env: 'KAFKA_CONNECT_TIMEOUT_MS',
    min: 100,
    max: 60_000,
    default: 3_000,
    description: 'Connection timeout per broker.',
  },
  // Defaults sized to the tick's time budget (tools/docs/tick-budget.ts), with room to act.
  requestTimeoutMs: {
    kind: 'integer',
    env: 'KAFKA_REQUEST_TIMEOUT_MS',
    min: 100,
    max: 120_000,
    default: 3_000,
    description: "Timeout of each Kafka request. The default fits the tick's [time budget](operating.md#time-budget-of-a-tick).",
  },
  coordinatorRetries: {
    kind: 'integer',
    env: 'KAFKA_COORDINATOR_RETRIES',
    min: 0,
    max: 10,
    default: 1,
    description: "Retries of a group's OffsetFetch after a coordinator error (the coordinator is looked up again).",
  },
  offsetResetPolicy: {
    kind: 'oneOf',
    env: 'KAFKA_OFFSET_RESET_POLICY',
    values: ['latest', 'earliest'],
    default: 'latest',
    description: 'What your consumers do without a committed offset (their `auto.offset.reset`); drives the lag of uncommitted partitions.',
  },
  readConcurrency: {
    kind: 'integer',
    env: 'KAFKA_READ_CONCURRENCY',
    min: 1,
    max: 100,
    default: 10,
    description: 'Groups whose offsets are fetched at the same time.',
  },
  describeGroups: {
    kind: 'boolean',
    env: 'KAFKA_DESCRIBE_GROUPS',
    default: false,
    description: "Also read each group's state and member count (one more request per group; a group without commits is described anyway).",
  },
} as const satisfies Record<string, Setting>;

/** The Kafka settings through a reader shared with the other settings; its problems name each variable. */
export function readKafkaSettings(read: EnvReader): KafkaSettings {
  const { brokers, mskClusterArn, authMode, scramSecretArn, awsRegion, ...rest } = readSettings(read, KAFKA_SETTINGS);
  // The region of the cluster's ARN wins: an IAM token must be signed for the cluster's region.
  const region = mskClusterArn?.split(':')[3] ?? awsRegion;
  const settings: KafkaSettings = {
    ...(brokers ? { brokers } : {}),
    ...(mskClusterArn ? { mskClusterArn } : {}),
    authMode,
    ...(scramSecretArn ? { scramSecretArn } : {}),
    ...(region ? { region } : {}),
    ...rest,
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
