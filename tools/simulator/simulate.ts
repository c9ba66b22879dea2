/**
 * Replays a produce-rate trace through the consumer-service model under one autoscaler.
 *
 * Each simulated second [t, t+1):
 *   1. on the autoscaler's cadence (t a multiple of its period), it observes the lag (per
 *      partition and in total) and the task counts at t and answers a desired count, which the
 *      service applies at once;
 *   2. pending tasks whose start-up delay is over start consuming (pausing the group);
 *   3. the second's produce joins the backlog and the partitions consume up to the group's
 *      capacity (stalled partitions nothing, all together at most a downstream ceiling);
 *   4. cost, time lag and the SLO are accounted.
 * All model events (requests, start-ups, pauses) fall on whole seconds, so a 1 s step is exact
 * except that consumption within a second is treated as a single batch.
 *
 * Cost is task-seconds of running plus pending tasks (pending tasks are billed), plus the backlog
 * left at the end charged at the task-seconds it takes to consume (a run that stops behind has not
 * saved that work, only left it). The floor (floor.ts) is a true lower bound of that cost for any
 * controller: minTasks every second plus 1/taskThroughput task-seconds per message that the
 * minimum tasks could not have consumed. It matches the per-second Σ max(minTasks,
 * rate/taskThroughput) except for work that could wait for idle minimum tasks, so cost/floor ≥ 1
 * always and measures the total price of granularity, delays, headroom and mistakes.
 */
import {
  ConsumerService,
  DEFAULT_SERVICE_MODEL,
  fewestTasksReaching,
  groupCapacity,
  inWindow,
  type ServiceModel,
} from './consumer-service.js';
import { costFloor } from './floor.js';
import { PartitionLanes } from './partition-lanes.js';
import type { Trace } from './trace.js';
import type { Autoscaler } from './types.js';

/** Epoch of simulated t = 0 (2026-01-01T00:00:00Z), so controllers see realistic timestamps. */
export const SIMULATION_EPOCH_MS = Date.UTC(2026, 0, 1);

export const SLO_TIME_LAG_SECONDS = 180;

export interface SimulationOptions {
  model?: ServiceModel;
  /** Tasks running at t = 0. Default: enough for the initial rate, as if the service were settled. */
  initialTasks?: number;
  /** Record time series for charts (one point per `seriesStepSeconds`); off for bulk benchmarking. */
  recordSeries?: boolean;
  /** Default: a step that keeps each series to about 4,000 points. */
  seriesStepSeconds?: number;
}

/** Time series sampled every `stepSeconds`; lag and time lag keep the maximum over each step so spikes show. */
export interface SimulationSeries {
  stepSeconds: number;
  tSeconds: number[];
  produceRate: number[];
  /** What the running consumers can consume (ignoring rebalance pauses and the ceiling), msgs/s. */
  consumerCapacity: number[];
  totalLag: number[];
  timeLagSeconds: number[];
  desiredTasks: number[];
  runningTasks: number[];
}

/**
 * A tick worth marking on a chart: one that changed the count (`from` ≠ `to`), or a hold whose
 * reason differs from the tick before (a run of holds for the same reason is marked once).
 */
export interface TickMark {
  tSeconds: number;
  from: number;
  to: number;
  /** The autoscaler's reason, where it gives one (our `decide` does). */
  reason?: string;
}

/** How a run fared while a downstream ceiling was in force (only for models with one). */
export interface CeilingWindowResult {
  ceilingRate: number;
  /** The fewest tasks whose capacity reaches the ceiling: more cannot consume faster. */
  fewestTasksReaching: number;
  /** Mean desired (billed) task count over the window's seconds. */
  meanTasks: number;
  /** Reasons of the ticks within the window, counted. */
  reasons: Record<string, number>;
}

export interface SimulationResult {
  trace: string;
  autoscaler: string;
  durationSeconds: number;
  /** Task-seconds of running plus pending tasks, plus `endBacklogTaskSeconds`. */
  cost: number;
  /** Messages still unconsumed when the trace ends. */
  endBacklog: number;
  /** The end backlog charged as task-seconds of consuming it (endBacklog / taskThroughput). */
  endBacklogTaskSeconds: number;
  /** The lower bound of `cost` for any controller (floor.ts). */
  floor: number;
  costOverFloor: number;
  /** Seconds whose end had a time lag above the SLO. */
  sloViolationSeconds: number;
  maxTimeLagSeconds: number;
  /** Ticks whose answer changed the desired count. */
  scaleActions: number;
  actionsPerHour: number;
  /** Actions and changes of reason, in order. */
  ticks: TickMark[];
  ceilingWindow?: CeilingWindowResult;
  series?: SimulationSeries;
}

