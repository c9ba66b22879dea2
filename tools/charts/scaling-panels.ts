/**
 * The four panels every run of a consumer service is read by, whether simulated or the demo's:
 * produce rate against what the running tasks can take, lag, time lag against the SLO, and the
 * desired and running task counts. One definition, so both pages read the same.
 */
import type { ChartMarker, ChartPanel, ChartSeries, ChartThreshold } from './chart-html.js';

export const TASKS_PANEL = 'Tasks';

export interface ScalingSeries {
  produceRate: readonly (number | null)[];
  capacity: readonly (number | null)[];
  /** What runs the consumption: "tasks", "workers". */
  consumers: string;
  totalLag: readonly (number | null)[];
  /** The time lag series (measured; a page may add an estimate). */
  timeLag: ChartSeries[];
  sloSeconds: number;
  /** The policy's objective (maxTimeLagSeconds) when it has one: drawn beside the SLO, or with it when equal. */
  objectiveSeconds?: number;
  desired: readonly (number | null)[];
  running: readonly (number | null)[];
}

export function scalingPanels(s: ScalingSeries): ChartPanel[] {
  return [
    {
      title: 'Produce rate and consumer capacity',
      unit: 'msgs/s',
      series: [
        { name: 'produce rate', values: s.produceRate },
        { name: `capacity of running ${s.consumers}`, values: s.capacity, step: true },
      ],
    },
    { title: 'Lag', unit: 'messages', series: [{ name: 'total lag', values: s.totalLag }] },
    {
      title: 'Time lag (age of the oldest unconsumed message)',
      unit: 's',
      series: s.timeLag,
      thresholds: timeLagThresholds(s.sloSeconds, s.objectiveSeconds),
    },
    {
      title: TASKS_PANEL,
      series: [
        { name: 'desired', values: s.desired, step: true },
        { name: 'running', values: s.running, step: true },
      ],
    },
  ];
}

function timeLagThresholds(sloSeconds: number, objectiveSeconds: number | undefined): ChartThreshold[] {
  if (objectiveSeconds === undefined || objectiveSeconds <= 0) return [{ value: sloSeconds, label: `SLO ${sloSeconds} s` }];
  if (objectiveSeconds === sloSeconds) return [{ value: sloSeconds, label: `SLO = objective (maxTimeLagSeconds) ${sloSeconds} s` }];
  return [
    { value: sloSeconds, label: `SLO ${sloSeconds} s` },
    { value: objectiveSeconds, label: `objective (maxTimeLagSeconds) ${objectiveSeconds} s` },
  ];
}

/** A tick as charts mark it: a change of count, or a hold with its reason. */
export interface TickMarkInput {
  tSeconds: number;
  /** Null when the tick could not tell (e.g. the service could not be read). */
  from: number | null;
  to: number | null;
  reason?: string;
}

/** Actions ("3 → 7: scale-up") and holds (their reason) on the tasks panel. */
export function tickMarkers(ticks: readonly TickMarkInput[]): ChartMarker[] {
  return ticks.flatMap((tick): ChartMarker[] => {
    const panels = [TASKS_PANEL];
    if (tick.from !== null && tick.to !== null && tick.from !== tick.to) {
      const label = `${tick.from} → ${tick.to}${tick.reason ? `: ${tick.reason}` : ''}`;
      return [{ t: tick.tSeconds, kind: 'action', label, panels }];
    }
    return tick.reason ? [{ t: tick.tSeconds, kind: 'hold', label: `held: ${tick.reason}`, panels }] : [];
  });
}
