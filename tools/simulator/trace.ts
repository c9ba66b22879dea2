/**
 * Produce-rate traces: CSV files with header `t_seconds,rate`, messages per second produced at
 * time t, linear between points. The simulator integrates them one second at a time, so a trace
 * is turned once into the cumulative count of produced messages at every whole second; every run
 * over that trace (all policies, all grid settings) shares it.
 *
 * A trace that needs its own service model (a downstream ceiling, stalled partitions) keeps it
 * beside the CSV: `name.model.json` next to `name.csv`, a JSON object of `ServiceModel` fields,
 * checked as `--model` is, with errors that name the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SERVICE_MODEL_FIELDS, type ServiceModel } from './consumer-service.js';
import { checkSettings, OverrideError } from './overrides.js';

export interface TracePoint {
  tSeconds: number;
  rate: number;
}

export interface Trace {
  name: string;
  points: readonly TracePoint[];
  /** Whole seconds simulated: from 0 to the last point, rounded down. */
  durationSeconds: number;
  /** producedBy[s] = messages produced during [0, s), for s = 0..durationSeconds. */
  producedBy: Float64Array;
  /** The service-model settings this trace's scenario needs (from its `.model.json`); empty for most. */
  model: Partial<ServiceModel>;
}

export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

const HEADER = 't_seconds,rate';

/** Parses the CSV text; errors name the source and the line so a bad file is quick to fix. */
export function parseTrace(csv: string, name: string): Trace {
  const lines = csv.split(/\r?\n/);
  const fail = (lineIndex: number, problem: string): never => {
    throw new TraceFormatError(`${name}:${lineIndex + 1}: ${problem}`);
  };
  if (lines[0]?.trim() !== HEADER) fail(0, `expected header "${HEADER}", got "${lines[0]?.trim() ?? ''}"`);

  const points: TracePoint[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length !== 2) fail(i, `expected 2 fields "t_seconds,rate", got ${fields.length}: "${line}"`);
    const [tSeconds, rate] = fields.map(Number) as [number, number];
    if (fields[0] === '' || !Number.isFinite(tSeconds)) fail(i, `t_seconds is not a number: "${fields[0]}"`);
    if (fields[1] === '' || !Number.isFinite(rate)) fail(i, `rate is not a number: "${fields[1]}"`);
    if (rate < 0) fail(i, `rate must not be negative: ${rate}`);
    const previous = points.at(-1);
    if (previous === undefined && tSeconds !== 0) fail(i, `the first point must be at t_seconds=0, got ${tSeconds}`);
    if (previous !== undefined && tSeconds <= previous.tSeconds) {
      fail(i, `t_seconds must increase: ${tSeconds} comes after ${previous.tSeconds}`);
    }
    points.push({ tSeconds, rate });
  });
  const last = points.at(-1);
  if (last === undefined || last.tSeconds < 1) {
    throw new TraceFormatError(`${name}: a trace needs at least two points spanning one second or more`);
  }

  const durationSeconds = Math.floor(last.tSeconds);
  return { name, points, durationSeconds, producedBy: cumulativeProduced(points, durationSeconds), model: {} };
}

/** Reads a trace and, when there is one, the `.model.json` beside it. */
export function loadTrace(path: string, name = path): Trace {
  const trace = parseTrace(readFileSync(path, 'utf8'), name);
  const modelPath = modelPathOf(path);
  return existsSync(modelPath) ? { ...trace, model: parseTraceModel(readFileSync(modelPath, 'utf8'), modelPath) } : trace;
}

export function modelPathOf(tracePath: string): string {
  return `${tracePath.replace(/\.csv$/, '')}.model.json`;
}

/** A trace's model settings; errors name `source` (the file) and the field. */
export function parseTraceModel(json: string, source: string): Partial<ServiceModel> {
  let settings: unknown;
  try {
    settings = JSON.parse(json);
  } catch (error) {
    throw new TraceFormatError(`${source}: not valid JSON: ${(error as Error).message}`);
  }
  try {
    return checkSettings(settings, SERVICE_MODEL_FIELDS, source) as Partial<ServiceModel>; // checked field by field
  } catch (error) {
    if (error instanceof OverrideError) throw new TraceFormatError(error.message);
    throw error;
  }
}

/** The rate at time t on the segment starting at points[segment] (flat beyond the last point). */
function interpolate(points: readonly TracePoint[], segment: number, t: number): number {
  const a = points[segment]!;
  const b = points[segment + 1];
  if (b === undefined) return a.rate;
  return a.rate + ((b.rate - a.rate) * (t - a.tSeconds)) / (b.tSeconds - a.tSeconds);
}

/**
 * Exact integral of the piecewise-linear rate at every whole second: each second is split at any
 * trace points inside it and every piece, being linear, is integrated as a trapezoid.
 */
function cumulativeProduced(points: readonly TracePoint[], durationSeconds: number): Float64Array {
  const producedBy = new Float64Array(durationSeconds + 1);
  let segment = 0;
  for (let s = 0; s < durationSeconds; s++) {
    let from = s;
    let produced = 0;
    while (segment + 1 < points.length && points[segment + 1]!.tSeconds < s + 1) {
      const breakpoint = points[segment + 1]!.tSeconds;
      if (breakpoint > from) {
        produced += ((interpolate(points, segment, from) + points[segment + 1]!.rate) / 2) * (breakpoint - from);
        from = breakpoint;
      }
      segment++;
    }
    produced += ((interpolate(points, segment, from) + interpolate(points, segment, s + 1)) / 2) * (s + 1 - from);
    producedBy[s + 1] = producedBy[s]! + produced;
  }
  return producedBy;
}
