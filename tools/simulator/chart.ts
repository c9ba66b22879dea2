/**
 * The page an operator looks at while tuning: one simulation run as stacked charts — produce rate
 * against what the running consumers can take, lag, time lag against the SLO (and the policy's
 * objective), and the desired and running task counts, with each scale action (from → to) and
 * each change of the reason for holding marked on the tasks panel. Time is elapsed since the
 * trace's start, as the simulator reports it.
 */
import { renderChartHtml } from '../charts/chart-html.js';
import { scalingPanels, tickMarkers } from '../charts/scaling-panels.js';
import { type SimulationResult, SLO_TIME_LAG_SECONDS } from './simulate.js';

export interface SimulationChartOptions {
  /** The policy's maxTimeLagSeconds, when it has one. */
  objectiveSeconds?: number;
}

export function simulationChartHtml(result: SimulationResult, options: SimulationChartOptions = {}): string {
  const series = result.series;
  if (series === undefined) throw new Error('simulationChartHtml needs a run simulated with recordSeries: true');
  return renderChartHtml({
    title: `${result.autoscaler} on ${result.trace}`,
    facts: [
      { label: 'cost/floor', value: result.costOverFloor.toFixed(2) },
      { label: 'cost', value: `${(result.cost / 3600).toFixed(1)} task-hours` },
      { label: 'floor', value: `${(result.floor / 3600).toFixed(1)} task-hours` },
      { label: `time lag > ${SLO_TIME_LAG_SECONDS} s`, value: `${result.sloViolationSeconds} s` },
      { label: 'max time lag', value: `${result.maxTimeLagSeconds.toFixed(0)} s` },
      { label: 'scale actions', value: `${result.scaleActions} (${result.actionsPerHour.toFixed(1)}/h)` },
      { label: 'chart resolution', value: `${series.stepSeconds} s (lag: peak per step)` },
    ],
    time: { seconds: series.tSeconds },
    panels: scalingPanels({
      produceRate: series.produceRate,
      capacity: series.consumerCapacity,
      consumers: 'tasks',
      totalLag: series.totalLag,
      timeLag: [{ name: 'time lag', values: series.timeLagSeconds }],
      sloSeconds: SLO_TIME_LAG_SECONDS,
      ...(options.objectiveSeconds === undefined ? {} : { objectiveSeconds: options.objectiveSeconds }),
      desired: series.desiredTasks,
      running: series.runningTasks,
    }),
    markers: tickMarkers(result.ticks),
  });
}