export function simulate(trace: Trace, autoscaler: Autoscaler, options: SimulationOptions = {}): SimulationResult {
  const model = options.model ?? DEFAULT_SERVICE_MODEL;
  const { producedBy, durationSeconds } = trace;
  const period = autoscaler.periodSeconds;
  if (!Number.isInteger(period) || period < 1) {
    throw new Error(`${autoscaler.name}: periodSeconds must be a whole number of seconds ≥ 1, got ${period}`);
  }
  const initialTasks = options.initialTasks ?? Math.ceil((trace.points[0]?.rate ?? 0) / model.taskThroughput);
  const service = new ConsumerService(model, initialTasks);
  const lanes = new PartitionLanes(model, producedBy);
  const recorder = options.recordSeries
    ? new SeriesRecorder(options.seriesStepSeconds ?? Math.max(1, Math.ceil(durationSeconds / 4000)))
    : undefined;
  const ceiling = model.ceilingRate > 0 ? new CeilingWindowMeter(model) : undefined;

  const commitLagSeconds = model.commitIntervalSeconds / 2;
  let taskSeconds = 0;
  let sloViolationSeconds = 0;
  let maxTimeLagSeconds = 0;
  let scaleActions = 0;
  const ticks: TickMark[] = [];
  let lastReason: string | undefined;

  for (let t = 0; t < durationSeconds; t++) {
    if (t % period === 0) {
      const from = service.desiredTasks;
      const answer = autoscaler.tick({
        now: SIMULATION_EPOCH_MS + t * 1000,
        lag: lanes.readingAt(t, commitLagSeconds),
        desiredTasks: from,
        runningTasks: service.runningTasks,
      });
      if (!Number.isFinite(answer)) throw new Error(`${autoscaler.name} answered ${answer} at t=${t}s`);
      const to = service.setDesired(answer, t);
      const reason = autoscaler.lastReason?.();
      if (to !== from) scaleActions++;
      // A slot that was not a decision (an autoscaler between its surge ticks) marks nothing unless it moved.
      if (to !== from || (reason !== undefined && reason !== lastReason))
        ticks.push({ tSeconds: t, from, to, ...(reason === undefined ? {} : { reason }) });
      if (reason !== undefined) lastReason = reason;
      ceiling?.countReason(t, reason);
    }
    service.startDueTasks(t);
    lanes.consume(t, service.capacityAt(t));
    taskSeconds += service.desiredTasks;
    ceiling?.countTasks(t, service.desiredTasks);

    const age = lanes.timeLagAt(t + 1);
    if (age > SLO_TIME_LAG_SECONDS) sloViolationSeconds++;
    if (age > maxTimeLagSeconds) maxTimeLagSeconds = age;
    recorder?.record(t + 1, producedBy[t + 1]! - producedBy[t]!, lanes.backlogAt(t + 1), age, service);
  }

  const endBacklog = lanes.backlogAt(durationSeconds);
  const endBacklogTaskSeconds = endBacklog / model.taskThroughput;
  const cost = taskSeconds + endBacklogTaskSeconds;
  const floor = costFloor(producedBy, model);
  return {
    trace: trace.name,
    autoscaler: autoscaler.name,
    durationSeconds,
    cost,
    endBacklog,
    endBacklogTaskSeconds,
    floor,
    costOverFloor: cost / floor,
    sloViolationSeconds,
    maxTimeLagSeconds,
    scaleActions,
    actionsPerHour: scaleActions / (durationSeconds / 3600),
    ticks,
    ...(ceiling ? { ceilingWindow: ceiling.result() } : {}),
    ...(recorder ? { series: recorder.series } : {}),
  };
}

class CeilingWindowMeter {
  private seconds = 0;
  private taskSeconds = 0;
  private readonly reasons: Record<string, number> = {};

  constructor(private readonly model: ServiceModel) {}

  private inside(t: number): boolean {
    return inWindow(t, this.model.ceilingFromSeconds, this.model.ceilingUntilSeconds);
  }

  countTasks(t: number, desired: number): void {
    if (!this.inside(t)) return;
    this.seconds++;
    this.taskSeconds += desired;
  }

  countReason(t: number, reason: string | undefined): void {
    if (reason !== undefined && this.inside(t)) this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
  }

  result(): CeilingWindowResult {
    return {
      ceilingRate: this.model.ceilingRate,
      fewestTasksReaching: fewestTasksReaching(this.model, this.model.ceilingRate),
      meanTasks: this.seconds > 0 ? this.taskSeconds / this.seconds : 0,
      reasons: this.reasons,
    };
  }
}

class SeriesRecorder {
  readonly series: SimulationSeries;
  private lagPeak = 0;
  private agePeak = 0;

  constructor(stepSeconds: number) {
    this.series = {
      stepSeconds,
      tSeconds: [],
      produceRate: [],
      consumerCapacity: [],
      totalLag: [],
      timeLagSeconds: [],
      desiredTasks: [],
      runningTasks: [],
    };
  }

  record(t: number, producedThisSecond: number, backlog: number, age: number, service: ConsumerService): void {
    this.lagPeak = Math.max(this.lagPeak, backlog);
    this.agePeak = Math.max(this.agePeak, age);
    if (t % this.series.stepSeconds !== 0) return;
    const s = this.series;
    s.tSeconds.push(t);
    s.produceRate.push(producedThisSecond);
    s.consumerCapacity.push(groupCapacity(service.model, service.runningTasks));
    s.totalLag.push(Math.floor(this.lagPeak));
    s.timeLagSeconds.push(this.agePeak);
    s.desiredTasks.push(service.desiredTasks);
    s.runningTasks.push(service.runningTasks);
    this.lagPeak = 0;
    this.agePeak = 0;
  }
}
