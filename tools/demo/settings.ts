/**
 * What the demo runs: the consumer service it stands up, the controller settings that fit a
 * minutes-long run, and the environment the controller Lambda is started with.
 *
 * The time scale is the point: in production the controller ticks every minute and a Fargate task
 * takes a minute to start; here it ticks every few seconds and a worker starts in two, so the
 * policy's windows and delays are shrunk to match. Everything else is the production code path.
 */
import { parsePolicyEnv } from '../../src/config/policy-settings.js';
import { POLICY_FIELDS, type Policy } from '../../src/decision/index.js';

/** The demo's stand-in for a production consumer service. */
export const DEMO_SERVICE = {
  brokers: 3,
  topic: 'demo-events',
  partitions: 12,
  group: 'demo-consumers',
  cluster: 'demo',
  service: 'demo-consumer',
  /** Work per message: one worker consumes 1000 / 20 = 50 msgs/s. */
  messageCostMs: 20,
  /** A worker's boot before it connects, like a Fargate task's image pull and start. */
  workerStartupSeconds: 2,
  /** The demo's service-level objective: the oldest unconsumed message is at most this old. */
  sloTimeLagSeconds: 20,
} as const;

export const WORKER_THROUGHPUT = 1000 / DEMO_SERVICE.messageCostMs;
/** What all partitions' workers consume together: the most the service can do. */
export const FULL_CAPACITY = WORKER_THROUGHPUT * DEMO_SERVICE.partitions;

export const DEFAULT_RUN_SECONDS = 180;
export const DEFAULT_TICK_SECONDS = 3;
/** The demo Lambda's timeout: a tick that cannot finish in this time holds (reason `deadline`). */
export const LAMBDA_TIMEOUT_SECONDS = 10;

/**
 * The policy, shrunk to the demo's time scale. The per-worker throughput is given, as an operator
 * who has load-tested the service would; `SCALER_TASK_THROUGHPUT=0 npm run demo` makes the
 * controller learn it from the backlog instead.
 */
function demoPolicy(tickSeconds: number): Partial<Policy> {
  return {
    minTasks: 1,
    maxTasks: DEMO_SERVICE.partitions,
    taskThroughput: WORKER_THROUGHPUT,
    // Boot, then the coordinator's join round (librdkafka's mock waits up to ~3 s for members).
    taskStartupSeconds: DEMO_SERVICE.workerStartupSeconds + 3,
    rebalancePauseSeconds: 3,
    // The objective the chart draws: the demo's SLO, on its compressed time scale.
    maxTimeLagSeconds: DEMO_SERVICE.sloTimeLagSeconds,
    targetTimeLagSeconds: 5,
    backlogDrainSeconds: 15,
    scaleDownStabilizationSeconds: 15,
    rateWindowSeconds: 3 * tickSeconds,
    healthWindowSeconds: 60,
    throughputLearningWindowSeconds: 60,
    learningMinBacklogSeconds: 2,
  };
}

export interface ControllerPolicy {
  policy: Partial<Policy>;
  /** Fields the user's own SCALER_* variables set, on top of the demo's. */
  fromUserEnv: (keyof Policy)[];
  problems: string[];
}

/** The demo's policy, with any SCALER_* policy variable from the user's environment taking precedence. */
export function controllerPolicy(tickSeconds: number, userEnv: NodeJS.ProcessEnv): ControllerPolicy {
  const user = parsePolicyEnv(userEnv);
  return {
    policy: { ...demoPolicy(tickSeconds), ...user.overrides },
    fromUserEnv: Object.keys(user.overrides) as (keyof Policy)[],
    problems: user.problems,
  };
}

/** The policy as the controller reads it: `SCALER_MAX_TASKS=12`, … */
export function policyVariables(policy: Partial<Policy>): Record<string, string> {
  return Object.fromEntries(Object.entries(policy).map(([field, value]) => [POLICY_FIELDS[field as keyof Policy].env, String(value)]));
}

export interface ControllerEndpoints {
  bootstrapServers: string[];
  ecsUrl: string;
  dryRun: boolean;
}

