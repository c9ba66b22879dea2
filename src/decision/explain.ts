/**
 * The one sentence a person reads in the log or the console: what was decided and why, with
 * the figures that mattered.
 */

import type { Policy } from './policy.js';
import type { Reason } from './reasons.js';
import type { DecisionFigures, LagTotals } from './types.js';

export interface ExplainInput {
  desired: number;
  /** The count before this decision. */
  current: number;
  /** The count at the period's start, which the step limits count from (DecisionInput.stepBase). */
  stepBase?: number;
  reason: Reason;
  figures: DecisionFigures;
  lag: LagTotals | null;
  policy: Policy;
  /** The first policy problem, for invalid-policy. */
  policyProblem?: string;
}

const formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function n(value: number | null): string {
  return value === null ? 'unknown' : formatter.format(value);
}

function tasks(count: number | undefined): string {
  return count === 1 ? '1 task' : `${count ?? 'unknown'} tasks`;
}

/** What a cold start lacks: the produce rate needs an earlier reading; throughput is configured or learned from a backlog. */
function missing({ produceRate, taskThroughput }: DecisionFigures): string {
  const noRate = 'the produce rate needs an earlier reading of this group, and there is none yet';
  const noThroughput =
    'per-task throughput is neither configured (taskThroughput) nor learned yet (that takes a few readings while the group is backlogged)';
  if (produceRate === null && taskThroughput === null) return `${noRate}, and ${noThroughput}`;
  return produceRate === null ? noRate : noThroughput;
}

/** What the count promises, when it is sized by throughput and there is a backlog to speak of. */
function outlook(desired: number, figures: DecisionFigures): string {
  const { drainSeconds, expectedTimeLagSeconds } = figures;
  if (drainSeconds === null || expectedTimeLagSeconds === null || drainSeconds === 0) return '';
  return ` At ${tasks(desired)} the backlog is gone in ${n(Math.round(drainSeconds))} s and no message will be older than ${n(Math.round(expectedTimeLagSeconds))} s.`;
}

/** "Scaled up from 3 to 5 tasks", or "Kept 3 tasks" when the count did not move. */
function moved(current: number, desired: number): string {
  if (desired === current) return `Kept ${tasks(desired)}`;
  return `Scaled ${desired > current ? 'up' : 'down'} from ${current} to ${tasks(desired)}`;
}

/** How far the objective is missed, or that the age reached is not known (there is no outlook at this count). */
function objectiveMiss({ expectedTimeLagSeconds }: DecisionFigures, objectiveSeconds: number): string {
  if (expectedTimeLagSeconds === null)
    return `the objective of ${n(objectiveSeconds)} s is out of reach, and how old the oldest message will get is not known`;
  return `the oldest message is expected to reach ${n(expectedTimeLagSeconds)} s against the objective of ${n(objectiveSeconds)} s`;
}

/** A step cut short: how far it went, from which count the period's step counts, and the limits. */
function stepLimited({ desired, current, stepBase, figures, policy }: ExplainInput): string {
  const wanted = figures.recommendations?.stabilize;
  const base = stepBase ?? current;
  const limits = `a period adds at most ${policy.maxScaleUpStep} and removes at most ${tasks(policy.maxScaleDownStep)}`;
  const from = base === current ? '' : `, counted from ${base}, the count at the period's start`;
  if (desired === current) return `Kept ${tasks(desired)} instead of ${wanted}: ${limits}${from}, and this period's step is taken.`;
  return `Moved from ${current} to ${tasks(desired)} instead of ${wanted}: ${limits}${from}.`;
}

export function explain(input: ExplainInput): string {
  return sentence(input) + partitionsNote(input.figures, input.lag) + stuckNote(input.figures) + oldestNote(input.figures);
}

/** Where the oldest message waits, when one partition holds older messages than the group's sums say. */
function oldestNote({ oldestPartition, timeLagSeconds }: DecisionFigures): string {
  if (oldestPartition === null || !timeLagSeconds) return '';
  return ` The oldest message (${n(Math.round(timeLagSeconds))} s) waits on ${oldestPartition}.`;
}

/** A changed partition set restarts the rates: said, since the figures just went back to unknown. */
function partitionsNote({ partitionSetChanged }: DecisionFigures, lag: LagTotals | null): string {
  if (!partitionSetChanged) return '';
  return ` The partitions read changed since the last reading (now ${n(lag?.partitionCount ?? null)}): rates are measured afresh from this reading, and the offsets of newly counted partitions are not taken for production.`;
}

/** The rewound partitions, the first few named with where they were and where they are. */
function rewoundText({ rewoundPartitions }: DecisionFigures): string {
  const shown = rewoundPartitions.slice(0, 5).map((p) => `${p.topic}-${p.partition} (${n(p.from)} → ${n(p.to)})`);
  const more = rewoundPartitions.length > shown.length ? ` and ${rewoundPartitions.length - shown.length} more` : '';
  return `the committed offset of ${shown.join(', ')}${more}`;
}

