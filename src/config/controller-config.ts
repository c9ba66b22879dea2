/**
 * The controller's whole configuration, from environment variables, parsed and validated in one
 * place. An invalid configuration yields every problem at once, each naming the variable (and the
 * target and field); the controller then does nothing at all.
 */
import type { Policy } from '../decision/index.js';
import { EnvReader, type Env } from './env-reader.js';
import { parseKafkaSettings, type KafkaSettings } from './kafka-settings.js';
import { isPolicyField, mergePolicy, parsePolicyEnv, pickPolicyOverrides, policyProblems, type PolicyOverrides } from './policy-settings.js';

/** A consumer group and the ECS service that consumes it. */
export interface Target {
  /** Unique name: the metrics dimension, the log key, and what a dry run selects by. */
  name: string;
  group: string;
  /** Topics whose lag counts; none: every topic the group has committed on. */
  topics?: string[];
  cluster: string;
  service: string;
  /** The target's own policy fields, on top of the global ones. */
  overrides: PolicyOverrides;
  /** Defaults < global variables < the target's own fields. */
  policy: Policy;
}

export interface ControllerConfig {
  kafka: KafkaSettings;
  targets: Target[];
  /** Global policy fields from the environment (dry-run overrides layer on these and the target's). */
  globalPolicy: PolicyOverrides;
  dryRun: boolean;
  metricsNamespace: string;
  /** Targets handled at the same time. */
  targetConcurrency: number;
  /** The schedule's period: events older than two periods are skipped as stale. */
  periodSeconds: number;
  /** Publish per-target metrics to CloudWatch on scheduled ticks (the fallback alarms need them). */
  publishMetrics: boolean;
  /** Rebuild history from the controller's own CloudWatch metrics after a cold start. */
  restoreHistory: boolean;
  /** Time for one attempt of any AWS call (ECS, CloudWatch, MSK, Secrets Manager). */
  awsTimeoutMs: number;
}

export const DEFAULT_AWS_TIMEOUT_MS = 3_000;

export type ConfigResult = { ok: true; config: ControllerConfig } | { ok: false; problems: string[] };

const TARGET_KEYS = new Set(['name', 'group', 'topics', 'cluster', 'service']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseControllerConfig(env: Env): ConfigResult {
  const problems: string[] = [];

  const kafka = parseKafkaSettings(env);
  if (!kafka.ok) problems.push(...kafka.problems);

  const read = new EnvReader(env);
  const controller = {
    dryRun: read.boolean('SCALER_DRY_RUN', false),
    metricsNamespace: read.matching('SCALER_METRICS_NAMESPACE', /^[^:]{1,255}$/, 'must be 1–255 characters without ":"') ?? 'KafkaLagScaler',
    targetConcurrency: read.integer('SCALER_TARGET_CONCURRENCY', { min: 1, max: 50 }, 5),
    periodSeconds: read.integer('SCALER_PERIOD_SECONDS', { min: 10, max: 3_600 }, 60),
    publishMetrics: read.boolean('SCALER_PUBLISH_METRICS', true),
    restoreHistory: read.boolean('SCALER_RESTORE_HISTORY', true),
    awsTimeoutMs: read.integer('SCALER_AWS_TIMEOUT_MS', { min: 100, max: 30_000 }, DEFAULT_AWS_TIMEOUT_MS),
  };
  problems.push(...read.problems);

  const globalPolicy = parsePolicyEnv(env);
  problems.push(...globalPolicy.problems);

  const targets = parseTargets(env.SCALER_TARGETS, globalPolicy.problems.length === 0 ? globalPolicy.overrides : {});
  problems.push(...targets.problems);

  if (problems.length > 0 || !kafka.ok) return { ok: false, problems };
  return { ok: true, config: { kafka: kafka.settings, targets: targets.targets, globalPolicy: globalPolicy.overrides, ...controller } };
}

/** SCALER_TARGETS: a JSON array of targets; every problem is named `SCALER_TARGETS[i] (name).field`. */
export function parseTargets(raw: string | undefined, globalPolicy: PolicyOverrides): { targets: Target[]; problems: string[] } {
  if (raw === undefined || raw.trim() === '') return { targets: [], problems: ['SCALER_TARGETS: is required: a JSON array of targets'] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return { targets: [], problems: [`SCALER_TARGETS: is not valid JSON (${(error as Error).message})`] };
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return { targets: [], problems: ['SCALER_TARGETS: must be a non-empty JSON array of targets'] };
  }

  const problems: string[] = [];
  const targets: Target[] = [];
  const names = new Map<string, number>();
  const services = new Map<string, number>();
  parsed.forEach((entry, index) => {
    const where = `SCALER_TARGETS[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: must be an object with name, group, cluster and service`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const label = typeof record.name === 'string' ? `${where} (${record.name})` : where;
    const before = problems.length;

    const text = (key: string, pattern?: RegExp, hint?: string): string | undefined => {
      const value = record[key];
      if (typeof value !== 'string' || value.trim() === '') problems.push(`${label}.${key}: is required (a non-empty string)`);
      else if (pattern && !pattern.test(value)) problems.push(`${label}.${key}: ${hint}`);
      else return value;
      return undefined;
    };
    const name = text('name', NAME, 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
    const group = text('group');
    const cluster = text('cluster');
    const service = text('service');
    let topics: string[] | undefined;
    if ('topics' in record) {
      const value = record.topics;
      if (!Array.isArray(value) || value.length === 0 || !value.every((t) => typeof t === 'string' && t.trim() !== '')) {
        problems.push(`${label}.topics: must be a non-empty array of topic names (leave it out for every topic the group committed on)`);
      } else topics = value as string[];
    }
    for (const key of Object.keys(record)) {
      if (!TARGET_KEYS.has(key) && !isPolicyField(key)) problems.push(`${label}.${key}: is not a target field or a policy setting`);
    }
    const own = pickPolicyOverrides(record, label);
    problems.push(...own.problems);
    const policy = mergePolicy(globalPolicy, own.overrides);
    if (own.problems.length === 0) problems.push(...policyProblems(policy, label));

    if (name !== undefined) {
      if (names.has(name)) problems.push(`${label}.name: "${name}" is already used by SCALER_TARGETS[${names.get(name)}]`);
      else names.set(name, index);
    }
    if (cluster !== undefined && service !== undefined) {
      const key = `${cluster}/${service}`;
      // Two targets driving one service would fight each other.
      if (services.has(key)) problems.push(`${label}.service: ${key} is already scaled by SCALER_TARGETS[${services.get(key)}]`);
      else services.set(key, index);
    }
    if (problems.length === before && name && group && cluster && service) {
      targets.push({ name, group, ...(topics ? { topics } : {}), cluster, service, overrides: own.overrides, policy });
    }
  });
  return { targets, problems };
}
