/**
 * The controller's whole configuration, from environment variables, parsed and validated in one
 * place. An invalid configuration yields every problem at once, each naming the variable (and the
 * target and field); the controller then does nothing at all.
 */
import { type Cadence, DEFAULT_CADENCE, resolveCadence, surgeTickFits } from '../control/index.js';
import { type Env, EnvReader } from './env-reader.js';
import { type KafkaSettings, readKafkaSettings } from './kafka-settings.js';
import { POLICY_VARIABLES, type PolicyOverrides, parsePolicyEnv } from './policy-settings.js';
import { didYouMean, distinctProblems, unquoted } from './problem-text.js';
import { readSettings, type Setting } from './setting.js';
import { parseTargets, type Target } from './targets.js';

export interface ControllerConfig {
  kafka: KafkaSettings;
  targets: Target[];
  /** Global policy fields from the environment (dry-run overrides layer on these and the target's). */
  globalPolicy: PolicyOverrides;
  dryRun: boolean;
  metricsNamespace: string;
  /** ECS calls in flight at the same time. */
  targetConcurrency: number;
  /** The schedule's period: events older than two periods are skipped as stale. */
  periodSeconds: number;
  /** Seconds between ticks within one scheduled invocation (the period: one tick an invocation). */
  tickSeconds: number;
  /** While a surge is on or a partition is stuck (see src/control/surge-watch.ts), seconds between extra ticks within the invocation; 0: none (always below the period's ticks). */
  surgeTickSeconds: number;
  /** A tick that would raise a count reads that target again this many seconds later and acts on what it sees then; 0: at once. */
  confirmSeconds: number;
  /** Publish per-target metrics to CloudWatch on scheduled ticks (the fallback alarms need them). */
  publishMetrics: boolean;
  /** Rebuild history from the controller's own CloudWatch metrics after a cold start. */
  restoreHistory: boolean;
  /** Time for one attempt of any AWS call (ECS, CloudWatch, MSK, Secrets Manager, SSM, SNS). */
  awsTimeoutMs: number;
  /** Hold every target at its count (the kill switch that keeps the heartbeat). */
  paused: boolean;
  /** SSM parameter read every tick for pause and pins that change without a deploy; none: not read. */
  controlParameter: string | undefined;
  /** SNS topic told of each scale action of at least `notifyMinChange` tasks; none: no notifications. */
  notifyTopicArn: string | undefined;
  notifyMinChange: number;
}

export const DEFAULT_AWS_TIMEOUT_MS = 3_000;

/** The controller's own settings (SCALER_TARGETS and the policy's are declared apart). */
export const CONTROLLER_SETTINGS = {
  dryRun: { kind: 'boolean', env: 'SCALER_DRY_RUN', default: false, description: 'Decide and report, never call UpdateService.' },
  metricsNamespace: {
    kind: 'text',
    env: 'SCALER_METRICS_NAMESPACE',
    pattern: /^[^:]{1,255}$/,
    hint: 'must be 1–255 characters without ":"',
    default: 'KafkaLagScaler',
    description: "CloudWatch namespace of the controller's metrics (the CDK app sets `KafkaLagScaler/<stackName>`).",
  },
  publishMetrics: {
    kind: 'boolean',
    env: 'SCALER_PUBLISH_METRICS',
    default: true,
    description: 'Publish per-target metrics on scheduled ticks (the fallback alarm needs the heartbeat).',
  },
  restoreHistory: {
    kind: 'boolean',
    env: 'SCALER_RESTORE_HISTORY',
    default: true,
    description: "After a cold start, rebuild each target's history from those metrics (GetMetricData).",
  },
  targetConcurrency: {
    kind: 'integer',
    env: 'SCALER_TARGET_CONCURRENCY',
    min: 1,
    max: 50,
    default: 5,
    description: 'ECS calls in flight at the same time.',
  },
  periodSeconds: {
    kind: 'integer',
    env: 'SCALER_PERIOD_SECONDS',
    min: 10,
    max: 3_600,
    default: 60,
    description: "The schedule's period: scheduled events older than two periods are skipped as stale, and step limits hold per period.",
  },
  tickSeconds: {
    kind: 'integer',
    env: 'SCALER_TICK_SECONDS',
    min: 5,
    max: 3_600,
    default: 60,
    shownDefault: 'the period',
    description:
      'Seconds between ticks (unset: the period). Below the period, one scheduled invocation observes, decides and acts every this many seconds until just before the next one is due (it must divide the period). Step limits hold per tick.',
  },
  surgeTickSeconds: {
    kind: 'integer',
    env: 'SCALER_SURGE_TICK_SECONDS',
    min: 0,
    max: 3_600,
    default: DEFAULT_CADENCE.surgeTickSeconds,
    description:
      'While a surge is on (a tick raised the count, or the objective is out of reach) or a partition is stuck, a scheduled invocation ticks again every this many seconds until a tick is calm or the period is over (it must divide the period; 0: never). Steps still hold per tick period.',
  },
  confirmSeconds: {
    kind: 'integer',
    env: 'SCALER_CONFIRM_SECONDS',
    min: 0,
    max: 30,
    default: DEFAULT_CADENCE.confirmSeconds,
    description:
      "A scheduled tick (dry or not) that would raise a target's count reads its lag and service again this many seconds later and decides on that read, taking the produce rate since the first when it is higher: a surge that began just before the tick is sized on its rate now, not on the minute's average. 0: decide on the first read. It must be at least 2 and leave half of the shortest tick (the surge ticks where there are some, else the ticks); unset, it is off where it does not fit.",
  },
  awsTimeoutMs: {
    kind: 'integer',
    env: 'SCALER_AWS_TIMEOUT_MS',
    min: 100,
    max: 30_000,
    default: DEFAULT_AWS_TIMEOUT_MS,
    description: 'Time for one attempt of any AWS call (ECS, CloudWatch, MSK, Secrets Manager, SSM, SNS), connecting included.',
  },
  paused: {
    kind: 'boolean',
    env: 'SCALER_PAUSED',
    default: false,
    description:
      'Hold every target at its current count (reason `paused`) while still observing and publishing the heartbeat, so the fallback does not take over.',
  },
  controlParameter: {
    kind: 'text',
    env: 'SCALER_CONTROL_PARAMETER',
    pattern: /^\/?[A-Za-z0-9_.\-/]{1,1011}$/,
    hint: 'must be an SSM parameter name (letters, digits, "_", ".", "-", "/")',
    description:
      'SSM parameter read every tick, `{"paused": true}` or `{"pinnedTasks": {"<target>": 4}}`: pause and pin without a deploy (the CDK app creates it). Unset: not read.',
  },
  notifyTopicArn: {
    kind: 'text',
    env: 'SCALER_NOTIFY_TOPIC_ARN',
    pattern: /^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    hint: 'must be an SNS topic ARN',
    description: 'SNS topic told of each scale action (from, to, why) of at least SCALER_NOTIFY_MIN_CHANGE tasks. Unset: no notifications.',
  },
  notifyMinChange: {
    kind: 'integer',
    env: 'SCALER_NOTIFY_MIN_CHANGE',
    min: 1,
    max: 10_000,
    default: 1,
    description: 'Smallest change in tasks, up or down, that is notified to SCALER_NOTIFY_TOPIC_ARN.',
  },
} as const satisfies Record<string, Setting>;

