/**
 * The wiring: the one module that builds clients and hands them to the tick, as the Lambda and the
 * CLI run it: configuration → stale and duplicate events → target selection → history → one tick
 * (src/tick) → report (log lines, metrics). Clients, the Kafka connection and the history live at
 * module level, so warm invocations reuse them. The rules live in src/tick; this file only connects.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { boundedClientConfig } from '../adapters/aws-client-config.js';
import { type RestoredHistory, restoreHistory } from '../adapters/cloudwatch/history-restore.js';
import { METRIC } from '../adapters/cloudwatch/metric-names.js';
import type { MetricsBuffer } from '../adapters/cloudwatch/metrics-buffer.js';
import { batchedServiceReader, createEcsClient, setDesiredCount } from '../adapters/ecs/ecs-service.js';
import {
  closeSharedOffsetsSource,
  defaultConnectDependencies,
  forgetSourceOnAuthenticationFailure,
  sharedOffsetsSource,
} from '../adapters/kafka/connect.js';
import type { KafkaJsOffsetsSource } from '../adapters/kafka/kafkajs-offsets-source.js';
import { createSnsClient, notifyScaleActions } from '../adapters/sns/notify-scale-actions.js';
import { createSsmClient, readControlParameter } from '../adapters/ssm/control-parameter.js';
import { type ControllerConfig, DEFAULT_AWS_TIMEOUT_MS, parseControllerConfig } from '../config/controller-config.js';
import type { Env } from '../config/env-reader.js';
import { type ControlsResult, operatorControls } from '../config/operator-controls.js';
import type { Target } from '../config/targets.js';
import { type Cadence, createControlLoop } from '../control/index.js';
import { failedGroup, readLagEach } from '../lag/read-lag.js';
import type { GroupLag, GroupRequest, LagReadError } from '../lag/types.js';
import { decisionLogLine } from '../report/decision-log.js';
import type { TickResult } from '../report/outcome.js';
import { duplicateEvent, futureEvent, handledAt, staleEvent } from '../tick/events.js';
import { DEFAULT_SAMPLE_SECONDS, type Invocation } from '../tick/invocation.js';
import { LoopStore } from '../tick/loop-store.js';
import { selectTargets } from '../tick/select-targets.js';
import { ACT_RESERVE_MS, runTick, type TickDependencies } from '../tick/tick.js';
import { abortAfter, beforeDeadline } from '../util/deadline.js';
import { present } from '../util/present.js';
import type { ControllerLogger } from './logger.js';
import { observeOnce } from './observe-once.js';
import { historyForRun } from './run-history.js';

export interface RunOptions {
  env: Env;
  invocation: Invocation;
  /** Epoch ms by which everything must be done. */
  deadline: number;
  /** Publish metrics, as configured (every run restores history from them after a cold start). The CLI opts in. */
  useCloudWatch: boolean;
  logger: ControllerLogger;
  /** Filled during the run; the caller flushes it (the handler's middleware, or the CLI). */
  metrics: MetricsBuffer;
  /** False for a period's later ticks: they publish no history-restore figures (see MetricsBuffer.addTarget). Default true. */
  restorable?: boolean;
  /** The configuration, when the caller already parsed `env` (each tick of an invocation reads it once). */
  config?: ControllerConfig;
  /** A surge slot of a scheduled invocation: only the targets whose loop is due then are read. */
  surgeSlot?: boolean;
  now?: () => number;
}

export type RunOutcome =
  | { ok: true; result: TickResult; config: ControllerConfig }
  | { ok: false; kind: 'configuration' | 'payload'; problems: string[] };

/** Each target's control loop state, kept across warm invocations. */
const loops = new LoopStore();
/** The latest scheduled time a tick ran for (epoch ms): the scheduler delivers at least once. */
let lastScheduledAt: number | undefined;
let ecsClient: ECSClient | undefined;
let cloudwatchClient: CloudWatchClient | undefined;
let ssmClient: SSMClient | undefined;
let snsClient: SNSClient | undefined;

/** Publishes what a run recorded (the CLI's --publish-metrics; the Lambda's middleware flushes on its own). */
export async function publishMetrics(metrics: MetricsBuffer, config: ControllerConfig): Promise<void> {
  await metrics.flush(cloudwatch(config.awsTimeoutMs), config.metricsNamespace);
}

/** Closes the Kafka connections, so a process (the CLI) can exit. */
export async function releaseConnections(): Promise<void> {
  await closeSharedOffsetsSource();
}

/** CloudWatch for metrics and the history restore: each call bounded (SCALER_AWS_TIMEOUT_MS), few retries. */
export function cloudwatch(timeoutMs = DEFAULT_AWS_TIMEOUT_MS): CloudWatchClient {
  cloudwatchClient ??= new CloudWatchClient(boundedClientConfig({ timeoutMs, maxAttempts: 2 }));
  return cloudwatchClient;
}

