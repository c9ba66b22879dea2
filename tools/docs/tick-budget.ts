/**
 * Where a tick's time can go, at worst, from the settings. Every outbound call is bounded, so the
 * whole tick is: the Lambda's timeout has to cover the observe phases plus what is kept back to act
 * and to publish. The README's time-budget table is generated from this, and a test holds the
 * defaults inside the deployed function's timeout. The control parameter (SSM) and the service
 * reads run alongside the lag read, each bounded by SCALER_AWS_TIMEOUT_MS × 2 attempts, well within
 * the observe phases, so they add no line; nor does a confirmation read (SCALER_CONFIRM_SECONDS),
 * which starts only when it fits before the tick's deadline.
 */

import { worstCaseCallMs } from '../../src/adapters/aws-client-config.js';
import { CONNECT_ATTEMPTS, CONNECT_BACKOFF_MAX_MS, COORDINATOR_BACKOFF_STEP_MS } from '../../src/adapters/kafka/kafkajs-offsets-source.js';
import type { ControllerConfig } from '../../src/config/controller-config.js';
import { ACT_RESERVE_MS } from '../../src/tick/tick.js';
import { HISTORY_RESTORE_MAX_MS, PUBLISH_RESERVE_MS } from '../../src/wiring/time-reserves.js';

export interface BudgetLine {
  phase: string;
  worstCaseMs: number;
  /** What bounds it, in the settings' names. */
  bound: string;
}

export function tickBudget(config: Pick<ControllerConfig, 'kafka' | 'awsTimeoutMs'>): BudgetLine[] {
  const { connectTimeoutMs, requestTimeoutMs, coordinatorRetries } = config.kafka;
  const attempts = coordinatorRetries + 1;
  return [
    {
      phase: 'History restore (cold start only)',
      worstCaseMs: HISTORY_RESTORE_MAX_MS,
      bound: 'cut off at 5 s (or a quarter of the time left); GetMetricData at `SCALER_AWS_TIMEOUT_MS` × 2 attempts',
    },
    {
      phase: 'Connection set-up (cold start, or after a failure): GetBootstrapBrokers and GetSecretValue, at once',
      worstCaseMs: worstCaseCallMs({ timeoutMs: config.awsTimeoutMs, maxAttempts: 2 }),
      bound: '`SCALER_AWS_TIMEOUT_MS` × 2 attempts + 1 s backoff',
    },
    {
      phase: 'Kafka connect (cold start, or after a failure)',
      worstCaseMs: CONNECT_ATTEMPTS * connectTimeoutMs + (CONNECT_ATTEMPTS - 1) * CONNECT_BACKOFF_MAX_MS,
      bound: '`KAFKA_CONNECT_TIMEOUT_MS` × 3 seed brokers + backoff',
    },
    { phase: 'Metadata', worstCaseMs: 2 * requestTimeoutMs, bound: '`KAFKA_REQUEST_TIMEOUT_MS` × 2 brokers' },
    {
      phase: 'Each group: FindCoordinator and OffsetFetch (ListOffsets goes alongside)',
      worstCaseMs: attempts * 2 * requestTimeoutMs + (COORDINATOR_BACKOFF_STEP_MS * coordinatorRetries * attempts) / 2,
      bound: '`KAFKA_REQUEST_TIMEOUT_MS` × 2 × (`KAFKA_COORDINATOR_RETRIES` + 1) + backoff',
    },
    {
      phase: 'Kept back to act (the last UpdateService)',
      worstCaseMs: ACT_RESERVE_MS,
      bound: 'fixed; UpdateService is also cut off at the deadline',
    },
    {
      phase: 'Kept back to publish metrics and return',
      worstCaseMs: PUBLISH_RESERVE_MS,
      bound: 'fixed; PutMetricData is cut off within it',
    },
  ];
}

/** The Lambda timeout the settings need, at worst. */
export function worstCaseTickMs(config: Pick<ControllerConfig, 'kafka' | 'awsTimeoutMs'>): number {
  return tickBudget(config).reduce((sum, line) => sum + line.worstCaseMs, 0);
}
