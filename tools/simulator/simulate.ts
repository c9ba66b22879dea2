/**
 * Replays a produce-rate trace through the consumer-service model under one autoscaler.
 *
 * Each simulated second [t, t+1):
 *   1. on the autoscaler's cadence (t a multiple of its period), it observes the lag and the
 *      task counts at t and answers a desired count, which the service applies at once;
 *   2. pending tasks whose start-up delay is over start consuming (pausing the group);
 *   3. the second's produce joins the backlog and the group consumes up to its capacity;
 *   4. cost, floor, time lag and the SLO are accounted.
 * All model events (requests, start-ups, pauses) fall on whole seconds, so a 1 s step is exact
 * except that consumption within a second is treated as a single batch.
 *
 * Cost is task-seconds of running plus pending tasks (pending tasks are billed). The floor is
 * what a perfect, free, instant autoscaler would pay: Σ max(minTasks, rate/taskThroughput)
 * per second — fractional tasks, no partition granularity — so cost/floor measures the total
 * price of granularity, delays, headroom and mistakes (below 1 only by falling behind).
 */
import { ConsumerService, DEFAULT_SERVICE_MODEL, groupCapacity, type ServiceModel } from './consumer-service.js';
import { simulatedLagTotals } from './lag-totals.js';
import { TimeLagMeter } from './time-lag.js';
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
  /** What the running consumers can consume (ignoring rebalance pauses), msgs/s. */
  consumerCapacity: number[];
  totalLag: number[];
  timeLagSeconds: number[];
  desiredTasks: number[];
  runningTasks: number[];
}

export interface SimulationResult {
  trace: string;
  autoscaler: string;
  durationSeconds: number;
  /** Task-seconds of running plus pending tasks. */
  cost: number;
  /** Σ max(minTasks, rate / taskThroughput) task-seconds. */
  floor: number;
  costOverFloor: number;
  /** Seconds whose end had a time lag above the SLO. */
  sloViolationSeconds: number;
  maxTimeLagSeconds: number;
  /** Ticks whose answer changed the desired count. */
  scaleActions: number;
  actionsPerHour: number;
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
  const timeLag = new TimeLagMeter(producedBy);
  const recorder = options.recordSeries
    ? new SeriesRecorder(options.seriesStepSeconds ?? Math.max(1, Math.ceil(durationSeconds / 4000)))
    : undefined;

  let backlog = 0;
  /** consumedBy[s] = messages consumed during [0, s); the committed position trails it. */
  const consumedBy = new Float64Array(durationSeconds + 1);
  const commitLagSeconds = model.commitIntervalSeconds / 2;
  let cost = 0;
  let floor = 0;
  let sloViolationSeconds = 0;
  let maxTimeLagSeconds = 0;
  let scaleActions = 0;

  for (let t = 0; t < durationSeconds; t++) {
    const producedSoFar = producedBy[t]!;
    if (t % period === 0) {
      const answer = autoscaler.tick({
        now: SIMULATION_EPOCH_MS + t * 1000,
        lag: simulatedLagTotals(producedSoFar, positionAt(consumedBy, t - commitLagSeconds), model.partitions),
        desiredTasks: service.desiredTasks,
        runningTasks: service.runningTasks,
      });
      if (!Number.isFinite(answer)) throw new Error(`${autoscaler.name} answered ${answer} at t=${t}s`);
      const before = service.desiredTasks;
      if (service.setDesired(answer, t) !== before) scaleActions++;
    }
    service.startDueTasks(t);

    const produced = producedBy[t + 1]! - producedSoFar;
    backlog = Math.max(0, backlog + produced - service.capacityAt(t));
    cost += service.desiredTasks;
    floor += Math.max(model.minTasks, produced / model.taskThroughput);

    consumedBy[t + 1] = producedBy[t + 1]! - backlog;
    const age = timeLag.ageAt(t + 1, consumedBy[t + 1]!);
    if (age > SLO_TIME_LAG_SECONDS) sloViolationSeconds++;
    if (age > maxTimeLagSeconds) maxTimeLagSeconds = age;
    recorder?.record(t + 1, produced, backlog, age, service);
  }

  const hours = durationSeconds / 3600;
  return {
    trace: trace.name,
    autoscaler: autoscaler.name,
    durationSeconds,
    cost,
    floor,
    costOverFloor: cost / floor,
    sloViolationSeconds,
    maxTimeLagSeconds,
    scaleActions,
    actionsPerHour: scaleActions / hours,
    ...(recorder ? { series: recorder.series } : {}),
  };
}

/** A cumulative count at a fractional second, linear within the second (0 before the start). */
function positionAt(cumulative: Float64Array, t: number): number {
  if (t <= 0) return 0;
  const whole = Math.floor(t);
  const before = cumulative[whole]!;
  return t === whole ? before : before + (t - whole) * (cumulative[whole + 1]! - before);
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
