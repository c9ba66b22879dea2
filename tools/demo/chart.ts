/**
 * The demo run as the simulator's chart page (tools/charts/chart-html.ts): produce rate against what
 * the running workers can take, lag, time lag against the SLO and the controller's objective
 * (measured, and the controller's own estimate), and the desired and running task counts; each tick
 * that scaled (from → to, why) or held for a new reason is marked on the tasks panel, and each
 * injected fault across every panel. Time is elapsed since the traffic started, as in the demo's log.
 */
import { type ChartMarker, renderChartHtml } from '../charts/chart-html.js';
import { scalingPanels, type TickMarkInput, tickMarkers } from '../charts/scaling-panels.js';
import type { TickRecord } from './controller-loop.js';
import type { FaultEvent } from './faults.js';
import type { DemoSummary } from './summary.js';
import type { TimelinePoint } from './timeline.js';

export interface DemoChartInput {
  timeline: readonly TimelinePoint[];
  ticks: readonly TickRecord[];
  summary: DemoSummary;
  /** Epoch ms of second 0. */
  startedAt: number;
  faults: readonly FaultEvent[];
  /** The controller's maxTimeLagSeconds (0 or absent: none). */
  objectiveSeconds?: number;
}

export function demoChartHtml({ timeline, ticks, summary, startedAt, faults, objectiveSeconds }: DemoChartInput): string {
  const column = <T>(pick: (point: TimelinePoint) => T) => timeline.map(pick);
  return renderChartHtml({
    title: `kafka-lag-scaler demo: ${summary.traffic}${summary.dryRun ? ' (dry run)' : ''}`,
    facts: [
      { label: 'peak lag', value: `${summary.peakLag.toLocaleString('en-US')} messages` },
      { label: 'peak time lag', value: `${summary.peakTimeLagSeconds.toFixed(1)} s` },
      { label: `time lag > ${summary.sloTimeLagSeconds} s`, value: `${summary.secondsOverSlo} s` },
      ...(objectiveSeconds ? [{ label: 'objective', value: `${objectiveSeconds} s` }] : []),
      { label: 'task-minutes', value: summary.taskMinutes.toFixed(1) },
      { label: 'scale actions', value: String(summary.scaleActions.length) },
      { label: 'ticks', value: String(summary.ticks) },
    ],
    time: { seconds: column((p) => p.t) },
    panels: scalingPanels({
      produceRate: column((p) => p.offeredRate),
      capacity: column((p) => p.capacity),
      consumers: 'workers',
      totalLag: column((p) => p.lag),
      timeLag: [
        { name: 'measured', values: column((p) => p.timeLagSeconds) },
        { name: "controller's estimate", values: controllerEstimates(timeline, ticks, startedAt), dashed: true },
      ],
      sloSeconds: summary.sloTimeLagSeconds,
      ...(objectiveSeconds ? { objectiveSeconds } : {}),
      desired: column((p) => p.desired),
      running: column((p) => p.running),
    }),
    markers: [
      ...tickMarkers(tickMarks(ticks, startedAt)),
      ...faults.map((f): ChartMarker => ({ t: f.t, kind: 'fault', label: f.description })),
    ],
  });
}

/**
 * Each tick that wanted a change (in a dry run it would have made it), and each tick whose reason
 * differs from the tick before: a run of holds for the same reason is marked once.
 */
export function tickMarks(ticks: readonly TickRecord[], startedAt: number): TickMarkInput[] {
  const marks: TickMarkInput[] = [];
  let lastReason: string | undefined;
  for (const tick of ticks) {
    const decision = tick.result?.decisions[0];
    const reason = tick.error !== undefined ? 'error' : decision?.reason;
    const from = decision?.current ?? null;
    const to = decision?.desired ?? from;
    const wantedChange = from !== null && to !== null && to !== from;
    if (wantedChange || reason !== lastReason) {
      marks.push({ tSeconds: (tick.scheduledAt - startedAt) / 1000, from, to, ...(reason === undefined ? {} : { reason }) });
    }
    lastReason = reason;
  }
  return marks;
}

/** At each point, the time lag the latest tick before it estimated (null where it had none). */
function controllerEstimates(timeline: readonly TimelinePoint[], ticks: readonly TickRecord[], startedAt: number): (number | null)[] {
  let next = 0;
  let estimate: number | null = null;
  return timeline.map((point) => {
    while (next < ticks.length && (ticks[next]!.scheduledAt - startedAt) / 1000 <= point.t) {
      estimate = ticks[next]!.result?.decisions[0]?.figures?.timeLagSeconds ?? null;
      next++;
    }
    return estimate;
  });
}
