/**
 * The deployment configuration (infra/config.json): its shape, its defaults, and its validation.
 * Every problem is reported at once, each naming its field. The controller's part (cluster, auth,
 * policy, targets) is validated by the controller's own parser through the environment it becomes;
 * the rest (network, alarms, fallback) is the infrastructure's own.
 */
import { z } from 'zod';
import { parseControllerConfig } from '../../../src/config/controller-config.js';
import type { AuthMode } from '../../../src/config/kafka-settings.js';
import { isPolicyField, pickPolicyOverrides } from '../../../src/config/policy-settings.js';
import type { Target } from '../../../src/config/targets.js';
import {
  controllerEnvironment,
  DEFAULT_AUTH_MODE,
  DEFAULT_STACK_NAME,
  dryRunEnvironment,
  isRecord,
  toConfigProblems,
} from './controller-environment.js';
import { type MskCluster, parseMskClusterArn } from './msk-cluster.js';

export interface NetworkSettings {
  vpcId: string;
  /** Private subnets of the cluster's VPC, routed to a NAT gateway unless createVpcEndpoints. */
  subnetIds: string[];
  /** The brokers' security group: the stack lets the controller in on the auth mode's port. */
  brokerSecurityGroupId: string;
  /** Interface endpoints for the AWS APIs the controller calls, for subnets without a NAT route. */
  createVpcEndpoints: boolean;
}

export interface AlarmSettings {
  email?: string;
  /** An existing topic for alarms and scale notifications; none: the stack creates one. */
  topicArn?: string;
  /** Minutes without a heartbeat before a target's controller counts as silent (alarm and fallback). */
  silentMinutes: number;
  /** A target in STALL or STOP, or with stuck partitions, this many minutes raises an alarm. */
  stalledMinutes: number;
  /** A target's time lag over its objective (maxTimeLagSeconds) this many minutes raises an alarm. */
  timeLagMinutes: number;
  /** A target at a limit while its lag grows, or where scaling stopped helping, this many minutes raises an alarm. */
  atLimitMinutes: number;
}

/** The Application Auto Scaling stand-in that acts only while the controller is silent. */
export interface FallbackSettings {
  /** Summed `SumOffsetLag` of the target's topics at or above which a silent controller's service grows. */
  lagThreshold: number;
  /** Seconds between two fallback scale-outs, so new tasks start before the next step. */
  cooldownSeconds: number;
}

export interface DeployedTarget {
  /** The target exactly as the controller parses it (its merged policy included). */
  target: Target;
  fallback?: FallbackSettings;
}

export interface Deployment {
  stackName: string;
  cluster: MskCluster;
  auth: AuthMode;
  scram?: { secretArn: string; kmsKeyArn: string };
  network: NetworkSettings;
  alarms: AlarmSettings;
  metricsNamespace: string;
  /** Seconds between ticks: the scheduled function's timeout follows from it. */
  tickSeconds: number;
  /** The controller Lambda's environment, already accepted by the controller's parser. */
  environment: Record<string, string>;
  /** The hand-run dry-run function's: the same, read-only (dryRunEnvironment). */
  dryRunEnvironment: Record<string, string>;
  /** The SSM parameter both read every tick for pause and pins. */
  controlParameterName: string;
  /** Where alarms and scale notifications go. */
  notificationTopicArn: string;
  targets: DeployedTarget[];
}

export type DeploymentResult = { ok: true; deployment: Deployment } | { ok: false; problems: string[] };

const ALARM_DEFAULTS = { silentMinutes: 5, stalledMinutes: 15, timeLagMinutes: 5, atLimitMinutes: 10 };

/** CloudWatch alarms take at most 10 metrics; the fallback alarm spends one on the heartbeat. */
const MAX_FALLBACK_TOPICS = 9;
/** Lambda's limit on all environment variables together (names and values). */
const MAX_ENVIRONMENT_BYTES = 4_096;

const pattern = (regex: RegExp, hint: string) => z.string({ error: hint }).regex(regex, { error: hint });
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const fallbackSchema = z.union(
  [
    z.boolean(),
    z.strictObject({
      lagThreshold: z.number({ error: 'must be a number' }).positive({ error: 'must be more than 0' }).optional(),
      cooldownSeconds: wholeNumber(60, 3_600).optional(),
    }),
  ],
  { error: 'must be false, true, or {"lagThreshold": messages, "cooldownSeconds": seconds}' },
);

