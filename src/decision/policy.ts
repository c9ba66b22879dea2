/**
 * The scaling policy: every tunable of `decide`, with its default, bounds, environment variable
 * and a one-line description. `POLICY_FIELDS` is the single source the config parser and the
 * README table are generated from, so a field is added in exactly one place.
 */

/** Every tunable of `decide`; see `POLICY_FIELDS` for each field's meaning, bounds and default. */
export interface Policy {
  minTasks: number;
  maxTasks: number;
  lagPerTask: number;
  /** 0 = learn it from history. */
  taskThroughput: number;
  targetUtilization: number;
  targetTimeLagSeconds: number;
  maxTimeLagSeconds: number;
  backlogDrainSeconds: number;
  taskStartupSeconds: number;
  rebalancePauseSeconds: number;
  tolerance: number;
  scaleDownStabilizationSeconds: number;
  maxScaleUpStep: number;
  maxScaleDownStep: number;
  allowIdleConsumers: boolean;
  scaleToZero: boolean;
  activationLagThreshold: number;
  allowedPartitionLag: number;
  healthWindowSeconds: number;
  stuckPartitionSeconds: number;
  rateWindowSeconds: number;
  throughputLearningWindowSeconds: number;
  learningMinBacklogSeconds: number;
}

export type PolicyFieldKind = 'integer' | 'number' | 'boolean';

export interface PolicyField<K extends keyof Policy = keyof Policy> {
  /** Environment variable that sets the field: `SCALER_` + the field name in UPPER_SNAKE. */
  env: string;
  kind: PolicyFieldKind;
  /** Inclusive bounds (numeric kinds only). */
  min?: number;
  max?: number;
  default: Policy[K];
  /**
   * With an objective (maxTimeLagSeconds = T > 0) and the field left unset, its default is this
   * fraction of T instead: knobs about time follow the objective unless given.
   */
  objectiveShare?: number;
  /** A window few operators change: the configuration docs list it apart, as advanced. */
  advanced?: true;
  description: string;
}

const MAX_COUNT = 10_000;
const DAY_SECONDS = 86_400;

