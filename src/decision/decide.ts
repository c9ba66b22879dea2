/**
 * `decide`: the scaling decision, a pure function of one lag reading, the service's counts, the
 * recent history and the policy. No I/O, no clock, no state: the caller keeps the history (see
 * `toHistoryEntry`) and applies the answer.
 *
 * The decision is a named pipeline, each step a small pure function in its own file:
 *
 *   measure  rates, per-task throughput, time lag, health and a consumption ceiling from the readings
 *            over the partitions counted now (measured-readings.ts), partitions within the allowed
 *            lag caught up (allowed-lag.ts), health judged per partition where the readings have
 *            them (partition-health.ts: rewinds, a stalled group) and on the sums where not
 *            (ceiling.ts: when added tasks stopped adding throughput, compute goes no higher),
 *            and stuck partitions (stuck-partitions.ts), whose backlog no step sizes for
 *   compute    the count demand calls for                          (compute.ts)
 *   stabilize  scale down only to the highest recent recommendation (stabilize.ts)
 *   rateLimit  bound the step per period, never against the decision (rate-limit.ts)
 *   clamp      min/max tasks, partition cap, scale to zero          (clamp.ts)
 *
 * The reason is that of the last step that changed the count, else compute's (pickReason).
 * Inputs that cannot be trusted leave the count as it is, with a reason; `decide` never throws.
 */

import { withoutAllowedLag } from './allowed-lag.js';
import { assessCeiling, capAtCeiling } from './ceiling.js';
import { clamp } from './clamp.js';
import { computeRecommendation, outlookAt } from './compute.js';
import { explain } from './explain.js';
import { assessHealth, holdFor } from './health.js';
import { measuredReadings } from './measured-readings.js';
import { newest } from './newest.js';
import { judgePartitions } from './partition-health.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { limitRate } from './rate-limit.js';
import { estimateTaskThroughput, measureRates } from './rates.js';
import type { Reason } from './reasons.js';
import { stabilize } from './stabilize.js';
import { findStuckPartitions, withoutStuck } from './stuck-partitions.js';
import { estimateOldest } from './time-lag.js';
import type { Decision, DecisionFigures, DecisionInput } from './types.js';
import { checkInput } from './validate-input.js';
import { validatePolicy } from './validate-policy.js';