const configSchema = z.strictObject({
  stackName: pattern(
    /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    'must be a CloudFormation stack name (letters, digits and "-", starting with a letter)',
  ).default(DEFAULT_STACK_NAME),
  // Value checked by the controller's parser; here only its type.
  clusterArn: z.string({ error: 'is required: the MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/ID)' }),
  auth: z.string({ error: 'must be one of none, tls, scram, iam' }).default(DEFAULT_AUTH_MODE),
  scramSecretArn: z.string({ error: 'must be a Secrets Manager secret ARN' }).optional(),
  scramSecretKmsKeyArn: pattern(
    /^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+$/,
    'must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)',
  ).optional(),
  network: z.strictObject(
    {
      vpcId: pattern(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC ID (vpc-…)'),
      subnetIds: z
        .array(pattern(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet ID (subnet-…)'), { error: 'must be an array of subnet IDs' })
        .min(1, { error: 'must name at least one subnet' }),
      brokerSecurityGroupId: pattern(/^sg-[0-9a-f]{8,17}$/, 'must be the security group ID of the MSK brokers (sg-…)'),
      // Endpoints by default: without them the controller needs 443 to any address (the NAT gateway).
      createVpcEndpoints: z.boolean({ error: 'must be true or false' }).default(true),
    },
    { error: 'is required: {"vpcId", "subnetIds", "brokerSecurityGroupId"}' },
  ),
  alarms: z
    .strictObject({
      email: z.email({ error: 'must be an email address' }).optional(),
      // Value checked by the controller's parser (SCALER_NOTIFY_TOPIC_ARN, SCALER_NOTIFY_MIN_CHANGE); here only their types.
      topicArn: z.string({ error: 'must be an SNS topic ARN' }).optional(),
      notifyMinChange: z.number({ error: 'must be a whole number of tasks' }).optional(),
      silentMinutes: wholeNumber(2, 60).default(ALARM_DEFAULTS.silentMinutes),
      stalledMinutes: wholeNumber(1, 1_440).default(ALARM_DEFAULTS.stalledMinutes),
      timeLagMinutes: wholeNumber(1, 1_440).default(ALARM_DEFAULTS.timeLagMinutes),
      atLimitMinutes: wholeNumber(1, 1_440).default(ALARM_DEFAULTS.atLimitMinutes),
    })
    .default(ALARM_DEFAULTS),
  dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  // Value checked by the controller's parser (it must divide the period); here only its type.
  tickSeconds: z.number({ error: 'must be a whole number of seconds dividing 60' }).optional(),
  metricsNamespace: z.string({ error: 'must be a string' }).optional(),
  policy: z.record(z.string(), z.unknown(), { error: 'must be an object of policy settings' }).optional(),
  // Checked entry by entry by the controller's parser, which names each target.
  targets: z.unknown().optional(),
});

export function parseDeploymentConfig(raw: unknown): DeploymentResult {
  if (!isRecord(raw)) return { ok: false, problems: ['(config): must be a JSON object'] };
  const problems: string[] = [];

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) problems.push(...describeSchemaIssues(parsed.error));
  problems.push(...policyProblems(raw.policy));
  const fallbacks = parseFallbacks(raw.targets);
  problems.push(...fallbacks.problems);

  // The controller's verdict on the environment it will get; a field already found wrong above is not reported twice.
  const environment = controllerEnvironment(raw);
  const controller = parseControllerConfig(environment);
  const alreadyReported = new Set(problems.map(location));
  if (!controller.ok) problems.push(...toConfigProblems(controller.problems).filter((p) => !alreadyReported.has(location(p))));

  if (!parsed.success || !controller.ok || problems.length > 0) return { ok: false, problems };
  const config = parsed.data;
  const cluster = parseMskClusterArn(config.clusterArn);
  if (!cluster) return { ok: false, problems: ['clusterArn: must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/ID)'] };
  const { kafka, targets, metricsNamespace, tickSeconds, controlParameter, notifyTopicArn } = controller.config;

  if (kafka.authMode === 'scram' && !config.scramSecretKmsKeyArn) {
    problems.push(
      'scramSecretKmsKeyArn: is required when auth is scram (MSK SCRAM secrets are encrypted with a customer managed key the controller must decrypt with)',
    );
  }
  const environmentBytes = sizeOf(environment);
  if (environmentBytes > MAX_ENVIRONMENT_BYTES) {
    problems.push(
      `targets: the controller's environment would be ${environmentBytes} bytes, over Lambda's ${MAX_ENVIRONMENT_BYTES}; move shared settings to "policy" or split the targets over two deployments (stackName)`,
    );
  }
  // The controller accepted every target, so its list lines up with the configuration's.
  const deployed = targets.map((target, index): DeployedTarget => {
    const settings = fallbacks.byIndex[index];
    if (settings === false) return { target };
    problems.push(...fallbackProblems(target, index));
    return { target, fallback: withFallbackDefaults(settings, target) };
  });
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    deployment: {
      stackName: config.stackName,
      cluster,
      auth: kafka.authMode,
      ...(kafka.scramSecretArn && config.scramSecretKmsKeyArn
        ? { scram: { secretArn: kafka.scramSecretArn, kmsKeyArn: config.scramSecretKmsKeyArn } }
        : {}),
      network: config.network,
      alarms: config.alarms,
      metricsNamespace,
      tickSeconds,
      environment: environment as Record<string, string>,
      dryRunEnvironment: dryRunEnvironment(environment as Record<string, string>),
      // The environment always names both: the parameter after the stack, the topic configured or the stack's.
      controlParameterName: controlParameter as string,
      notificationTopicArn: notifyTopicArn as string,
      targets: deployed,
    },
  };
}

/** Unless set: one task's worth of cold-start backlog per minimum task, and five minutes between steps. */
function withFallbackDefaults(settings: Partial<FallbackSettings> | undefined, target: Target): FallbackSettings {
  return {
    lagThreshold: settings?.lagThreshold ?? target.policy.lagPerTask * target.policy.minTasks,
    cooldownSeconds: settings?.cooldownSeconds ?? 300,
  };
}

function sizeOf(environment: Record<string, string | undefined>): number {
  return Object.entries(environment).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value ?? ''), 0);
}

