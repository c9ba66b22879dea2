/**
 * What the demo's producer sends: messages per second at each moment of the run. Either the
 * built-in month-end spike, shaped to the run's length, or a recorded trace (`t_seconds,rate` CSV,
 * linear between points) compressed in time and rescaled so its peak suits the demo's service.
 */
import type { Trace, TracePoint } from '../simulator/trace.js';

export interface Traffic {
  /** For the view and the summary, e.g. "month-end.csv at 160×". */
  description: string;
  /** Real seconds the traffic takes: the run's length unless --seconds says otherwise. */
  durationSeconds: number;
  peakRate: number;
  /** Messages per second `t` seconds into the run (the last rate holds beyond the end). */
  rateAt(t: number): number;
  /** The spike's phase at `t` ("ramp", "plateau", …); empty for a trace. */
  phaseAt(t: number): string;
}

/** The peak asks for this share of what every partition's worker together consumes: most of the service, drainable. */
const PEAK_SHARE_OF_CAPACITY = 0.75;
/** The calm before and after the spike: enough for two workers. */
const BASELINE_SHARE_OF_CAPACITY = 0.12;

/** The spike's corners, as fractions of the run and of the peak; each phase runs to the next corner. */
const SPIKE_SHAPE = [
  { at: 0, level: 'baseline', phase: 'baseline' },
  { at: 0.15, level: 'baseline', phase: 'ramp' },
  { at: 0.25, level: 'peak', phase: 'plateau' },
  { at: 0.55, level: 'peak', phase: 'decay' },
  { at: 0.7, level: 'baseline', phase: 'after the spike' },
  { at: 1, level: 'baseline', phase: 'after the spike' },
] as const;

/** A calm baseline, a steep ramp to several times it, a plateau, a decay, and calm again, over `durationSeconds`. */
export function monthEndSpike(durationSeconds: number, fullCapacity: number): Traffic {
  const peakRate = PEAK_SHARE_OF_CAPACITY * fullCapacity;
  const baselineRate = BASELINE_SHARE_OF_CAPACITY * fullCapacity;
  const points = SPIKE_SHAPE.map((corner) => ({
    tSeconds: corner.at * durationSeconds,
    rate: corner.level === 'peak' ? peakRate : baselineRate,
  }));
  return {
    description: `built-in month-end spike (${Math.round(baselineRate)} → ${Math.round(peakRate)} msgs/s)`,
    durationSeconds,
    peakRate,
    rateAt: (t) => rateOn(points, t),
    phaseAt: (t) => SPIKE_SHAPE[segmentAt(points, t)]!.phase,
  };
}

export interface ReplayOptions {
  /** Trace seconds per real second; by default the whole trace fits `fitSeconds`. */
  speed?: number;
  fitSeconds: number;
  fullCapacity: number;
}

/** A trace, `speed` times faster, with its peak rescaled to the share of the demo's capacity a spike gets. */
export function replayTrace(trace: Trace, options: ReplayOptions): Traffic {
  const speed = options.speed ?? trace.durationSeconds / options.fitSeconds;
  const tracePeak = Math.max(...trace.points.map((p) => p.rate));
  const peakRate = PEAK_SHARE_OF_CAPACITY * options.fullCapacity;
  const scale = tracePeak > 0 ? peakRate / tracePeak : 0;
  return {
    description: `${trace.name} at ${formatSpeed(speed)}× (peak ${Math.round(peakRate)} msgs/s)`,
    durationSeconds: trace.durationSeconds / speed,
    peakRate: tracePeak * scale,
    rateAt: (t) => scale * rateOn(trace.points, t * speed),
    phaseAt: () => '',
  };
}

function formatSpeed(speed: number): string {
  return speed >= 10 ? String(Math.round(speed)) : String(Number(speed.toPrecision(2)));
}

/** Index of the segment [points[i], points[i+1]) holding t; the last point's index beyond the end. */
function segmentAt(points: readonly TracePoint[], t: number): number {
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (points[middle]!.tSeconds <= t) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The piecewise-linear rate at t: flat before the first point and after the last. */
function rateOn(points: readonly TracePoint[], t: number): number {
  const index = segmentAt(points, t);
  const a = points[index]!;
  const b = points[index + 1];
  if (b === undefined || t <= a.tSeconds) return a.rate;
  return a.rate + ((b.rate - a.rate) * (t - a.tSeconds)) / (b.tSeconds - a.tSeconds);
}
