/**
 * The controller Lambda's environment, built from the deployment configuration. The controller's
 * own parser (`parseControllerConfig`) then validates it at synth time, so the deployed Lambda
 * never starts with a configuration it would refuse, and a mistake fails `cdk synth` with the
 * controller's own message — its variable name replaced by the configuration field it came from.
 */

import type { Env } from '../../../src/config/env-reader.js';
import { POLICY_FIELD_NAMES, POLICY_FIELDS } from '../../../src/decision/index.js';
import { parseMskClusterArn } from './msk-cluster.js';

/** The schedule's period; the controller skips events older than two of them. */
export const TICK_PERIOD_SECONDS = 60;

/**
 * The controller's timeout at one tick an invocation: a tick ends before the next one starts
 * (reserved concurrency 1 would throttle it). The tick's worst case with the default settings fits
 * inside (tools/docs/tick-budget.ts).
 */
export const CONTROLLER_TIMEOUT_SECONDS = TICK_PERIOD_SECONDS - 10;

/**
 * Left between the end of a tick loop and the next scheduled invocation: the scheduler delivers
 * within a second or so of the scheduled time, and Lambda needs a moment to hand over.
 */
const TICK_LOOP_MARGIN_SECONDS = 3;

/**
 * The controller's timeout for a tick every `tickSeconds`: one tick an invocation gets the one-tick
 * budget; several run until just before the next invocation is due (src/wiring/run-controller.ts
 * ends each tick at its slot and the loop at the invocation's deadline), so the last slot of the
 * period is used rather than cut off by the timeout.
 */
export function controllerTimeoutSeconds(tickSeconds: number): number {
  return tickSeconds >= TICK_PERIOD_SECONDS ? CONTROLLER_TIMEOUT_SECONDS : TICK_PERIOD_SECONDS - TICK_LOOP_MARGIN_SECONDS;
}

/** The SSM parameter the controller reads every tick for pause and pins: one per deployment. */
export function controlParameterName(stackName: string): string {
  return `/${stackName}/control`;
}

/** The topic the stack creates for alarms and scale notifications, unless one is configured. */
export function notificationTopicName(stackName: string): string {
  return `${stackName}-alarms`;
}

/** MSK's recommended client authentication (also the controller's own default). */
export const DEFAULT_AUTH_MODE = 'iam';

export const DEFAULT_STACK_NAME = 'KafkaLagScaler';

/** Target fields only the infrastructure reads; the controller refuses unknown target fields. */
const INFRA_TARGET_FIELDS = ['fallback'] as const;

/** The configuration fields the environment is built from, as they arrive (types unchecked). */
export interface ControllerFields {
  stackName?: unknown;
  clusterArn?: unknown;
  auth?: unknown;
  scramSecretArn?: unknown;
  metricsNamespace?: unknown;
  dryRun?: unknown;
  tickSeconds?: unknown;
  alarms?: unknown;
  policy?: unknown;
  targets?: unknown;
}

