/**
 * The demo's end-of-run figures: how far behind the group fell, how long the SLO was missed, what
 * the tasks cost, and what the controller did — from the timeline (measured), the ticks (what the
 * handler returned) and the UpdateService calls the ECS stand-in received.
 */
import { CONTROLLER_REASONS } from '../../src/report/outcome.js';
import type { RecordedCall } from '../local-stack/ecs-stand-in.js';
import type { TickRecord } from './controller-loop.js';
import type { TimelinePoint } from './timeline.js';

export interface ScaleAction {
  /** Seconds into the run. */
  t: number;
  from: number;
  to: number;
}

export interface DemoSummary {
  seconds: number;
  traffic: string;
  dryRun: boolean;
  sloTimeLagSeconds: number;
  peakLag: number;
  peakTimeLagSeconds: number;
  secondsOverSlo: number;
  /** Worker-minutes, pending ones included: what ECS would bill. */
  taskMinutes: number;
  /** UpdateService calls that changed the desired count. */
  scaleActions: ScaleAction[];
  ticks: number;
  /** Ticks whose decision differed from the current count (in a dry run: would have changed it). */
  ticksWantingChange: number;
  /** Ticks the controller held on, by reason (broken lag reads, deadline, …; "error" when the handler failed). */
  holds: Record<string, number>;
}

export interface SummaryInput {
  seconds: number;
  traffic: string;
  dryRun: boolean;
  sloTimeLagSeconds: number;
  timeline: readonly TimelinePoint[];
  ticks: readonly TickRecord[];
  updateServiceCalls: readonly RecordedCall[];
  initialDesired: number;
  /** Epoch ms of second 0. */
  startedAt: number;
}

export function summarizeDemo(input: SummaryInput): DemoSummary {
  const { timeline } = input;
  let secondsOverSlo = 0;
  let taskSeconds = 0;
  timeline.forEach((point, i) => {
    const dt = i === 0 ? 0 : point.t - timeline[i - 1]!.t;
    if ((point.timeLagSeconds ?? 0) > input.sloTimeLagSeconds) secondsOverSlo += dt;
    taskSeconds += dt * (point.running + point.pending);
  });

  const scaleActions: ScaleAction[] = [];
  let current = input.initialDesired;
  for (const call of input.updateServiceCalls) {
    const to = call.input.desiredCount;
    if (call.error || typeof to !== 'number' || to === current) continue;
    scaleActions.push({ t: (call.at - input.startedAt) / 1000, from: current, to });
    current = to;
  }

  const holds: Record<string, number> = {};
  let ticksWantingChange = 0;
  for (const tick of input.ticks) {
    const decision = tick.result?.decisions[0];
    const hold = tick.error !== undefined ? 'error' : decision && decision.reason in CONTROLLER_REASONS ? decision.reason : undefined;
    if (hold) holds[hold] = (holds[hold] ?? 0) + 1;
    else if (decision && decision.desired !== decision.current) ticksWantingChange++;
  }

  return {
    seconds: input.seconds,
    traffic: input.traffic,
    dryRun: input.dryRun,
    sloTimeLagSeconds: input.sloTimeLagSeconds,
    peakLag: Math.max(0, ...timeline.map((p) => p.lag ?? 0)),
    peakTimeLagSeconds: Math.max(0, ...timeline.map((p) => p.timeLagSeconds ?? 0)),
    secondsOverSlo: Math.round(secondsOverSlo),
    taskMinutes: taskSeconds / 60,
    scaleActions,
    ticks: input.ticks.length,
    ticksWantingChange,
    holds,
  };
}

/** The summary as the demo prints it, with where the run's files are. */
export function formatSummary(summary: DemoSummary, files: { chart: string; outDir: string }): string {
  const actions = summary.scaleActions;
  const holdList = Object.entries(summary.holds).map(([reason, count]) => `${reason} ×${count}`);
  const scaled = summary.dryRun
    ? `none: dry run (${summary.ticksWantingChange} ticks would have changed the count)`
    : actions.length === 0
      ? 'none'
      : `${actions.length}: ${[actions[0]!.from, ...actions.map((a) => a.to)].join(' → ')} tasks`;
  const rows: [string, string][] = [
    ['traffic', summary.traffic],
    ['peak lag', `${summary.peakLag.toLocaleString('en-US')} messages`],
    ['peak time lag', `${summary.peakTimeLagSeconds.toFixed(1)} s (SLO ${summary.sloTimeLagSeconds} s)`],
    ['time over the SLO', `${summary.secondsOverSlo} s`],
    ['task-minutes', `${summary.taskMinutes.toFixed(1)} (running + pending workers)`],
    ['scale actions', scaled],
    ['ticks', `${summary.ticks}, ${holdList.length === 0 ? 'no holds' : `held: ${holdList.join(', ')}`}`],
    ['chart', files.chart],
    ['logs', files.outDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `Demo summary (${Math.round(summary.seconds)} s${summary.dryRun ? ', dry run' : ''})`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}
