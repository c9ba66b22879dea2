/**
 * The demo run as the simulator's chart page (tools/charts/chart-html.ts): produce rate against what
 * the running workers can take, lag, time lag against the SLO (measured, and the controller's own
 * estimate), and the desired and running task counts.
 */
import { renderChartHtml } from '../charts/chart-html.js';
import { scalingPanels } from '../charts/scaling-panels.js';
import type { TickRecord } from './controller-loop.js';
import type { DemoSummary } from './summary.js';
import type { TimelinePoint } from './timeline.js';

export interface DemoChartInput {
  timeline: readonly TimelinePoint[];
  ticks: readonly TickRecord[];
  summary: DemoSummary;
  /** Epoch ms of second 0. */
  startedAt: number;
}

export function demoChartHtml({ timeline, ticks, summary, startedAt }: DemoChartInput): string {
  const column = <T>(pick: (point: TimelinePoint) => T) => timeline.map(pick);
  return renderChartHtml({
    title: `kafka-lag-scaler demo: ${summary.traffic}${summary.dryRun ? ' (dry run)' : ''}`,
    facts: [
      { label: 'peak lag', value: `${summary.peakLag.toLocaleString('en-US')} messages` },
      { label: 'peak time lag', value: `${summary.peakTimeLagSeconds.toFixed(1)} s` },
      { label: `time lag > ${summary.sloTimeLagSeconds} s`, value: `${summary.secondsOverSlo} s` },
      { label: 'task-minutes', value: summary.taskMinutes.toFixed(1) },
      { label: 'scale actions', value: String(summary.scaleActions.length) },
      { label: 'ticks', value: String(summary.ticks) },
    ],
    time: { seconds: column((p) => p.t), originEpochMs: startedAt },
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
      desired: column((p) => p.desired),
      running: column((p) => p.running),
    }),
  });
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