export type ConfigResult = { ok: true; config: ControllerConfig } | { ok: false; problems: string[] };

/** Variables with these prefixes are ours: one that no setting reads is a mistake, not noise. */
const OUR_PREFIXES = /^(SCALER|KAFKA|MSK)_/;
export function parseControllerConfig(env: Env): ConfigResult {
  const read = new EnvReader(env);
  const kafka = readKafkaSettings(read);
  const settings = readSettings(read, CONTROLLER_SETTINGS);
  // Unset, a tick is the whole period: one tick an invocation, whatever the period.
  const controller: typeof settings & { surgeTickSeconds: number; confirmSeconds: number } = {
    ...settings,
    ...(read.string(CONTROLLER_SETTINGS.tickSeconds.env) === undefined ? { tickSeconds: settings.periodSeconds } : {}),
  };
  if (controller.tickSeconds > controller.periodSeconds || controller.periodSeconds % controller.tickSeconds !== 0) {
    read.problem(
      'SCALER_TICK_SECONDS',
      `must divide SCALER_PERIOD_SECONDS (${controller.periodSeconds}), got ${controller.tickSeconds}`,
      undefined,
    );
  }
  const cadence = loopCadence(read, settings, controller.tickSeconds, controller.periodSeconds);
  controller.surgeTickSeconds = cadence.surgeTickSeconds;
  controller.confirmSeconds = cadence.confirmSeconds;
  read.names.add('SCALER_TARGETS');
  const problems = [...read.problems, ...unknownVariables(env, new Set([...read.names, ...POLICY_VARIABLES]))];

  const globalPolicy = parsePolicyEnv(env);
  problems.push(...globalPolicy.problems);

  const targets = parseTargets(env.SCALER_TARGETS, globalPolicy.problems.length === 0 ? globalPolicy.overrides : {});
  problems.push(...targets.problems);

  if (problems.length > 0) return { ok: false, problems: distinctProblems(problems) };
  return { ok: true, config: { kafka, targets: targets.targets, globalPolicy: globalPolicy.overrides, ...controller } };
}

/**
 * The control loop's cadence (src/control/cadence.ts rules what fits): surge ticks only at one tick
 * a period, each dividing the period; a confirmation that fits the shortest tick. Unset, each takes
 * its default where it fits and is off where it does not; set and not fitting, it is a problem.
 */
function loopCadence(
  read: EnvReader,
  settings: { surgeTickSeconds: number; confirmSeconds: number },
  tickSeconds: number,
  periodSeconds: number,
): Cadence {
  const isSet = (setting: { env: string }) => read.string(setting.env) !== undefined;
  const surge = settings.surgeTickSeconds;
  const surgeSet = isSet(CONTROLLER_SETTINGS.surgeTickSeconds);
  if (surgeSet && !surgeTickFits(surge, periodSeconds)) {
    read.problem(
      'SCALER_SURGE_TICK_SECONDS',
      `must be 0 or divide SCALER_PERIOD_SECONDS (${periodSeconds}) into several ticks, got ${surge}`,
      undefined,
    );
  }
  const everyTick = tickSeconds < periodSeconds;
  const { cadence, problems } = resolveCadence({
    tickSeconds,
    ...(everyTick || (surgeSet && !surgeTickFits(surge, periodSeconds))
      ? { surgeTickSeconds: 0 }
      : surgeSet
        ? { surgeTickSeconds: surge }
        : {}),
    ...(isSet(CONTROLLER_SETTINGS.confirmSeconds) ? { confirmSeconds: settings.confirmSeconds } : {}),
  });
  for (const problem of problems)
    read.problem(CONTROLLER_SETTINGS[problem.field as 'confirmSeconds'].env, `${problem.must}, got ${problem.got}`, undefined);
  return cadence;
}

/** Our variables that no setting reads: misspellings, which would otherwise leave a default in force unsaid. */
function unknownVariables(env: Env, known: ReadonlySet<string>): string[] {
  return Object.keys(env)
    .filter((name) => OUR_PREFIXES.test(name) && !known.has(name))
    .map((name) => `${unquoted(name)}: is not a setting of kafka-lag-scaler${didYouMean(name, known)}`);
}