/**
 * The fallback reads MSK's own lag metric, `SumOffsetLag`, which exists per group and topic only:
 * a target whose topics are discovered has nothing to alarm on, so its topics must be named (or its
 * fallback turned off). MSK publishes nothing for group names containing ":".
 */
function fallbackProblems(target: Target, index: number): string[] {
  const where = `targets[${index}] (${target.name})`;
  const off = 'or set "fallback": false';
  const problems: string[] = [];
  if (!target.topics)
    problems.push(`${where}.topics: the fallback alarm sums MSK's per-topic SumOffsetLag, so it needs the topics named; name them, ${off}`);
  else if (target.topics.length > MAX_FALLBACK_TOPICS) {
    problems.push(
      `${where}.topics: the fallback alarm can sum at most ${MAX_FALLBACK_TOPICS} topics (a CloudWatch alarm reads at most 10 metrics, one is the heartbeat); ${off}`,
    );
  }
  if (target.group.includes(':'))
    problems.push(
      `${where}.group: MSK publishes no lag metrics for a group name containing ":", so the fallback could never see a backlog; ${off}`,
    );
  return problems;
}

function parseFallbacks(targets: unknown): { byIndex: (Partial<FallbackSettings> | false | undefined)[]; problems: string[] } {
  if (!Array.isArray(targets)) return { byIndex: [], problems: [] };
  const problems: string[] = [];
  const byIndex = targets.map((entry, index) => {
    if (!isRecord(entry) || !('fallback' in entry)) return undefined;
    const parsed = fallbackSchema.safeParse(entry.fallback);
    const where = `targets[${index}]${typeof entry.name === 'string' ? ` (${entry.name})` : ''}.fallback`;
    if (!parsed.success) {
      problems.push(
        ...describeSchemaIssues(parsed.error).map((p) => `${where}${p.startsWith('(config)') ? p.slice('(config)'.length) : `.${p}`}`),
      );
      return undefined;
    }
    return parsed.data === true ? {} : parsed.data;
  });
  return { byIndex, problems };
}

/** The global policy takes the same fields, with the same types, as a target's overrides. */
function policyProblems(policy: unknown): string[] {
  if (!isRecord(policy)) return [];
  const unknown = Object.keys(policy)
    .filter((key) => !isPolicyField(key))
    .map((key) => `policy.${key}: is not a policy setting`);
  return [...unknown, ...pickPolicyOverrides(policy, 'policy').problems];
}

function describeSchemaIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => `${where ? `${where}.` : ''}${key}: is not a configuration field`);
    return [`${where || '(config)'}: ${issue.message}`];
  });
}

/** ['network', 'subnetIds', 0] → `network.subnetIds[0]`. */
function formatPath(path: PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** `network.vpcId: must be …` → `network.vpcId`. */
function location(problem: string): string {
  return problem.slice(0, problem.indexOf(':'));
}
