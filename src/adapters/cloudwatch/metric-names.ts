/**
 * The CloudWatch metrics the controller publishes, one set per target under the configured
 * namespace with dimension `Target=<name>`. The infrastructure's alarms and dashboard and the
 * history rebuild after a cold start read these same names, so they are defined once, here.
 */
export const TARGET_DIMENSION = 'Target';

export const METRIC = {
  /**
   * 1 per target per tick that saw it completely, decided and could act (not a dry run). The fallback
   * engages while it is missing: the controller is dead, misconfigured, blind or only advising.
   */
  heartbeat: 'Heartbeat',
  /** 1 per target per dry-run tick that saw and decided it: advising, not in control (the fallback stays armed). */
  dryRunHeartbeat: 'DryRunHeartbeat',
  /** Per target per tick: 1 when its lag read, ECS call or the deadline got in the way, else 0. */
  errors: 'Errors',
  /** The same failures by kind (1 when that kind failed): what made the controller blind or unable to act. */
  lagReadErrors: 'LagReadErrors',
  serviceErrors: 'ServiceErrors',
  deadlineErrors: 'DeadlineErrors',
  updateErrors: 'UpdateErrors',
  controlErrors: 'ControlErrors',
  totalLag: 'TotalLag',
  maxPartitionLag: 'MaxPartitionLag',
  partitionCount: 'PartitionCount',
  partitionsWithLag: 'PartitionsWithLag',
  /** Sums of offsets: their change over time gives produce and consume rates (and rebuilds history). */
  logEndSum: 'LogEndOffsetSum',
  committedSum: 'CommittedOffsetSum',
  timeLagSeconds: 'TimeLagSeconds',
  produceRate: 'ProduceRate',
  consumeRate: 'ConsumeRate',
  /** The service's desired count before the decision, its running count, and the decision. */
  currentTasks: 'CurrentTasks',
  runningTasks: 'RunningTasks',
  desiredTasks: 'DesiredTasks',
  /** The compute step's recommendation and a learned per-task throughput: restored after a cold start for stabilization and sizing. */
  recommendation: 'Recommendation',
  learnedTaskThroughput: 'LearnedTaskThroughput',
  /** The scheduled time (epoch seconds) of each scheduled tick: after a cold start, a redelivered event is still known. */
  scheduledTime: 'ScheduledTime',
  /** When the lag a period's first tick decided on was read (epoch seconds): a restored reading keeps its own time, not its bucket's. */
  readTime: 'ReadTime',
  /** 1 while the group is in Burrow STALL or STOP (more tasks would not help), else 0. */
  stalled: 'Stalled',
  /** The objective (maxTimeLagSeconds) while one is set: the dashboard draws it, the objective alarm compares with it. */
  timeLagObjective: 'TimeLagObjectiveSeconds',
  /** At the decided count: the age the oldest message reaches, and seconds until the backlog is gone. */
  expectedTimeLagSeconds: 'ExpectedTimeLagSeconds',
  drainSeconds: 'DrainSeconds',
  /** 1 when the count is at a limit (maxTasks, the partition cap, the objective out of reach, scaling ineffective) while the lag grows, else 0. */
  atLimitLagGrowing: 'AtLimitLagGrowing',
  /** 1 while added tasks stopped adding throughput (a downstream bottleneck), else 0; and the ceiling it found, msg/s. */
  scalingIneffective: 'ScalingIneffective',
  consumeCeiling: 'ConsumeCeiling',
  /** Partitions whose committed offset stands still with lag while others move (a poison message). */
  stuckPartitions: 'StuckPartitions',
  /** Partitions whose committed offset went back and has not come back (a reset, lost commits). */
  rewoundPartitions: 'RewoundPartitions',
  /** 1 while an operator holds the target (SCALER_PAUSED, the control parameter, pinnedTasks), else 0. */
  operatorHold: 'OperatorHold',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
