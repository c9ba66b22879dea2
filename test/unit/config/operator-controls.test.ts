import { describe, expect, it } from 'vitest';
import { type ControllerConfig, parseControllerConfig } from '../../../src/config/controller-config.js';
import { holdOn, MAX_NOTE_CHARACTERS, type OperatorControls, operatorControls } from '../../../src/config/operator-controls.js';

const PARAMETER = '/kafka-lag-scaler/control';
const loans = { name: 'loans', group: 'loan-approvals', cluster: 'prod', service: 'loan-worker', maxTasks: 24 };
const payments = { name: 'payments', group: 'payment-workers', cluster: 'prod', service: 'payment-worker', maxTasks: 8 };

/** The configuration as the controller parses it from its environment. */
function configured(overrides: Record<string, string> = {}, targets: object[] = [loans, payments]): ControllerConfig {
  const result = parseControllerConfig({
    KAFKA_BROKERS: 'b-1:9092',
    KAFKA_AUTH_MODE: 'none',
    SCALER_CONTROL_PARAMETER: PARAMETER,
    SCALER_TARGETS: JSON.stringify(targets),
    ...overrides,
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
}

function controlsOf(config: ControllerConfig, parameterValue?: string): OperatorControls {
  const result = operatorControls(config, parameterValue);
  if (!result.ok) throw new Error(result.problem);
  return result.controls;
}

function problemOf(parameterValue: string, config = configured()): string {
  const result = operatorControls(config, parameterValue);
  if (result.ok) throw new Error(`${parameterValue} was accepted`);
  return result.problem;
}

describe('the operator controls from the configuration (a deploy)', () => {
  it('hold nothing by default', () => {
    const controls = controlsOf(configured());
    expect(holdOn(controls, 'loans')).toBeUndefined();
    expect(holdOn(controls, 'payments')).toBeUndefined();
  });

  it('SCALER_PAUSED=true pauses every target at its count, saying which setting does', () => {
    const controls = controlsOf(configured({ SCALER_PAUSED: 'true' }));
    expect(holdOn(controls, 'loans')).toEqual({ by: 'SCALER_PAUSED' });
    expect(holdOn(controls, 'payments')).toEqual({ by: 'SCALER_PAUSED' });
  });

  it("a target's pinnedTasks pins that target only", () => {
    const controls = controlsOf(configured({}, [{ ...loans, pinnedTasks: 6 }, payments]));
    expect(holdOn(controls, 'loans')).toEqual({ pinnedTasks: 6, by: 'pinnedTasks of loans in SCALER_TARGETS' });
    expect(holdOn(controls, 'payments')).toBeUndefined();
  });

  it.each([25, -1, 2.5, '6'])('refuses a configured pinnedTasks of %j, naming the target, the field and the bound', (pin) => {
    const result = parseControllerConfig({
      KAFKA_BROKERS: 'b-1:9092',
      KAFKA_AUTH_MODE: 'none',
      SCALER_TARGETS: JSON.stringify([{ ...loans, pinnedTasks: pin }]),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringMatching(/^SCALER_TARGETS\[0\] \(loans\)\.pinnedTasks: must be a whole number from 0 to maxTasks \(24\), got /),
    ]);
  });
});

describe('the control parameter (read every tick, no deploy)', () => {
  it('{} holds nothing: the way to resume', () => {
    const controls = controlsOf(configured(), '{}');
    expect(holdOn(controls, 'loans')).toBeUndefined();
  });

  it('{"paused": true} pauses every target, naming the parameter and its note', () => {
    const controls = controlsOf(configured(), '{"paused": true, "note": "INC-42: downstream maintenance"}');
    expect(holdOn(controls, 'loans')).toEqual({ by: `control parameter ${PARAMETER} (INC-42: downstream maintenance)` });
    expect(holdOn(controls, 'payments')).toEqual({ by: `control parameter ${PARAMETER} (INC-42: downstream maintenance)` });
  });

  it('{"paused": false} does not lift SCALER_PAUSED: either one pauses', () => {
    const controls = controlsOf(configured({ SCALER_PAUSED: 'true' }), '{"paused": false}');
    expect(holdOn(controls, 'loans')).toEqual({ by: 'SCALER_PAUSED' });
  });

  it('pins one target and leaves the others to the decision', () => {
    const controls = controlsOf(configured(), '{"pinnedTasks": {"loans": 6}}');
    expect(holdOn(controls, 'loans')).toEqual({ pinnedTasks: 6, by: `control parameter ${PARAMETER}` });
    expect(holdOn(controls, 'payments')).toBeUndefined();
  });

  it("wins over the target's configured pin", () => {
    const controls = controlsOf(configured({}, [{ ...loans, pinnedTasks: 6 }, payments]), '{"pinnedTasks": {"loans": 10}}');
    expect(holdOn(controls, 'loans')).toMatchObject({ pinnedTasks: 10 });
  });

  it('a pause holds a pinned target at its count too: a pause stops every change', () => {
    const controls = controlsOf(configured(), '{"paused": true, "pinnedTasks": {"loans": 6}}');
    expect(holdOn(controls, 'loans')).toEqual({ by: `control parameter ${PARAMETER}` });
  });

  it('pins to 0 and to maxTasks, the bounds included', () => {
    const controls = controlsOf(configured(), '{"pinnedTasks": {"loans": 0, "payments": 8}}');
    expect(holdOn(controls, 'loans')).toMatchObject({ pinnedTasks: 0 });
    expect(holdOn(controls, 'payments')).toMatchObject({ pinnedTasks: 8 });
  });

  it.each([
    ['not JSON', '{paused: true}', /is not valid JSON/],
    ['not an object', '[true]', /must be a JSON object like \{"paused": true\}/],
    ['null', 'null', /must be a JSON object/],
    ['an unknown field', '{"pause": true}', /"pause": not a field \(it takes paused, pinnedTasks and note\)/],
    ['paused as a string', '{"paused": "yes"}', /paused: must be true or false/],
    ['a note that is not text', '{"note": 42}', /note: must be a string/],
    ['pinnedTasks as a list', '{"pinnedTasks": [6]}', /pinnedTasks: must be an object of target name → task count/],
  ])('is refused when it is %s, naming the parameter and the field', (_case, value, problem) => {
    const text = problemOf(value);
    expect(text).toMatch(new RegExp(`^control parameter ${PARAMETER}: `));
    expect(text).toMatch(problem);
  });

  it.each([
    [
      'beyond maxTasks',
      '{"pinnedTasks": {"payments": 9}}',
      'payments',
      /pinnedTasks\.payments: must be a whole number from 0 to maxTasks \(8\), got 9$/,
    ],
    ['negative', '{"pinnedTasks": {"loans": -1}}', 'loans', /pinnedTasks\.loans: must be a whole number .* got -1$/],
    ['fractional', '{"pinnedTasks": {"loans": 2.5}}', 'loans', /pinnedTasks\.loans: must be a whole number .* got 2\.5$/],
    ['text', '{"pinnedTasks": {"loans": "6"}}', 'loans', /pinnedTasks\.loans: must be a whole number .* got "6"$/],
  ])('refuses a pin that is %s for its own target alone, naming the parameter and the field', (_case, value, name, problem) => {
    const controls = controlsOf(configured(), value);
    const refusal = controls.refused.get(name);
    expect(refusal).toMatch(new RegExp(`^control parameter ${PARAMETER}: `));
    expect(refusal).toMatch(problem);
    expect([...controls.refused.keys()]).toEqual([name]);
    expect(holdOn(controls, name)).toBeUndefined();
  });

  it('keeps the good pins and the pause beside a refused one', () => {
    const controls = controlsOf(configured(), '{"paused": true, "pinnedTasks": {"loans": 6, "payments": 99}}');
    expect(controls.pins.get('loans')).toMatchObject({ pinnedTasks: 6 });
    expect(controls.paused).toBeDefined();
    expect(controls.refused.has('payments')).toBe(true);
  });

  it('a refused pin in the parameter replaces the configured pin: the target is held, not pinned to the old count', () => {
    const controls = controlsOf(configured({}, [{ ...loans, pinnedTasks: 4 }, payments]), '{"pinnedTasks": {"loans": 25}}');
    expect(controls.refused.has('loans')).toBe(true);
    expect(controls.pins.has('loans')).toBe(false);
  });

  it('says a pin for a target that is not configured, with the nearest name, and holds nothing for it', () => {
    const controls = controlsOf(configured(), '{"pinnedTasks": {"lons": 6, "payments": 3}}');
    expect(controls.strays).toEqual([
      `control parameter ${PARAMETER}: pinnedTasks.lons: is not a configured target; did you mean loans?; it holds nothing`,
    ]);
    expect(controls.refused.size).toBe(0);
    expect(controls.pins.get('payments')).toMatchObject({ pinnedTasks: 3 });
  });

  it('cuts a long note, so one parameter cannot swell every result and log line', () => {
    const controls = controlsOf(configured(), JSON.stringify({ paused: true, note: 'x'.repeat(8_000) }));
    expect(controls.paused!.by.length).toBeLessThan(MAX_NOTE_CHARACTERS + 60);
    expect(controls.paused!.by).toMatch(/x…\)$/);
  });
});
