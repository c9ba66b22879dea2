/**
 * How the controller reaches Kafka, from environment variables. Parsed and validated here only;
 * the README's connection table lists the same variables.
 */
import { z } from 'zod';
import type { OffsetResetPolicy } from '../lag/types.js';
import { booleanVar, describeIssues, enumVar, integerVar, stringVar, type Env } from './env-schema.js';

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

const brokerList = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined),
  z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { error: 'each broker must be host:port' })).optional(),
);
const mskArn = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
  z.string().regex(/^arn:aws[\w-]*:kafka:[\w-]+:\d{12}:cluster\/[^/]+\/[\w-]+$/, { error: 'must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/ID)' }).optional(),
);

const schema = z
  .object({
    KAFKA_BROKERS: brokerList,
    MSK_CLUSTER_ARN: mskArn,
    KAFKA_AUTH_MODE: enumVar(AUTH_MODES).default('none'),
    KAFKA_SCRAM_SECRET_ARN: stringVar().optional(),
    AWS_REGION: stringVar().optional(),
    KAFKA_CLIENT_ID: stringVar().default('kafka-lag-scaler'),
    KAFKA_CONNECT_TIMEOUT_MS: integerVar(100, 60_000).default(3_000),
    KAFKA_REQUEST_TIMEOUT_MS: integerVar(100, 120_000).default(10_000),
    KAFKA_COORDINATOR_RETRIES: integerVar(0, 10).default(3),
    KAFKA_OFFSET_RESET_POLICY: enumVar(['latest', 'earliest'] as const).default('latest'),
    KAFKA_READ_CONCURRENCY: integerVar(1, 100).default(10),
    KAFKA_DESCRIBE_GROUPS: booleanVar().default(false),
  })
  .superRefine((env, ctx) => {
    if (!env.KAFKA_BROKERS && !env.MSK_CLUSTER_ARN) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'set KAFKA_BROKERS (host:port,...) or MSK_CLUSTER_ARN' });
    }
    if (env.KAFKA_BROKERS && env.MSK_CLUSTER_ARN) {
      ctx.addIssue({ code: 'custom', path: ['MSK_CLUSTER_ARN'], message: 'set either KAFKA_BROKERS or MSK_CLUSTER_ARN, not both' });
    }
    if (env.KAFKA_AUTH_MODE === 'scram' && !env.KAFKA_SCRAM_SECRET_ARN) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_SCRAM_SECRET_ARN'], message: 'is required when KAFKA_AUTH_MODE is scram' });
    }
    if (env.KAFKA_AUTH_MODE === 'iam' && !env.AWS_REGION && !env.MSK_CLUSTER_ARN) {
      ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: 'is required for KAFKA_AUTH_MODE=iam (the token is signed for a region)' });
    }
  });

export type KafkaSettingsResult = { ok: true; settings: KafkaSettings } | { ok: false; problems: string[] };

export function parseKafkaSettings(env: Env): KafkaSettingsResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    settings: {
      ...(v.KAFKA_BROKERS ? { brokers: v.KAFKA_BROKERS } : {}),
      ...(v.MSK_CLUSTER_ARN ? { mskClusterArn: v.MSK_CLUSTER_ARN } : {}),
      authMode: v.KAFKA_AUTH_MODE,
      ...(v.KAFKA_SCRAM_SECRET_ARN ? { scramSecretArn: v.KAFKA_SCRAM_SECRET_ARN } : {}),
      // The region of the cluster's ARN wins: the token must be signed for the cluster's region.
      ...(v.MSK_CLUSTER_ARN ? { region: v.MSK_CLUSTER_ARN.split(':')[3] } : v.AWS_REGION ? { region: v.AWS_REGION } : {}),
      clientId: v.KAFKA_CLIENT_ID,
      connectTimeoutMs: v.KAFKA_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: v.KAFKA_REQUEST_TIMEOUT_MS,
      coordinatorRetries: v.KAFKA_COORDINATOR_RETRIES,
      offsetResetPolicy: v.KAFKA_OFFSET_RESET_POLICY,
      readConcurrency: v.KAFKA_READ_CONCURRENCY,
      describeGroups: v.KAFKA_DESCRIBE_GROUPS,
    },
  };
}
