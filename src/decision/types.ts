/**
 * What `decide` takes and returns. Plain data, JSON-friendly: unknown figures are `null`, never
 * NaN, so a decision can be logged and stored as it is.
 */
import type { Reason } from './reasons.js';

/** Totals over a group's partitions: what the decision function sizes on. */
export interface LagTotals {
  /** Sum of per-partition lag. */
  totalLag: number;
  /** Largest single-partition lag (skew: one hot partition cannot be helped by more consumers). */
  maxPartitionLag: number;
  /** Partitions the group consumes (across all its topics). */
  partitionCount: number;
  /** Partitions whose lag is above zero. */
  partitionsWithLag: number;
  /** Sum of log-end offsets: its rate of change over time is the produce rate. */
  logEndSum: number;
  /** Sum of committed offsets (partitions without a commit count as their effective position): its rate of change is the consume rate. */
  committedSum: number;
}

/** One partition of a read: judged on its own for stuck partitions (Burrow judges per partition). */
export interface PartitionReading {
  topic: string;
  partition: number;
  /** The committed offset (or the effective position, as in committedSum). */
  committed: number;
  lag: number;
}

/**
 * One lag read. `partial` is set by the reader when some partitions could not be read; `partitions`
 * carries each partition where the reader has them (not in history rebuilt from metrics).
 */
export type LagReading = LagTotals & {
  partial?: boolean;
  partitions?: readonly PartitionReading[];
  /**
   * Which topics and partitions the totals count, as a key (the reader's partitionSetKey): rates and
   * every other measure compare readings over the same set only. Absent in history rebuilt from
   * metrics, where the partition count stands in for it.
   */
  partitionSet?: string;
};

/** The ECS service's task counts. */
export interface ServiceCounts {
  /** What the service was last asked for (running plus still starting). */
  desired: number;
  /** Tasks that are up and consuming. */
  running: number;
}

/** What the caller keeps of each decision, so the next one can stabilize and keep what it learned. */
export interface HistoryDecision {
  desired: number;
  /** Absent on entries rebuilt from metrics after a cold start (a reason is not a metric). */
  reason?: Reason;
  /** The compute step's recommendation; scale-down stabilization takes the highest in its window. */
  recommendation?: number;
  /** Per-task throughput learned by this decision, carried forward while no new sample is seen. */
  learnedTaskThroughput?: number;
  /** The consumption ceiling this decision found (scaling-ineffective): bounds the re-probe once its evidence ages out. */
  ceiling?: { consumeRate: number; tasks: number };
}

/** An earlier tick, oldest first in `DecisionInput.history`. Use `toHistoryEntry` to make one. */
export interface HistoryEntry {
  /** Epoch milliseconds. */
  now: number;
  lag: LagReading;
  service: ServiceCounts;
  decision?: HistoryDecision;
}

/**
 * The first read of this tick, when this read is the second look it asked for (a confirmation a few
 * seconds later, see src/control): its produce rate since then may show a surge the window's average
 * hides, and its recommendation counts for the scale-down stabilization, so the second read cannot
 * turn the scale-up it asked to confirm into a scale-down.
 */
export interface FirstLook {
  /** Epoch milliseconds, before `DecisionInput.now`. */
  now: number;
  lag: LagReading;
  /** The first read's compute recommendation. */
  recommendation?: number;
}

export interface DecisionInput {
  /** Epoch milliseconds of this reading; `decide` has no clock of its own. */
  now: number;
  lag: LagReading;
  service: ServiceCounts;
  /** Earlier ticks within `historyWindowSeconds(policy)`, oldest first. */
  history: readonly HistoryEntry[];
  /**
   * The desired count at the start of this period, when an earlier decision in the same period
   * already moved it (a redelivered event, a hand-run tick): steps are measured from it, so the
   * count moves by at most one step per period however many decisions arrive. Default: `service.desired`.
   */
  stepBase?: number;
  /** Set when this read confirms a first look taken a few seconds before (see FirstLook). */
  firstLook?: FirstLook;
}

/**
 * Burrow's consumer status, judged over the health window:
 * OK; WARN = lag grew at every sample (falling behind); STALL = consumers run, lag > 0, but
 * committed offsets do not move; STOP = tasks should run but nothing committed and no consumer is
 * up; REWIND = committed offsets went backwards; UNKNOWN = not judged, the input was rejected.
 */
export type HealthStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND' | 'UNKNOWN';

export type ThroughputSource = 'configured' | 'learned' | 'none';

/** The task count after each pipeline step, in order. */
export interface PipelineRecommendations {
  compute: number;
  stabilize: number;
  rateLimit: number;
  clamp: number;
}

/** A partition whose committed offset went back and has not come back (partition-health.ts). */
export interface RewoundPartition {
  topic: string;
  partition: number;
  /** The highest committed offset it had reached, and where it is now. */
  from: number;
  to: number;
}

export interface StuckPartition {
  topic: string;
  partition: number;
  lag: number;
  /** Seconds its committed offset has not moved (as far as the history shows). */
  stuckSeconds: number;
}

export interface DecisionFigures {
  /** Messages per second produced over the rate window; null without history. */
  produceRate: number | null;
  /** Messages per second committed over the rate window; null without history. */
  consumeRate: number | null;
  /** Messages per second one task consumes when it owns one partition. */
  taskThroughput: number | null;
  taskThroughputSource: ThroughputSource;
  /**
   * Age in seconds of the oldest unconsumed message, estimated from history, stuck partitions
   * included (the sizing leaves their backlog out, the figure does not); null when unknown.
   */
  timeLagSeconds: number | null;
  /** The partition (`topic-partition`) holding that message, when one holds older messages than the group's sums say. */
  oldestPartition: string | null;
  /** Messages per second the recommendation was sized for; null when sized by lagPerTask or held. */
  requiredCapacity: number | null;
  /**
   * At the decided count: seconds until the backlog expected when new tasks consume is gone, and the
   * age the oldest message reaches meanwhile (start-up and rebalance included). Null when not sized
   * by throughput, and drain null too when the count cannot keep up with the produce rate.
   */
  drainSeconds: number | null;
  expectedTimeLagSeconds: number | null;
  /** The lag rose by more than the tolerance over the rate window. */
  lagGrowing: boolean;
  /** Msg/s the group consumed at most while backlogged, once added tasks stopped adding throughput; null when not seen. */
  consumeCeiling: number | null;
  /** The fewest tasks that reach that ceiling at what a task can do: the count scaling-ineffective holds. */
  ceilingTasks: number | null;
  /** Partitions whose committed offset stood still with lag while others moved (Burrow's per-partition STALL). */
  stuckPartitions: readonly StuckPartition[];
  /** Partitions whose committed offset went back within the health window and has not come back. */
  rewoundPartitions: readonly RewoundPartition[];
  /** Seconds no partition with lag has moved while consumers ran (group-stalled); null when it moves. */
  stalledSeconds: number | null;
  /**
   * The partitions counted changed since the reading before (a topic discovered, added or gone):
   * rates and the other measures start afresh from this reading, since sums over different sets are
   * no production or consumption.
   */
  partitionSetChanged: boolean;
  /** Null when the input was rejected before the pipeline ran. */
  recommendations: PipelineRecommendations | null;
}

export interface Decision {
  /** The task count to set: a whole number. */
  desired: number;
  reason: Reason;
  /** One sentence for people. */
  explanation: string;
  figures: DecisionFigures;
  health: HealthStatus;
}