/** `minTasks` → `SCALER_MIN_TASKS`. */
export function policyEnvName(field: string): string {
  return `SCALER_${field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function field<K extends keyof Policy>(name: K, spec: Omit<PolicyField<K>, 'env'>): PolicyField<K> {
  return { env: policyEnvName(name), ...spec };
}

export const POLICY_FIELDS: { readonly [K in keyof Policy]: PolicyField<K> } = {
  minTasks: field('minTasks', {
    kind: 'integer',
    min: 1,
    max: MAX_COUNT,
    default: 1,
    description: 'Fewest tasks while the group is active (zero only through scaleToZero).',
  }),
  maxTasks: field('maxTasks', {
    kind: 'integer',
    min: 1,
    max: MAX_COUNT,
    default: 100,
    description: 'Most tasks, whatever the lag (tasks beyond the partition count are never used unless allowIdleConsumers).',
  }),
  lagPerTask: field('lagPerTask', {
    kind: 'number',
    min: 1,
    max: 1e12,
    default: 5_000,
    description: 'Cold start, while per-task throughput is unknown: one task per this many messages of lag.',
  }),
  taskThroughput: field('taskThroughput', {
    kind: 'number',
    min: 0,
    max: 1e9,
    default: 0,
    description: 'Messages per second one task consumes when it owns one partition; 0 learns it from history.',
  }),
  targetUtilization: field('targetUtilization', {
    kind: 'number',
    min: 0.1,
    max: 1,
    default: 0.95,
    description: 'Fraction of capacity the produce rate may use; the rest is headroom.',
  }),
  targetTimeLagSeconds: field('targetTimeLagSeconds', {
    kind: 'number',
    min: 0,
    max: DAY_SECONDS,
    default: 60,
    objectiveShare: 0.5,
    description: 'Time lag the group is sized for: a backlog of up to this many seconds of production may stand.',
  }),
  maxTimeLagSeconds: field('maxTimeLagSeconds', {
    kind: 'number',
    min: 0,
    max: DAY_SECONDS,
    default: 0,
    description:
      'The objective: the age the oldest unconsumed message may reach. A backlog is sized to be gone, start-up and rebalance included, before its oldest message is this old. 0: no objective.',
  }),
  backlogDrainSeconds: field('backlogDrainSeconds', {
    kind: 'number',
    min: 1,
    max: DAY_SECONDS,
    default: 600,
    objectiveShare: 2.5,
    description: 'Seconds within which a backlog beyond the target time lag is worked off once new tasks consume.',
  }),
  taskStartupSeconds: field('taskStartupSeconds', {
    kind: 'number',
    min: 0,
    max: 3_600,
    default: 60,
    description: 'Seconds from requesting a task until it consumes.',
  }),
  rebalancePauseSeconds: field('rebalancePauseSeconds', {
    kind: 'number',
    min: 0,
    max: 600,
    default: 10,
    description: 'Seconds the whole group stops consuming when its membership changes.',
  }),
  tolerance: field('tolerance', {
    kind: 'number',
    min: 0,
    max: 0.99,
    default: 0.1,
    description: 'Relative mismatch between needed and current capacity that is ignored.',
  }),
  scaleDownStabilizationSeconds: field('scaleDownStabilizationSeconds', {
    kind: 'number',
    min: 0,
    max: DAY_SECONDS,
    default: 180,
    description: 'A scale-down uses the highest recommendation of this many past seconds.',
  }),
  maxScaleUpStep: field('maxScaleUpStep', {
    kind: 'integer',
    min: 1,
    max: MAX_COUNT,
    default: 100,
    description: 'Most tasks added by one decision.',
  }),
  maxScaleDownStep: field('maxScaleDownStep', {
    kind: 'integer',
    min: 1,
    max: MAX_COUNT,
    default: 100,
    description: 'Most tasks removed by one decision.',
  }),
  allowIdleConsumers: field('allowIdleConsumers', {
    kind: 'boolean',
    default: false,
    description: 'Allow more tasks than partitions (the extra tasks receive no partition).',
  }),
  scaleToZero: field('scaleToZero', {
    kind: 'boolean',
    default: false,
    description: 'Allow zero tasks when nothing is produced and the lag is at most activationLagThreshold.',
  }),
  activationLagThreshold: field('activationLagThreshold', {
    kind: 'number',
    min: 0,
    max: 1e12,
    default: 0,
    description: 'With scaleToZero: lag in messages above which a group at zero tasks starts again.',
  }),
  allowedPartitionLag: field('allowedPartitionLag', {
    kind: 'integer',
    min: 0,
    max: 1_000_000,
    default: 1,
    description:
      "Lag per partition at or below which a partition counts as caught up: neither stalled, stuck nor sized for. 1 covers a transaction's commit marker, which a consumer never consumes (phantom lag); 0 counts every message.",
  }),
  healthWindowSeconds: field('healthWindowSeconds', {
    advanced: true,
    kind: 'number',
    min: 60,
    max: DAY_SECONDS,
    default: 600,
    description: 'Window over which group health (Burrow rules: WARN, STALL, STOP, REWIND) is judged.',
  }),
  stuckPartitionSeconds: field('stuckPartitionSeconds', {
    advanced: true,
    kind: 'number',
    min: 30,
    max: DAY_SECONDS,
    default: 180,
    description:
      "A partition whose committed offset has stood still with lag while other partitions' offsets moved is stuck (a poison message) after at most this long, sooner when it committed often (twice its usual interval between commits, at least 60 s): reported, and its backlog left out of the sizing.",
  }),
  rateWindowSeconds: field('rateWindowSeconds', {
    advanced: true,
    kind: 'number',
    min: 1,
    max: 3_600,
    default: 60,
    description:
      'Window over which produce and consume rates are measured (after a confirmation read the produce rate since the first read counts too, when higher: SCALER_CONFIRM_SECONDS).',
  }),
  throughputLearningWindowSeconds: field('throughputLearningWindowSeconds', {
    advanced: true,
    kind: 'number',
    min: 60,
    max: DAY_SECONDS,
    default: 1_800,
    description: 'Window of history from which per-task throughput is learned.',
  }),
  learningMinBacklogSeconds: field('learningMinBacklogSeconds', {
    advanced: true,
    kind: 'number',
    min: 0,
    max: 3_600,
    default: 10,
    description: 'A sample teaches per-task throughput only if the backlog held this many seconds of consumption.',
  }),
};

export const POLICY_FIELD_NAMES = Object.keys(POLICY_FIELDS) as (keyof Policy)[];

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze(
  Object.fromEntries(POLICY_FIELD_NAMES.map((name) => [name, POLICY_FIELDS[name].default])) as unknown as Policy,
);

/**
 * The policy from the defaults and any layers of overrides, later layers winning. With an objective,
 * a field with an `objectiveShare` that no layer sets defaults to that share of the objective
 * (bounded by the field's range): the standing backlog and the drain time follow the objective.
 * The shares were chosen on the out-of-sample traces; how, and what they cost, is in
 * docs/decision.md.
 */
export function resolvePolicy(...layers: readonly Partial<Policy>[]): Policy {
  const given: Partial<Policy> = Object.assign({}, ...layers);
  const policy = { ...DEFAULT_POLICY, ...given } as Policy;
  const objective = policy.maxTimeLagSeconds;
  if (!(typeof objective === 'number' && objective > 0)) return policy;
  const derived: Record<string, number> = {};
  for (const name of POLICY_FIELD_NAMES) {
    const spec: PolicyField = POLICY_FIELDS[name];
    if (spec.objectiveShare === undefined || Object.hasOwn(given, name)) continue;
    derived[name] = Math.min(spec.max ?? Number.POSITIVE_INFINITY, Math.max(spec.min ?? 0, spec.objectiveShare * objective));
  }
  return { ...policy, ...derived } as Policy;
}

/** The longest stretch of history `decide` looks at: callers keep entries no older than this. */
export function historyWindowSeconds(policy: Policy): number {
  return Math.max(
    policy.healthWindowSeconds,
    policy.stuckPartitionSeconds,
    policy.rateWindowSeconds,
    policy.throughputLearningWindowSeconds,
    policy.scaleDownStabilizationSeconds,
  );
}
