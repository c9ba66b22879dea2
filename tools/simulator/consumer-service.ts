/**
 * The consumer service on ECS, as the issue specifies it:
 *
 * - The topic has P partitions (48) and produce is spread evenly over them.
 * - Each task consumes up to 100 msgs/s. With n consumers the busiest one holds ceil(P/n)
 *   partitions and its partitions drain at 100/ceil(P/n) each; since every partition receives the
 *   same produce, the busiest consumer sets the pace: group capacity = 100·P / ceil(P/min(n, P)).
 *   So capacity grows in steps (16 and 23 tasks both give 3 partitions to the busiest consumer),
 *   and tasks beyond P add nothing.
 * - A requested task starts consuming 60 s after it is requested (image pull, boot, group join);
 *   until then it is pending — and billed.
 * - Removed tasks stop at once; pending ones are removed first (newest first), since cancelling a
 *   task that has not started costs no consumption.
 * - Every change of the running-consumer count pauses the whole group for 10 s (eager rebalance:
 *   all members revoke their partitions and rejoin). A change during a pause restarts the 10 s.
 * - The desired count is clamped to 1..48.
 * - The group commits what it consumes at once (commitIntervalSeconds 0), so reported lag is the
 *   true backlog. A positive interval is a sensitivity knob beyond the model: real
 *   consumers commit every few seconds, each on its own schedule, so the committed position
 *   trails the consumed one by half an interval on average, and about rate × interval/2 of lag
 *   stays on record even when the group keeps up.
 * - Two scenario knobs beyond the model, usually set per trace (`<trace>.model.json`):
 *   a downstream ceiling (`ceilingRate` msg/s, 0 = none: the group consumes at most that however
 *   many tasks run, as when a database behind the consumers is the bottleneck), and stalled
 *   partitions (`stalledPartitions` stop consuming, as behind a poison message, while the others
 *   go on). Each applies from its `…FromSeconds` until its `…UntilSeconds` (0 = the end of the trace).
 *
 * Times are whole seconds since the start of the simulation.
 */
import { type FieldSpec, OverrideError } from './overrides.js';

export interface ServiceModel {
  partitions: number;
  taskThroughput: number;
  startupSeconds: number;
  rebalancePauseSeconds: number;
  minTasks: number;
  maxTasks: number;
  commitIntervalSeconds: number;
  ceilingRate: number;
  ceilingFromSeconds: number;
  ceilingUntilSeconds: number;
  stalledPartitions: number;
  stallFromSeconds: number;
  stallUntilSeconds: number;
}

/** Bounds for overriding the model from the command line (`--model startupSeconds=120`). */
export const SERVICE_MODEL_FIELDS: Readonly<Record<keyof ServiceModel, FieldSpec>> = {
  partitions: { kind: 'integer', min: 1 },
  taskThroughput: { kind: 'number', min: 1 },
  // Whole seconds keep every model event on the simulator's 1 s grid.
  startupSeconds: { kind: 'integer', min: 0 },
  rebalancePauseSeconds: { kind: 'integer', min: 0 },
  minTasks: { kind: 'integer', min: 0 },
  maxTasks: { kind: 'integer', min: 1 },
  commitIntervalSeconds: { kind: 'integer', min: 0 },
  ceilingRate: { kind: 'number', min: 0 },
  ceilingFromSeconds: { kind: 'integer', min: 0 },
  ceilingUntilSeconds: { kind: 'integer', min: 0 },
  stalledPartitions: { kind: 'integer', min: 0 },
  stallFromSeconds: { kind: 'integer', min: 0 },
  stallUntilSeconds: { kind: 'integer', min: 0 },
};

export const DEFAULT_SERVICE_MODEL: Readonly<ServiceModel> = {
  partitions: 48,
  taskThroughput: 100,
  startupSeconds: 60,
  rebalancePauseSeconds: 10,
  minTasks: 1,
  maxTasks: 48,
  commitIntervalSeconds: 0,
  ceilingRate: 0,
  ceilingFromSeconds: 0,
  ceilingUntilSeconds: 0,
  stalledPartitions: 0,
  stallFromSeconds: 0,
  stallUntilSeconds: 0,
};

