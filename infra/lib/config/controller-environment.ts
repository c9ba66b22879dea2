/**
 * The controller Lambda's environment, built from the deployment configuration. The controller's
 * own parser (`parseControllerConfig`) then validates it at synth time, so the deployed Lambda
 * never starts with a configuration it would refuse, and a mistake fails `cdk synth` with the
 * controller's own message — its variable name replaced by the configuration field it came from.
 */

import type { Env } from '../../../src/config/env-reader.js';
import { POLICY_FIELD_NAMES, POLICY_FIELDS } from '../../../src/decision/index.js';

/** The schedule's period; the controller skips events older than two of them. */
export const TICK_PERIOD_SECONDS = 60;

/**
 * The controller's timeout: a tick ends before the next one starts (reserved concurrency 1 would
 * throttle it). The tick's worst case with the default settings fits inside (src/wiring/tick-budget.ts).
 */
export const CONTROLLER_TIMEOUT_SECONDS = TICK_PERIOD_SECONDS - 10;

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
  policy?: unknown;
  targets?: unknown;
}

export function controllerEnvironment(fields: ControllerFields): Env {
  const env: Env = {
    MSK_CLUSTER_ARN: text(fields.clusterArn),
    KAFKA_AUTH_MODE: fields.auth === undefined ? DEFAULT_AUTH_MODE : text(fields.auth),
    KAFKA_SCRAM_SECRET_ARN: text(fields.scramSecretArn),
    // Unique to the deployment by default: two stacks never read each other's history or alarms.
    SCALER_METRICS_NAMESPACE: text(fields.metricsNamespace) ?? `KafkaLagScaler/${text(fields.stackName) ?? DEFAULT_STACK_NAME}`,
    SCALER_DRY_RUN: typeof fields.dryRun === 'boolean' ? String(fields.dryRun) : undefined,
    SCALER_PERIOD_SECONDS: String(TICK_PERIOD_SECONDS),
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
