/**
 * Where the simulated backlog lives: the topic's partitions in lanes that consume alike. Without a
 * stall there is one lane, all partitions, and the model is the issue's (backlog spread evenly).
 * With `stalledPartitions: N`, partitions 0..N−1 form a second lane that consumes nothing while the
 * stall lasts: their committed offsets freeze and their lag grows with their share of produce,
 * while the other partitions go on. When the stall ends, each lane drains at its partitions' pace,
 * so the stalled backlog clears no faster than its own partitions allow.
 *
 * Each lane receives its share of produce (its partitions ÷ all), so its k-th message was produced
 * when the topic's cumulative count reached k ÷ share: that maps a lane's consumed position onto
 * the trace's clock, and the time lag is the oldest lane's.
 */

import type { LagReading } from '../../src/decision/types.js';
import { ceilingAt, type ServiceModel, stalledPartitionsAt } from './consumer-service.js';
import { simulatedLagReading } from './lag-totals.js';
import { TimeLagMeter } from './time-lag.js';

interface Lane {
  first: number;
  count: number;
  share: number;
  stallable: boolean;
  /** consumedBy[s] = the lane's messages consumed during [0, s). */
  consumedBy: Float64Array;
  meter: TimeLagMeter;
}

export class PartitionLanes {
  private readonly lanes: Lane[];

  constructor(
    private readonly model: ServiceModel,
    private readonly producedBy: Float64Array,
  ) {
    const stalled = model.stalledPartitions;
    const lane = (first: number, count: number, stallable: boolean): Lane => ({
      first,
      count,
      share: count / model.partitions,
      stallable,
      consumedBy: new Float64Array(producedBy.length),
      meter: new TimeLagMeter(producedBy),
    });
    this.lanes = [lane(0, stalled, true), lane(stalled, model.partitions - stalled, false)].filter((l) => l.count > 0);
  }

  /**
   * Second [t, t+1): each lane consumes up to its partitions' share of `groupCapacity` (0 while
   * stalled), and all lanes together at most the downstream ceiling in force.
   */
  consume(t: number, groupCapacity: number): void {
    const perPartition = groupCapacity / this.model.partitions;
    const stalled = stalledPartitionsAt(this.model, t) > 0;
    const available = this.lanes.map((lane) => this.producedBy[t + 1]! * lane.share - lane.consumedBy[t]!);
    const wanted = this.lanes.map((lane, i) => {
      const pace = stalled && lane.stallable ? 0 : perPartition * lane.count;
      return Math.max(0, Math.min(available[i]!, pace));
    });
    const total = wanted.reduce((a, b) => a + b, 0);
    const ceiling = ceilingAt(this.model, t);
    const scale = total > ceiling ? ceiling / total : 1;
    this.lanes.forEach((lane, i) => {
      const consumed = wanted[i]! * scale;
      // A lane that consumed all it had is caught up exactly: no rounding residue to show as lag.
      lane.consumedBy[t + 1] = consumed >= available[i]! ? this.producedBy[t + 1]! * lane.share : lane.consumedBy[t]! + consumed;
    });
  }

  /** Messages not consumed by second s. */
  backlogAt(s: number): number {
    return this.lanes.reduce((sum, lane) => sum + Math.max(0, this.producedBy[s]! * lane.share - lane.consumedBy[s]!), 0);
  }

  /** Age at second s of the oldest unconsumed message over all lanes (0 when none is left). Call with s increasing. */
  timeLagAt(s: number): number {
    return this.lanes.reduce((oldest, lane) => Math.max(oldest, lane.meter.ageAt(s, lane.consumedBy[s]! / lane.share)), 0);
  }

  /** What Kafka reports at second t when commits trail consumption by `commitLagSeconds`. */
  readingAt(t: number, commitLagSeconds: number): LagReading {
    return simulatedLagReading(
      this.lanes.map((lane) => ({
        first: lane.first,
        count: lane.count,
        produced: this.producedBy[t]! * lane.share,
        consumed: positionAt(lane.consumedBy, t - commitLagSeconds),
      })),
    );
  }
}

/** A cumulative count at a fractional second, linear within the second (0 before the start). */
function positionAt(cumulative: Float64Array, t: number): number {
  if (t <= 0) return 0;
  const whole = Math.floor(t);
  const before = cumulative[whole]!;
  return t === whole ? before : before + (t - whole) * (cumulative[whole + 1]! - before);
}