export async function runController(options: RunOptions): Promise<RunOutcome> {
  const now = options.now ?? Date.now;
  const parsed = options.config ? { ok: true as const, config: options.config } : parseControllerConfig(options.env);
  if (!parsed.ok) return { ok: false, kind: 'configuration', problems: parsed.problems };
  const config = parsed.config;
  const { invocation } = options;
  options.metrics.namespace = config.metricsNamespace;

  const scheduledAt = invocation.kind === 'scheduled' ? invocation.scheduledAt : undefined;
  const refused = staleEvent(scheduledAt, now(), config.periodSeconds) ?? futureEvent(scheduledAt, now());
  if (refused) return { ok: true, config, result: { skipped: refused, dryRun: config.dryRun, decisions: [], errors: [] } };

  const selected = selectTargets(config, invocation);
  if (!selected.ok) return { ok: false, kind: 'payload', problems: selected.problems };
  const cadence = loopCadence(config, invocation.kind === 'scheduled');
  const due = (target: Target) =>
    createControlLoop({ policy: target.policy, cadence, state: loops.get(target.name) ?? { history: [] } }).due(scheduledAt ?? now());
  const targets = options.surgeSlot ? selected.targets.filter(due) : selected.targets;
  const dryRun = config.dryRun || (invocation.kind === 'manual' && invocation.dryRun);
  // A tick that may act is part of the record: a hand-run one too, so the next one in the period steps from the same base.
  const keepHistory = invocation.kind === 'scheduled' || !dryRun;
  const useCloudWatch = options.useCloudWatch && config.publishMetrics;

  ecsClient ??= createEcsClient({ requestTimeoutMs: config.awsTimeoutMs });
  const ecs = ecsClient;
  const readService = batchedServiceReader(ecs, config.targetConcurrency);
  const readLag = (requests: GroupRequest[], deadline: number) => readLagOnSharedSource(config, requests, deadline, now);
  const runHistory = await historyForRun({
    shared: loops,
    targets,
    isolated: !keepHistory,
    ...(config.restoreHistory ? { restore: (missing, budgetMs) => restoreFromMetrics(config, missing, now(), budgetMs) } : {}),
    sampleSeconds: invocation.kind === 'manual' ? (invocation.sampleSeconds ?? DEFAULT_SAMPLE_SECONDS) : 0,
    sampling: { readLag, describeService: readService, now },
    deadline: options.deadline,
    logger: options.logger,
  });
  if (keepHistory && runHistory.lastScheduledAt !== undefined)
    lastScheduledAt = Math.max(lastScheduledAt ?? 0, handledAt(runHistory.lastScheduledAt, now()));
  const duplicate = duplicateEvent(scheduledAt, lastScheduledAt);
  if (duplicate) return { ok: true, config, result: { skipped: duplicate, dryRun, decisions: [], errors: [] } };

  const comparesOverrides = invocation.kind === 'manual' && invocation.overrides !== undefined;
  const deps: TickDependencies = {
    readLag,
    describeService: readService,
    setDesiredCount: (cluster, service, desired, signal) => setDesiredCount(ecs, cluster, service, desired, signal),
    loops: runHistory.store,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
  // Read once, while the tick observes: the same pause and pins hold for every target of the tick.
  const controls = readOperatorControls(config, options.deadline, now);
  const tick = (covered: Target[], on: TickDependencies) =>
    runTick(
      {
        targets: covered,
        dryRun,
        keepHistory,
        cadence,
        deadline: options.deadline,
        concurrency: config.targetConcurrency,
        controls,
      },
      on,
    );
  const once = comparesOverrides ? observeOnce(deps) : deps;
  const { result: decided, lagByTarget } = await tick(targets, once);
  const configured = comparesOverrides ? await tick(configuredTargets(config, invocation), once) : undefined;
  // Read by now (each target's tick waited for them): a pin that names no target holds nothing, but is said.
  const strays = await beforeDeadline(
    controls.then((c) => (c.ok ? c.controls.strays : [])),
    0,
    () => [],
  );
  const result = {
    ...decided,
    ...(strays.length > 0 ? { warnings: [...strays] } : {}),
    decisions: decided.decisions.map((decision) => {
      const without = configured?.result.decisions.find((d) => d.target === decision.target);
      return {
        ...decision,
        history: present(runHistory.origins.get(decision.target), 'every target has a history origin'),
        ...(without ? { withoutOverrides: { desired: without.desired, reason: without.reason, explanation: without.explanation } } : {}),
      };
    }),
  };

  if (scheduledAt !== undefined) lastScheduledAt = Math.max(lastScheduledAt ?? 0, handledAt(scheduledAt, now()));
  const at = now();
  for (const decision of result.decisions) {
    const errors = result.errors.filter((e) => e.target === decision.target);
    options.logger.info('decision', { ...decisionLogLine(decision, errors), history: decision.history });
    if (useCloudWatch)
      options.metrics.addTarget(decision, lagByTarget.get(decision.target) ?? null, errors, at, { restorable: options.restorable ?? true });
    if (useCloudWatch && scheduledAt !== undefined) options.metrics.add(decision.target, METRIC.scheduledTime, scheduledAt / 1000, at);
  }
  for (const { target, step, message } of result.errors) options.logger.warn('target failed', { target, step, error: message });
  for (const warning of result.warnings ?? []) options.logger.error('control parameter entry refused', { problem: warning });
  if (config.notifyTopicArn && !dryRun) {
    snsClient ??= createSnsClient({ requestTimeoutMs: config.awsTimeoutMs });
    const notification = {
      topicArn: config.notifyTopicArn,
      minChange: config.notifyMinChange,
      signal: abortAfter(options.deadline - now()),
    };
    await notifyScaleActions(snsClient, notification, result.decisions, options.logger);
  }
  return { ok: true, result, config };
}

/**
 * The loops' cadence as configured: steps are limited per tick period (ticks below the period step
 * each; surge ticks share their period's step), and only scheduled ticks confirm: a hand-run that
 * acts is an operator's, decided on what they see now.
 */
function loopCadence(config: ControllerConfig, scheduled: boolean): Cadence {
  return {
    tickSeconds: config.tickSeconds,
    surgeTickSeconds: config.surgeTickSeconds,
    confirmSeconds: scheduled ? config.confirmSeconds : 0,
  };
}

/** The pause and pins in force: the configuration's, and the control parameter's when one is configured (a read failure holds every target). */
function readOperatorControls(config: ControllerConfig, deadline: number, now: () => number): Promise<ControlsResult> {
  const name = config.controlParameter;
  if (name === undefined) return Promise.resolve(operatorControls(config));
  ssmClient ??= createSsmClient(config.awsTimeoutMs);
  return readControlParameter(ssmClient, name, abortAfter(deadline - ACT_RESERVE_MS - now())).then(
    (value) => operatorControls(config, value),
    (error: unknown): ControlsResult => ({ ok: false, problem: (error as Error).message }),
  );
}

/**
 * Reads lag through the source shared across warm invocations. Its set-up (brokers, credentials,
 * connecting) is bounded by the deadline too: a set-up that fails or is late fails every group of
 * this tick with why, and the next tick tries again.
 */
function readLagOnSharedSource(
  config: ControllerConfig,
  requests: GroupRequest[],
  deadline: number,
  now: () => number,
): Promise<GroupLag>[] {
  const setUp = sharedOffsetsSource(config.kafka, () => defaultConnectDependencies(config.kafka.region, config.awsTimeoutMs)).then(
    (source) => ({ source }),
    (error: unknown) => ({
      error: { kind: 'request-failed', step: 'connect', message: `connect: ${(error as Error).message}` } satisfies LagReadError,
    }),
  );
  const late = () => ({
    error: {
      kind: 'deadline',
      step: 'connect',
      message: 'connect: the connection set-up did not finish before the deadline',
    } satisfies LagReadError,
  });
  const reads = beforeDeadline<{ source: KafkaJsOffsetsSource } | { error: LagReadError }>(setUp, deadline - now(), late).then(
    (connected) =>
      'error' in connected
        ? requests.map((request) => Promise.resolve(failedGroup(request.group, connected.error, now())))
        : readLagEach(connected.source, requests, {
            resetPolicy: config.kafka.offsetResetPolicy,
            concurrency: config.kafka.readConcurrency,
            describeGroups: config.kafka.describeGroups,
            deadline,
            now,
          }).map((read) =>
            read.then((group) => {
              if (group.status === 'failed') forgetSourceOnAuthenticationFailure(group.error?.message, connected.source);
              return group;
            }),
          ),
  );
  return requests.map((_, index) => reads.then((each) => present(each[index], 'readLagEach answers every request')));
}

/** The controller's own metrics read back as history (GetMetricData only), cut off after `budgetMs`. */
function restoreFromMetrics(config: ControllerConfig, targets: Target[], at: number, budgetMs: number): Promise<RestoredHistory> {
  return restoreHistory(
    cloudwatch(config.awsTimeoutMs),
    config.metricsNamespace,
    targets.map((t) => ({ name: t.name, policy: t.policy })),
    at,
    config.periodSeconds,
    abortAfter(budgetMs),
  );
}

/** The targets a run covers with their configured settings: what a dry run's overrides are compared with. */
function configuredTargets(config: ControllerConfig, invocation: Invocation): Target[] {
  const { overrides: _compared, ...configured } = invocation as Extract<Invocation, { kind: 'manual' }>;
  const selected = selectTargets(config, configured);
  return selected.ok ? selected.targets : [];
}
