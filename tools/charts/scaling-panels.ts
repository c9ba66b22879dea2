/**
 * The four panels every run of a consumer service is read by, whether simulated or the demo's:
 * produce rate against what the running tasks can take, lag, time lag against the SLO, and the
 * desired and running task counts. One definition, so both pages read the same.
 */
import type { ChartPanel, ChartSeries } from './chart-html.js';

export interface ScalingSeries {
  produceRate: readonly (number | null)[];
  capacity: readonly (number | null)[];
  /** What runs the consumption: "tasks", "workers". */
  consumers: string;
  totalLag: readonly (number | null)[];
  /** The time lag series (measured; a page may add an estimate). */
  timeLag: ChartSeries[];
  sloSeconds: number;
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
      thresholds: [{ value: s.sloSeconds, label: `SLO ${s.sloSeconds} s` }],
    },
    {
      title: 'Tasks',
      series: [
        { name: 'desired', values: s.desired, step: true },
        { name: 'running', values: s.running, step: true },
      ],
    },
  ];
}
