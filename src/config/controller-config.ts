/**
 * The controller's whole configuration, from environment variables, parsed and validated in one
 * place. An invalid configuration yields every problem at once, each naming the variable (and the
 * target and field); the controller then does nothing at all.
 */
import { z } from 'zod';
import type { Policy } from '../decision/index.js';
import { booleanVar, describeIssues, integerVar, stringVar, type Env } from './env-schema.js';
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
  /** Rebuild history from the controller's own CloudWatch metrics after a cold start. */
  restoreHistory: boolean;
}

export type ConfigResult = { ok: true; config: ControllerConfig } | { ok: false; problems: string[] };

const TARGET_KEYS = new Set(['name', 'group', 'topics', 'cluster', 'service']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const controllerSchema = z.object({
  SCALER_DRY_RUN: booleanVar().default(false),
  SCALER_METRICS_NAMESPACE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().regex(/^[^:][^:]{0,254}$/, { error: 'must be 1–255 characters without ":"' }).default('KafkaLagScaler'),
  ),
  SCALER_TARGET_CONCURRENCY: integerVar(1, 50).default(5),
  SCALER_PERIOD_SECONDS: integerVar(10, 3_600).default(60),
  SCALER_RESTORE_HISTORY: booleanVar().default(true),
  SCALER_TARGETS: stringVar().optional(),
});

export function parseControllerConfig(env: Env): ConfigResult {
  const problems: string[] = [];

  const kafka = parseKafkaSettings(env);
  if (!kafka.ok) problems.push(...kafka.problems);

  const controller = controllerSchema.safeParse(env);
  if (!controller.success) problems.push(...describeIssues(controller.error));

  const globalPolicy = parsePolicyEnv(env);
  problems.push(...globalPolicy.problems);

  const targets = parseTargets(env.SCALER_TARGETS, globalPolicy.problems.length === 0 ? globalPolicy.overrides : {});
  problems.push(...targets.problems);

  if (problems.length > 0 || !kafka.ok || !controller.success) return { ok: false, problems };
  const c = controller.data;
  return {
    ok: true,
    config: {
      kafka: kafka.settings,
      targets: targets.targets,
      globalPolicy: globalPolicy.overrides,
      dryRun: c.SCALER_DRY_RUN,
      metricsNamespace: c.SCALER_METRICS_NAMESPACE,
      targetConcurrency: c.SCALER_TARGET_CONCURRENCY,
      periodSeconds: c.SCALER_PERIOD_SECONDS,
      restoreHistory: c.SCALER_RESTORE_HISTORY,
    },
  };
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