/**
 * The controller process's whole environment, as the Lambda's configuration would set it. Built
 * from scratch rather than inherited, so the user's AWS profile or SCALER_TARGETS never leak in.
 */
export function controllerEnvironment(policy: Partial<Policy>, endpoints: ControllerEndpoints): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: endpoints.bootstrapServers.join(','),
    // The embedded Kafka speaks plaintext only.
    KAFKA_AUTH_MODE: 'none',
    KAFKA_CONNECT_TIMEOUT_MS: '500',
    KAFKA_REQUEST_TIMEOUT_MS: '1000',
    KAFKA_COORDINATOR_RETRIES: '1',
    // The workers start from the beginning of the topic.
    KAFKA_OFFSET_RESET_POLICY: 'earliest',
    SCALER_TARGETS: JSON.stringify([
      // A new service: its group has committed nothing before the workers' first messages.
      {
        name: 'demo',
        group: DEMO_SERVICE.group,
        topics: [DEMO_SERVICE.topic],
        cluster: DEMO_SERVICE.cluster,
        service: DEMO_SERVICE.service,
        allowNoCommits: true,
      },
    ]),
    SCALER_DRY_RUN: String(endpoints.dryRun),
    // No CloudWatch here: nothing to publish to or restore history from.
    SCALER_PUBLISH_METRICS: 'false',
    SCALER_RESTORE_HISTORY: 'false',
    SCALER_PERIOD_SECONDS: '10',
    // The demo invokes the handler every few seconds (its period is 10 s only for the stale-event
    // rule), so a confirmation read would outlast its tick: each tick acts on its own read.
    SCALER_CONFIRM_SECONDS: '0',
    ...policyVariables(policy),
    AWS_ENDPOINT_URL_ECS: endpoints.ecsUrl,
    AWS_REGION: 'us-east-1',
    // The stand-in wants signed requests, as ECS does; any key signs.
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
    // One JSON line per decision, into the run's controller.log.
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}

export interface RunDescription {
  traffic: string;
  runSeconds: number;
  tickSeconds: number;
  dryRun: boolean;
  policy: Partial<Policy>;
  fromUserEnv: (keyof Policy)[];
  bootstrapServers: string[];
  ecsUrl: string;
  outDir: string;
}

/** The block printed at the start, so the user sees what the run is made of and with which settings. */
export function describeRun(run: RunDescription): string {
  const s = DEMO_SERVICE;
  const variables = Object.entries(policyVariables(run.policy)).map(([name, value]) => `${name}=${value}`);
  const fromUser = run.fromUserEnv.map((field) => POLICY_FIELDS[field].env);
  return [
    'kafka-lag-scaler demo: the controller Lambda scaling a consumer service, all on this machine',
    `  kafka       ${s.brokers} brokers (librdkafka mock cluster) at ${run.bootstrapServers.join(',')}; topic ${s.topic}, ${s.partitions} partitions`,
    `  service     ${s.cluster}/${s.service}: one worker process per task in group ${s.group}, ${WORKER_THROUGHPUT} msgs/s each (${s.messageCostMs} ms a message), ${s.workerStartupSeconds} s start-up; ${s.partitions} workers take ${FULL_CAPACITY} msgs/s`,
    `  ECS         stand-in at ${run.ecsUrl}, reached by the AWS SDK through AWS_ENDPOINT_URL_ECS`,
    `  traffic     ${run.traffic}, ${Math.round(run.runSeconds)} s`,
    `  controller  handlers/controller.ts every ${run.tickSeconds} s (Lambda timeout ${LAMBDA_TIMEOUT_SECONDS} s)${run.dryRun ? ', dry run: no UpdateService' : ''}; SLO: time lag ≤ ${s.sloTimeLagSeconds} s`,
    `  policy      ${variables.join(' ')}`,
    ...(fromUser.length > 0 ? [`              (from your environment: ${fromUser.join(', ')})`] : []),
    `  output      ${run.outDir}`,
    '',
  ].join('\n');
}