export function controllerEnvironment(fields: ControllerFields): Env {
  const stackName = text(fields.stackName) ?? DEFAULT_STACK_NAME;
  const alarms = isRecord(fields.alarms) ? fields.alarms : {};
  const env: Env = {
    MSK_CLUSTER_ARN: text(fields.clusterArn),
    KAFKA_AUTH_MODE: fields.auth === undefined ? DEFAULT_AUTH_MODE : text(fields.auth),
    KAFKA_SCRAM_SECRET_ARN: text(fields.scramSecretArn),
    // Unique to the deployment by default: two stacks never read each other's history or alarms.
    SCALER_METRICS_NAMESPACE: text(fields.metricsNamespace) ?? `KafkaLagScaler/${stackName}`,
    SCALER_DRY_RUN: typeof fields.dryRun === 'boolean' ? String(fields.dryRun) : undefined,
    SCALER_PERIOD_SECONDS: String(TICK_PERIOD_SECONDS),
    SCALER_TICK_SECONDS: numeral(fields.tickSeconds),
    SCALER_CONTROL_PARAMETER: controlParameterName(stackName),
    SCALER_NOTIFY_TOPIC_ARN: text(alarms.topicArn) ?? createdTopicArn(fields.clusterArn, stackName),
    SCALER_NOTIFY_MIN_CHANGE: numeral(alarms.notifyMinChange),
    // Whatever was given, so the controller names what is wrong with it.
    SCALER_TARGETS:
      fields.targets === undefined
        ? undefined
        : JSON.stringify(Array.isArray(fields.targets) ? fields.targets.map(withoutInfraFields) : fields.targets),
  };
  if (isRecord(fields.policy)) {
    for (const name of POLICY_FIELD_NAMES) {
      const value = fields.policy[name];
      // Wrong types are reported by the configuration schema; the controller sees only strings.
      if (typeof value === 'number' || typeof value === 'boolean') env[POLICY_FIELDS[name].env] = String(value);
    }
  }
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

/** The configuration field behind each variable the environment sets. */
const FIELD_OF_VARIABLE: Readonly<Record<string, string>> = {
  MSK_CLUSTER_ARN: 'clusterArn',
  KAFKA_AUTH_MODE: 'auth',
  KAFKA_SCRAM_SECRET_ARN: 'scramSecretArn',
  SCALER_METRICS_NAMESPACE: 'metricsNamespace',
  SCALER_DRY_RUN: 'dryRun',
  SCALER_TICK_SECONDS: 'tickSeconds',
  SCALER_CONTROL_PARAMETER: 'stackName',
  SCALER_NOTIFY_TOPIC_ARN: 'alarms.topicArn',
  SCALER_NOTIFY_MIN_CHANGE: 'alarms.notifyMinChange',
  SCALER_TARGETS: 'targets',
  ...Object.fromEntries(POLICY_FIELD_NAMES.map((name) => [POLICY_FIELDS[name].env, `policy.${name}`])),
};

/**
 * The stack always sets MSK_CLUSTER_ARN and never KAFKA_BROKERS: problems with these only restate
 * a missing or malformed cluster ARN, which is reported on its own.
 */
const RESTATING_CLUSTER_ARN = new Set(['KAFKA_BROKERS', 'AWS_REGION']);

const LEADING_VARIABLE = /^[A-Z][A-Z0-9_]*/;

/**
 * The controller's problems in the configuration's terms: `SCALER_TARGETS[0] (orders).maxTasks: …`
 * → `targets[0] (orders).maxTasks: …`, `SCALER_MAX_TASKS: …` → `policy.maxTasks: …`.
 */
export function toConfigProblems(controllerProblems: string[]): string[] {
  return controllerProblems
    .filter((problem) => !RESTATING_CLUSTER_ARN.has(LEADING_VARIABLE.exec(problem)?.[0] ?? ''))
    .map((problem) => problem.replace(LEADING_VARIABLE, (variable) => FIELD_OF_VARIABLE[variable] ?? variable));
}

/**
 * The hand-run dry-run function's environment: the controller's, read-only. It decides as the
 * scheduled controller would, never acts, publishes nothing and notifies no one.
 */
export function dryRunEnvironment(environment: Readonly<Record<string, string>>): Record<string, string> {
  const { SCALER_NOTIFY_TOPIC_ARN: _topic, SCALER_NOTIFY_MIN_CHANGE: _minChange, ...readOnly } = environment;
  return { ...readOnly, SCALER_DRY_RUN: 'true', SCALER_PUBLISH_METRICS: 'false' };
}

/** SNS's rule for topic names; a stack name that breaks it is reported as the stack name's problem. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The ARN of the topic the stack creates, known before it exists so the controller's parser checks
 * it; none without a cluster ARN to place it or a usable stack name (both reported on their own).
 */
function createdTopicArn(clusterArn: unknown, stackName: string): string | undefined {
  const cluster = typeof clusterArn === 'string' ? parseMskClusterArn(clusterArn) : undefined;
  const name = notificationTopicName(stackName);
  return cluster && TOPIC_NAME.test(name) ? `arn:${cluster.partition}:sns:${cluster.region}:${cluster.account}:${name}` : undefined;
}

/** A number as the controller reads it; wrong types are reported by the configuration schema. */
function numeral(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : undefined;
}

function withoutInfraFields(target: unknown): unknown {
  if (!isRecord(target)) return target;
  const copy = { ...target };
  for (const field of INFRA_TARGET_FIELDS) delete copy[field];
  return copy;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