/** What the field table cannot say alone: settings that must agree with each other. */
export function serviceModelProblems(model: ServiceModel): string[] {
  const problems: string[] = [];
  if (model.maxTasks < model.minTasks) problems.push(`maxTasks (${model.maxTasks}) must be at least minTasks (${model.minTasks})`);
  if (model.stalledPartitions > model.partitions) {
    problems.push(`stalledPartitions (${model.stalledPartitions}) must be at most partitions (${model.partitions})`);
  }
  for (const [from, until] of [
    ['ceilingFromSeconds', 'ceilingUntilSeconds'],
    ['stallFromSeconds', 'stallUntilSeconds'],
  ] as const) {
    if (model[until] !== 0 && model[until] <= model[from]) {
      problems.push(`${until} (${model[until]}) must be after ${from} (${model[from]}), or 0 for the end of the trace`);
    }
  }
  return problems;
}

/**
 * The model one run uses: the defaults, then the trace's scenario (its `.model.json`), then the
 * command line's `--model`. Settings that disagree fail with the trace named.
 */
export function resolveServiceModel(
  traceName: string,
  traceModel: Partial<ServiceModel>,
  overrides: Partial<ServiceModel> = {},
): ServiceModel {
  const model = { ...DEFAULT_SERVICE_MODEL, ...traceModel, ...overrides };
  const problems = serviceModelProblems(model);
  if (problems.length > 0) throw new OverrideError(`service model for ${traceName}: ${problems.join('; ')}`);
  return model;
}

/** Whether second t falls in a scenario window [from, until), `until` 0 meaning no end. */
export function inWindow(t: number, fromSeconds: number, untilSeconds: number): boolean {
  return t >= fromSeconds && (untilSeconds === 0 || t < untilSeconds);
}

/** The downstream ceiling in force during second t, msg/s; Infinity when there is none. */
export function ceilingAt(model: ServiceModel, t: number): number {
  return model.ceilingRate > 0 && inWindow(t, model.ceilingFromSeconds, model.ceilingUntilSeconds) ? model.ceilingRate : Infinity;
}

/** Partitions that consume nothing during second t. */
export function stalledPartitionsAt(model: ServiceModel, t: number): number {
  return inWindow(t, model.stallFromSeconds, model.stallUntilSeconds) ? model.stalledPartitions : 0;
}

/** The fewest tasks whose capacity reaches `rate` (partition steps included); maxTasks when none does. */
export function fewestTasksReaching(model: ServiceModel, rate: number): number {
  for (let tasks = Math.max(1, model.minTasks); tasks < model.maxTasks; tasks++) {
    if (groupCapacity(model, tasks) >= rate) return tasks;
  }
  return model.maxTasks;
}

/** Messages per second the group can consume with `consumers` running tasks. */
export function groupCapacity(model: ServiceModel, consumers: number): number {
  const members = Math.min(consumers, model.partitions);
  if (members <= 0) return 0;
  return (model.taskThroughput * model.partitions) / Math.ceil(model.partitions / members);
}

export class ConsumerService {
  private running: number;
  /** Start times of requested tasks that are not consuming yet, oldest request first. */
  private readonly pendingStarts: number[] = [];
  private pausedUntil = 0;

  constructor(
    readonly model: ServiceModel,
    initialRunningTasks: number,
  ) {
    this.running = this.clamp(initialRunningTasks);
  }

  get runningTasks(): number {
    return this.running;
  }

  get pendingTasks(): number {
    return this.pendingStarts.length;
  }

  get desiredTasks(): number {
    return this.running + this.pendingStarts.length;
  }

  /** Applies a controller's answer; returns the count actually set after clamping and rounding. */
  setDesired(requested: number, now: number): number {
    const target = this.clamp(requested);
    while (this.desiredTasks < target) this.pendingStarts.push(now + this.model.startupSeconds);
    while (this.desiredTasks > target && this.pendingStarts.length > 0) this.pendingStarts.pop();
    if (this.running > target) this.changeRunning(target, now);
    return target;
  }

  /** Starts every pending task whose start-up delay has elapsed by `now`. */
  startDueTasks(now: number): void {
    let started = 0;
    while (this.pendingStarts.length > 0 && this.pendingStarts[0]! <= now) {
      this.pendingStarts.shift();
      started++;
    }
    if (started > 0) this.changeRunning(this.running + started, now);
  }

  /** Messages per second the group consumes during the second starting at `now`. */
  capacityAt(now: number): number {
    return now < this.pausedUntil ? 0 : groupCapacity(this.model, this.running);
  }

  private changeRunning(count: number, now: number): void {
    this.running = count;
    this.pausedUntil = now + this.model.rebalancePauseSeconds;
  }

  private clamp(count: number): number {
    return Math.min(this.model.maxTasks, Math.max(this.model.minTasks, Math.round(count)));
  }
}