/** Stuck partitions are named whatever the reason: someone has to look at the message. */
function stuckNote({ stuckPartitions }: DecisionFigures): string {
  if (stuckPartitions.length === 0) return '';
  const shown = stuckPartitions
    .slice(0, 5)
    .map((p) => `${p.topic}-${p.partition} (${n(p.lag)} waiting, ${n(Math.round(p.stuckSeconds))} s)`);
  const more = stuckPartitions.length > shown.length ? ` and ${stuckPartitions.length - shown.length} more` : '';
  return ` Stuck: ${shown.join(', ')}${more}: committed offsets not moving while others do (a poison message?); their backlog is left out of the sizing.`;
}

function sentence(input: ExplainInput): string {
  const { desired, current, reason, figures, lag, policy } = input;
  const steps = figures.recommendations;
  const totalLag = n(lag?.totalLag ?? null);
  const throughput = `${n(figures.taskThroughput)} msg/s per task (${figures.taskThroughputSource})`;
  const demand =
    `${n(figures.produceRate)} msg/s produced and a lag of ${totalLag} messages need ` +
    `${n(figures.requiredCapacity)} msg/s at ${throughput}`;
  switch (reason) {
    case 'invalid-policy':
      return `Left the count at ${desired}: the policy is invalid (${input.policyProblem ?? 'see validatePolicy'}).`;
    case 'invalid-input':
      return `Left the count at ${desired}: the lag or service counts are missing, negative or not finite.`;
    case 'partial-read':
      return `Left the count at ${desired}: the lag reader could not read every partition.`;
    case 'invalid-history':
      return `Left the count at ${desired}: the history is malformed, out of order or from the future.`;
    case 'health-stall':
      return `Held ${tasks(desired)}: consumers are running but have committed nothing for ${n(policy.healthWindowSeconds)} s while ${totalLag} messages wait (STALL), which more tasks would not fix.`;
    case 'health-stop':
      return `Held ${tasks(desired)}: no consumer is up and nothing was committed for ${n(policy.healthWindowSeconds)} s while ${totalLag} messages wait (STOP), which more tasks would not fix.`;
    case 'health-rewind':
      return `Held ${tasks(desired)}: committed offsets went backwards within the last ${n(policy.healthWindowSeconds)} s (REWIND).`;
    case 'partition-rewind':
      return `Held ${tasks(desired)}: ${rewoundText(figures)} went back and has not come back (REWIND: a reset, or lost commits).`;
    case 'group-stalled':
      return `Held ${tasks(desired)}: consumers are running but no partition has moved for ${n(Math.round(figures.stalledSeconds ?? 0))} s while ${totalLag} messages wait (STALL), which more tasks would not fix.`;
    case 'cold-start':
      return `${desired === current ? 'Kept' : 'Set'} ${tasks(desired)} for a lag of ${totalLag} messages at up to ${n(policy.lagPerTask)} per task (lagPerTask), because ${missing(figures)}.`;
    case 'scale-up':
    case 'scale-down':
      return `${moved(current, desired)}: ${demand}.${outlook(desired, figures)}`;
    case 'within-tolerance':
      return `Kept ${tasks(desired)}: ${demand}, which the current count gives within the tolerance of ${n(policy.tolerance * 100)}% or the nearest capacity step.${outlook(desired, figures)}`;
    case 'objective-unreachable':
      return `${desired === current ? 'Kept' : 'Raised to'} ${tasks(desired)}, as many as the bounds allow, yet ${objectiveMiss(figures, policy.maxTimeLagSeconds)}: ${demand}.${outlook(desired, figures)}`;
    case 'scaling-ineffective':
      return `Held at ${tasks(desired)}: while backlogged, more tasks stopped adding throughput; the group consumes at most about ${n(figures.consumeCeiling)} msg/s whatever the count (a downstream bottleneck?), so adding tasks would not help: ${demand}.`;
    case 'hot-partition':
      return `Sized ${tasks(desired)} leaving out a hot partition's ${n(lag?.maxPartitionLag ?? null)} lagging messages, which one consumer must drain alone and more tasks would not speed up.`;
    case 'stabilizing':
      return `Kept ${tasks(desired)} instead of ${steps?.compute}: a higher count was recommended within the last ${n(policy.scaleDownStabilizationSeconds)} s.`;
    case 'lag-growing':
      return `Kept ${tasks(desired)} instead of scaling down to ${steps?.compute}: the lag is still growing.`;
    case 'step-limited':
      return stepLimited(input);
    case 'partition-cap':
      return `Capped at ${tasks(desired)}, one per partition: more consumers would get no partition.`;
    case 'at-max-tasks':
      return `Capped at maxTasks, ${tasks(desired)}, instead of ${steps?.rateLimit}.`;
    case 'at-min-tasks':
      return `Raised to minTasks, ${tasks(desired)}, from ${steps?.rateLimit}.`;
    case 'scale-to-zero':
      return `Scaled to zero tasks: nothing is produced and the lag of ${totalLag} messages is within the activation threshold of ${n(policy.activationLagThreshold)}.`;
    case 'idle-at-zero':
      return `Stayed at zero tasks: the lag of ${totalLag} messages is within the activation threshold of ${n(policy.activationLagThreshold)}.`;
    case 'activation':
      return `Started ${tasks(desired)} from zero: the lag of ${totalLag} messages exceeds the activation threshold of ${n(policy.activationLagThreshold)}.`;
  }
}
