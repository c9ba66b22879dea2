/**
 * The run, second by second: the rate the traffic offered, what reached the log, the group's lag,
 * the time lag and the task counts. The view, the summary, the chart and the end-to-end test all
 * read this record, and it is measured, not estimated: the lag comes from Kafka's offsets and the
 * counts from the ECS stand-in.
 *
 * Time lag is the age of the oldest unconsumed message. It sits at position logEnd − lag (in the
 * units of the sum of log-end offsets), and it was produced when the log end passed that position:
 * found by interpolating between the two samples of the log end around it.
 */
import { groupCapacity } from '../../src/decision/capacity.js';

export interface Observation {
  /** Epoch ms. */
  at: number;
  offeredRate: number;
  /** From one lag read; null when the read failed or was partial (e.g. a broker down). */
  lag: { totalLag: number; logEndSum: number } | null;
  desired: number;
  running: number;
  pending: number;
}

export interface TimelinePoint {
  /** Seconds since the traffic started. */
  t: number;
  /** Messages per second the traffic asked for. */
  offeredRate: number;
  /** Messages per second that reached the log over the last few seconds; null when unknown. */
  producedRate: number | null;
  lag: number | null;
  timeLagSeconds: number | null;
  desired: number;
  running: number;
  pending: number;
  /** Messages per second the running workers can consume, partition steps included. */
  capacity: number;
}

interface LogEndSample {
  at: number;
  logEndSum: number;
}

const PRODUCED_RATE_WINDOW_MS = 3_000;

export class Timeline {
  readonly points: TimelinePoint[] = [];
  private readonly logEnds: LogEndSample[] = [];

  constructor(
    /** Epoch ms of second 0. */
    readonly startedAt: number,
    private readonly workerThroughput: number,
    private readonly partitions: number,
  ) {}

  record(observation: Observation): TimelinePoint {
    const { at, lag } = observation;
    if (lag) this.logEnds.push({ at, logEndSum: lag.logEndSum });
    const point: TimelinePoint = {
      t: (at - this.startedAt) / 1000,
      offeredRate: observation.offeredRate,
      producedRate: lag ? this.producedRate(at, lag.logEndSum) : null,
      lag: lag?.totalLag ?? null,
      timeLagSeconds: lag ? this.timeLagSeconds(at, lag.logEndSum - lag.totalLag, lag.totalLag) : null,
      desired: observation.desired,
      running: observation.running,
      pending: observation.pending,
      capacity: groupCapacity(this.workerThroughput, observation.running, this.partitions),
    };
    this.points.push(point);
    return point;
  }

  private producedRate(at: number, logEndSum: number): number | null {
    const reference = this.logEnds.findLast((s) => at - s.at >= PRODUCED_RATE_WINDOW_MS);
    return reference ? ((logEndSum - reference.logEndSum) * 1000) / (at - reference.at) : null;
  }

  private timeLagSeconds(at: number, position: number, lag: number): number {
    if (lag === 0) return 0;
    const before = this.logEnds.findLastIndex((s) => s.logEndSum <= position);
    // Older than every sample (only before the first read): its age is at least the first sample's.
    if (before < 0) return (at - this.logEnds[0]!.at) / 1000;
    // The current sample is past the position (lag > 0), so a later sample exists.
    const from = this.logEnds[before]!;
    const to = this.logEnds[before + 1]!;
    const producedAt = from.at + ((position - from.logEndSum) / (to.logEndSum - from.logEndSum)) * (to.at - from.at);
    return Math.max(0, (at - producedAt) / 1000);
  }
}
