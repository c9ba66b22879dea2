import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrace, parseTrace, TraceFormatError } from '../../../tools/simulator/trace.js';
import { traceOf } from './observations.js';

describe('trace CSV', () => {
  it('reads t_seconds,rate points, tolerating CRLF and a trailing newline', () => {
    const trace = parseTrace('t_seconds,rate\r\n0,10\r\n60,20\r\n', 'x.csv');
    expect(trace.points).toEqual([
      { tSeconds: 0, rate: 10 },
      { tSeconds: 60, rate: 20 },
    ]);
    expect(trace.durationSeconds).toBe(60);
  });

  it.each([
    ['a wrong header', 'time,rate\n0,1\n10,1', /x\.csv:1: expected header "t_seconds,rate"/],
    ['a non-numeric rate', 't_seconds,rate\n0,1\n10,fast', /x\.csv:3: rate is not a number: "fast"/],
    ['a non-numeric time', 't_seconds,rate\n0,1\nten,1', /x\.csv:3: t_seconds is not a number: "ten"/],
    ['an empty field', 't_seconds,rate\n0,1\n10,', /x\.csv:3: rate is not a number/],
    ['a missing field', 't_seconds,rate\n0,1\n10', /x\.csv:3: expected 2 fields/],
    ['times out of order', 't_seconds,rate\n0,1\n20,1\n10,1', /x\.csv:4: t_seconds must increase: 10 comes after 20/],
    ['a repeated time', 't_seconds,rate\n0,1\n10,1\n10,2', /x\.csv:4: t_seconds must increase/],
    ['a negative rate', 't_seconds,rate\n0,1\n10,-5', /x\.csv:3: rate must not be negative/],
    ['a first point after 0', 't_seconds,rate\n5,1\n10,1', /x\.csv:2: the first point must be at t_seconds=0/],
    ['a single point', 't_seconds,rate\n0,1', /x\.csv: a trace needs at least two points/],
  ])('rejects %s with the file and line', (_, csv, message) => {
    expect(() => parseTrace(csv, 'x.csv')).toThrow(TraceFormatError);
    expect(() => parseTrace(csv, 'x.csv')).toThrow(message);
  });

  it('integrates produced messages exactly, including points between whole seconds', () => {
    const ramp = traceOf([
      [0, 0],
      [10, 100],
    ]);
    expect(ramp.producedBy[5]).toBeCloseTo(125);
    expect(ramp.producedBy[10]).toBeCloseTo(500);

    // 0 → 100 msgs/s over the first half second, then flat: 25 + 50 in the first second.
    const kink = traceOf([
      [0, 0],
      [0.5, 100],
      [2, 100],
    ]);
    expect(kink.producedBy[1]).toBeCloseTo(75);
    expect(kink.producedBy[2]).toBeCloseTo(175);
  });
});

describe('a trace’s own service model (name.model.json beside name.csv)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-model-'));
  const write = (name: string, model?: string) => {
    writeFileSync(join(dir, `${name}.csv`), 't_seconds,rate\n0,100\n60,100\n');
    if (model !== undefined) writeFileSync(join(dir, `${name}.model.json`), model);
    return join(dir, `${name}.csv`);
  };

  it('is loaded with the trace', () => {
    expect(loadTrace(write('bottleneck', '{"ceilingRate": 1500, "ceilingFromSeconds": 600}')).model).toEqual({
      ceilingRate: 1500,
      ceilingFromSeconds: 600,
    });
  });

  it('is empty when there is none', () => {
    expect(loadTrace(write('plain')).model).toEqual({});
  });

  it.each([
    ['{"ceilingRat": 1500}', /bad\.model\.json: unknown setting "ceilingRat"/],
    ['{"ceilingRate": "1500"}', /bad\.model\.json: ceilingRate: expected a number, got "1500"/],
    ['{"stalledPartitions": 1.5}', /bad\.model\.json: stalledPartitions: expected a whole number, got 1.5/],
    ['{"ceilingRate": -1}', /bad\.model\.json: ceilingRate: must be at least 0, got -1/],
    ['[1500]', /bad\.model\.json: expected a JSON object of settings/],
    ['{ceilingRate: 1500}', /bad\.model\.json: not valid JSON/],
  ])('rejects %s, naming the file and the field', (json, message) => {
    const path = write('bad', json);
    expect(() => loadTrace(path)).toThrow(TraceFormatError);
    expect(() => loadTrace(path)).toThrow(message);
  });
});