export function decide(input: DecisionInput, policy: Policy = DEFAULT_POLICY): Decision {
  const policyProblems = validatePolicy(policy);
  if (policyProblems.length > 0) return unchanged(input, 'invalid-policy', policy, policyProblems[0]);
  const checked = checkInput(input);
  if (!checked.ok) return unchanged(input, checked.reason, policy);

  const { service } = input;
  const current = service.desired;
  // Measures compare readings over the same partitions only; the decisions in the history all count.
  const measured = measuredReadings(checked.samples);
  const partitionSetChanged = measured.changed;
  const readings = measured.readings.map((s) => ({ ...s, lag: withoutAllowedLag(s.lag, policy.allowedPartitionLag) }));
  const partitionHealth = judgePartitions(readings, policy);
  const health = assessHealth(readings, policy, partitionHealth);
  const throughput = estimateTaskThroughput(readings, policy, checked.samples);
  // A stuck partition's backlog is not sized for: every step below sees the partitions that move.
  const stuckPartitions = findStuckPartitions(readings, policy);
  const samples = stuckPartitions.length === 0 ? readings : readings.map((s) => ({ ...s, lag: withoutStuck(s.lag, stuckPartitions) }));
  const { lag } = newest(samples);
  // Readings rebuilt from metrics have no partitions and still count the stuck backlog: there, the
  // lag is judged growing on the sums as they are, which never hides growth.
  const firstLook = checked.firstLook && { ...checked.firstLook, lag: withoutStuck(checked.firstLook.lag, stuckPartitions) };
  const sized = measureRates(samples, policy, firstLook);
  const mixed = stuckPartitions.length > 0 && samples.some((s) => !s.lag.partitions);
  const rates = mixed ? { ...sized, lagGrowing: sized.lagGrowing || measureRates(readings, policy).lagGrowing } : sized;

  // Sized without the stuck partitions' backlog; published, alarmed on and said with it: the age of the oldest message, wherever it waits.
  const sizedOldest = estimateOldest(samples, rates.produceRate);
  const timeLagSeconds = sizedOldest.seconds;
  const oldest = stuckPartitions.length > 0 ? estimateOldest(readings, rates.produceRate) : sizedOldest;
  const ceiling = assessCeiling(samples, policy, throughput.value);
  const hold = holdFor(health, partitionHealth);
  const computed = capAtCeiling(computeRecommendation({ lag, service, hold, rates, throughput, timeLagSeconds, policy }), ceiling);
  const stabilized = stabilize({
    recommended: computed.tasks,
    current,
    lagGrowing: rates.lagGrowing,
    samples: checked.samples,
    ...(firstLook?.recommendation !== undefined ? { firstLookRecommendation: firstLook.recommendation } : {}),
    behindCeiling: computed.reason === 'scaling-ineffective',
    policy,
  });
  const limited = limitRate(stabilized.tasks, { base: input.stepBase ?? current, current }, policy);
  const clamped = clamp({ tasks: limited.tasks, current, lag, produceRate: rates.produceRate, policy });
  const reason = pickReason({ computed: computed.reason, stabilized: stabilized.reason, limited: limited.reason, clamped: clamped.reason });
  const desired = clamped.tasks;
  const outlook =
    throughput.value !== null && rates.produceRate !== null && computed.requiredCapacity !== null
      ? outlookAt(desired, { lag, service, produceRate: rates.produceRate, taskThroughput: throughput.value, timeLagSeconds, policy })
      : { drainSeconds: null, expectedTimeLagSeconds: null };
  const figures: DecisionFigures = {
    produceRate: rates.produceRate,
    consumeRate: rates.consumeRate,
    taskThroughput: throughput.value,
    taskThroughputSource: throughput.source,
    timeLagSeconds: oldest.seconds,
    oldestPartition: oldest.partition ? `${oldest.partition.topic}-${oldest.partition.partition}` : null,
    requiredCapacity: computed.requiredCapacity,
    ...outlook,
    lagGrowing: rates.lagGrowing,
    consumeCeiling: ceiling.ceiling?.consumeRate ?? null,
    ceilingTasks: ceiling.ceiling?.tasks ?? null,
    stuckPartitions,
    rewoundPartitions: partitionHealth.rewound,
    stalledSeconds: partitionHealth.stalled?.seconds ?? null,
    partitionSetChanged,
    recommendations: {
      compute: computed.tasks,
      stabilize: stabilized.tasks,
      rateLimit: limited.tasks,
      clamp: clamped.tasks,
    },
  };
  return {
    desired,
    reason,
    explanation: explain({
      desired,
      current,
      reason,
      figures,
      lag,
      policy,
      ...(input.stepBase !== undefined ? { stepBase: input.stepBase } : {}),
    }),
    figures,
    health,
  };
}

/**
 * The reason of the last step that changed the count, else compute's; at the cap, that the
 * objective is out of reach says more than the cap itself.
 */
export function pickReason(steps: { computed: Reason; stabilized: Reason | null; limited: Reason | null; clamped: Reason | null }): Reason {
  const capped = steps.clamped === 'at-max-tasks' || steps.clamped === 'partition-cap';
  if (steps.computed === 'objective-unreachable' && capped) return steps.computed;
  return steps.clamped ?? steps.limited ?? steps.stabilized ?? steps.computed;
}

/** The answer when the input or policy cannot be trusted: keep the count the service has. */
function unchanged(input: unknown, reason: Reason, policy: Policy, policyProblem?: string): Decision {
  const desired = currentCount(input);
  const figures: DecisionFigures = {
    produceRate: null,
    consumeRate: null,
    taskThroughput: null,
    taskThroughputSource: 'none',
    timeLagSeconds: null,
    oldestPartition: null,
    requiredCapacity: null,
    drainSeconds: null,
    expectedTimeLagSeconds: null,
    lagGrowing: false,
    consumeCeiling: null,
    ceilingTasks: null,
    stuckPartitions: [],
    rewoundPartitions: [],
    stalledSeconds: null,
    partitionSetChanged: false,
    recommendations: null,
  };
  const explanation = explain({
    desired,
    current: desired,
    reason,
    figures,
    lag: null,
    policy,
    ...(policyProblem ? { policyProblem } : {}),
  });
  return { desired, reason, explanation, figures, health: 'UNKNOWN' };
}

/**
 * The service's desired count as given, or its running count; when neither is a usable number
 * there is nothing to keep, and the least harmful answer is one task: it keeps a consumer alive
 * without scaling anything up on a garbled read.
 */
function currentCount(input: unknown): number {
  const service = (input as { service?: { desired?: unknown; running?: unknown } } | null)?.service;
  for (const count of [service?.desired, service?.running]) {
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return count;
  }
  return 1;
}
