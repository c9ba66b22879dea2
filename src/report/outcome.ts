/**
 * What one tick returns, per target: the decision (or the hold and why), and the failures.
 * The CLI prints it as JSON and the Lambda returns it, so its shape is the public contract.
 */
import { LOOP_REASONS } from '../control/index.js';
import type { DecisionFigures, HealthStatus } from '../decision/index.js';

/** Reasons the controller itself gives, on top of `decide`'s (see REASONS in src/decision/reasons.ts): the loop's holds among them. */
export const CONTROLLER_REASONS = {
  'lag-read-failed': "The group's lag could not be read; the count is left unchanged.",
  'lag-read-incomplete': 'The lag read was partial, named a missing topic, or found no topics; the count is left unchanged.',
  'group-has-no-offsets':
    'The group has no committed offset on any partition of its topics: a misspelt group name, or offsets expired (offsets.retention.minutes), would read as lag 0; the count is left unchanged. A new service whose group has not committed yet sets "allowNoCommits": true.',
  'service-missing': 'The ECS service does not exist; nothing is changed.',
  'service-not-active': 'The ECS service is DRAINING or INACTIVE; nothing is changed.',
  'service-read-failed': 'DescribeServices failed; the count is left unchanged.',
  'service-read-incomplete':
    'DescribeServices answered without usable task counts (a missing count is not 0); the count is left unchanged.',
  'deployment-in-progress': LOOP_REASONS['deployment-in-progress'],
  'update-failed': 'UpdateService was refused or not applied; the service keeps its count.',
  'update-unknown':
    'UpdateService did not answer and the service could not be confirmed: ECS may run the old or the new count; the next tick reads it again.',
  paused: LOOP_REASONS.paused,
  pinned: LOOP_REASONS.pinned,
  'control-unreadable':
    'The control parameter (pause and pins) could not be read or parsed: nothing is changed until it can, and the fallback takes over if it lasts.',
  'pin-refused':
    "The control parameter's pin for this target was refused (not a whole number from 0 to its maxTasks): this target is held until the pin is fixed, the others go on, and the fallback takes over if it lasts.",
  deadline: 'Too little time was left before the Lambda deadline to finish this target safely; skipped.',
} as const;

export type ControllerReason = keyof typeof CONTROLLER_REASONS;

export interface PartitionLagSummary {
  topic: string;
  partition: number;
  lag: number;
}

export interface TargetDecision {
  target: string;
  group: string;
  cluster: string;
  service: string;
  /** Null when the lag could not be read. */
  lag: {
    total: number;
    max: number;
    status: string;
    /** The partitions with the most lag, hottest first (at most MAX_LISTED_PARTITIONS); partitions without lag are not listed. */
    partitions: PartitionLagSummary[];
    /** The partitions not listed, counted: how many, and the lag they hold together. */
    unlisted?: { partitions: number; lag: number };
    /** What the read noticed without it making the read unusable (e.g. a commit past the log end). */
    warnings: string[];
    /** The group's state and members, where the broker told (DescribeGroups). */
    group?: { state: string; members: number };
  } | null;
  /** The service's desired count before this tick (null when unknown). */
  current: number | null;
  running: number | null;
  /** What the controller wants (equal to current when it holds; null when unknown, e.g. `update-unknown`). */
  desired: number | null;
  /** True when UpdateService was called and ECS took the new count. */
  changed: boolean;
  /**
   * True when this tick saw the target completely (lag and service), decided, and could act (not a
   * dry run, no failed UpdateService): only then is the heartbeat published, so the fallback stays
   * off exactly while the controller is in control.
   */
  inControl: boolean;
  dryRun: boolean;
  reason: string;
  explanation: string;
  health?: HealthStatus;
  figures?: DecisionFigures;
  /** Who holds the target (a pause or a pin), while one does: OperatorHold is 1 even when a rollout or a failure holds it too. */
  heldBy?: string;
  /** The target's objective (maxTimeLagSeconds) when it has one: the dashboard and the objective alarm compare with it. */
  objectiveSeconds?: number;
  /** Where the history this decision used came from (see HistoryOrigin). */
  history?: HistoryOrigin;
  /** A dry run with overrides: the decision on the same observation with the configured settings. */
  withoutOverrides?: Pick<TargetDecision, 'desired' | 'reason' | 'explanation'>;
}

/**
 * Where a decision's history came from: kept in memory by earlier ticks, rebuilt from the
 * controller's own CloudWatch metrics (read only), measured by a dry run over a few seconds (two
 * lag reads), or none (then the decision is a cold start, and `why` says what was missing).
 */
export type HistoryOrigin =
  | { source: 'memory'; entries: number }
  | { source: 'cloudwatch'; entries: number }
  | { source: 'sampled'; seconds: number }
  | { source: 'none'; why: string };

export interface TargetError {
  target: string;
  step: 'lag' | 'describe-service' | 'update-service' | 'deadline' | 'control';
  message: string;
}

export interface TickResult {
  /** Set when the whole tick was skipped (e.g. a stale scheduled event); then nothing ran. */
  skipped?: string;
  dryRun: boolean;
  decisions: TargetDecision[];
  errors: TargetError[];
  /** Problems that hold no target, such as a control parameter's pin for a target that is not configured. */
  warnings?: string[];
  /** Set when detail was left out so the result fits Lambda's response limit: says what. */
  cut?: string;
}
