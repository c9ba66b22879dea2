/**
 * The demo run as the simulator's chart page (tools/charts/chart-html.ts): produce rate against what
 * the running workers can take, lag, time lag against the SLO (measured, and the controller's own
 * estimate), and the desired and running task counts.
 */
import { renderChartHtml } from '../charts/chart-html.js';
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
    panels: [
      {
        title: 'Produce rate and consumer capacity',
        unit: 'msgs/s',
        series: [
          { name: 'produce rate', values: column((p) => p.offeredRate) },
          { name: 'capacity of running workers', values: column((p) => p.capacity), step: true },
        ],
      },
      { title: 'Lag', unit: 'messages', series: [{ name: 'total lag', values: column((p) => p.lag) }] },
      {
        title: 'Time lag (age of the oldest unconsumed message)',
        unit: 's',
        series: [
          { name: 'measured', values: column((p) => p.timeLagSeconds) },
          { name: "controller's estimate", values: controllerEstimates(timeline, ticks, startedAt), dashed: true },
        ],
        thresholds: [{ value: summary.sloTimeLagSeconds, label: `SLO ${summary.sloTimeLagSeconds} s` }],
      },
      {
        title: 'Tasks',
        series: [
          { name: 'desired', values: column((p) => p.desired), step: true },
          { name: 'running', values: column((p) => p.running), step: true },
        ],
      },
    ],
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
