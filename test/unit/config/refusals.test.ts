/**
 * What operators really get wrong, refused with a problem that names the mistake, and nothing runs:
 * misspelt variables, duplicates, prototype keys, non-decimal numbers, oversized input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../../../src/config/controller-config.js';
import { QUOTE_MAX, quote } from '../../../src/config/problem-text.js';
import { MAX_PAYLOAD_BYTES, parseInvocation } from '../../../src/tick/invocation.js';

const base = { KAFKA_BROKERS: 'b-1:9092', KAFKA_AUTH_MODE: 'none' };
const loans = { name: 'loans', group: 'loan-approvals', topics: ['loan-events'], cluster: 'prod', service: 'loan-worker' };
const problemsOf = (env: Record<string, string>) => {
  const result = parseControllerConfig({ ...base, ...env });
  return result.ok ? [] : result.problems;
};
const withTargets = (targets: unknown[], env: Record<string, string> = {}) =>
  problemsOf({ SCALER_TARGETS: JSON.stringify(targets), ...env });
/** A cadence setting as parsed with `env` on a valid base, or the problems when it is refused. */
const settingOrProblems = (name: 'surgeTickSeconds' | 'confirmSeconds', env: Record<string, string>): number | string[] => {
  const config = parseControllerConfig({ ...base, SCALER_TARGETS: JSON.stringify([loans]), ...env });
  return config.ok ? config.config[name] : config.problems;
};

describe('refused configurations', () => {
  it.each([
    [{ SCALER_MAX_TASK: '5' }, 'SCALER_MAX_TASK: is not a setting of kafka-lag-scaler; did you mean SCALER_MAX_TASKS?'],
    [
      { SCALER_TASKS_THROUGHPUT: '100' },
      'SCALER_TASKS_THROUGHPUT: is not a setting of kafka-lag-scaler; did you mean SCALER_TASK_THROUGHPUT?',
    ],
    [{ KAFKA_BROKER: 'b-1:9092' }, 'KAFKA_BROKER: is not a setting of kafka-lag-scaler; did you mean KAFKA_BROKERS?'],
    [{ SCALER_MAX_TASKS: '0x10' }, 'SCALER_MAX_TASKS: must be a number in decimal digits, got "0x10"'],
    [{ KAFKA_REQUEST_TIMEOUT_MS: '1e3' }, 'KAFKA_REQUEST_TIMEOUT_MS: must be a whole number in decimal digits, got "1e3"'],
  ])('%j', (env, problem) => {
    expect(withTargets([loans], env)).toContain(problem);
  });

  it('takes the tick as the period unless told, and refuses a tick that does not divide it', () => {
    const config = parseControllerConfig({ ...base, SCALER_TARGETS: JSON.stringify([loans]), SCALER_PERIOD_SECONDS: '10' });
    expect(config.ok && config.config.tickSeconds).toBe(10);
    expect(withTargets([loans], { SCALER_TICK_SECONDS: '7' })).toEqual([
      'SCALER_TICK_SECONDS: must divide SCALER_PERIOD_SECONDS (60), got 7',
    ]);
    expect(withTargets([loans], { SCALER_TICK_SECONDS: '10' })).toEqual([]);
  });

  it('ticks every 10 s while surging by default where that fits the period, and refuses a surge tick that does not fit', () => {
    const surge = (env: Record<string, string>) => settingOrProblems('surgeTickSeconds', env);
    expect(surge({})).toBe(10);
    expect(surge({ SCALER_PERIOD_SECONDS: '10' })).toBe(0);
    expect(surge({ SCALER_SURGE_TICK_SECONDS: '0' })).toBe(0);
    expect(surge({ SCALER_SURGE_TICK_SECONDS: '7' })).toEqual([
      'SCALER_SURGE_TICK_SECONDS: must be 0 or divide SCALER_PERIOD_SECONDS (60) into several ticks, got 7',
    ]);
  });

  it('confirms a scale-up 5 s later by default where that fits, and refuses a confirmation too short or too long for the ticks', () => {
    const confirm = (env: Record<string, string>) => settingOrProblems('confirmSeconds', env);
    expect(confirm({})).toBe(5);
    // 5 s ticks leave no room for 5 s more: off unless asked for.
    expect(confirm({ SCALER_TICK_SECONDS: '5' })).toBe(0);
    // Ticks below the period have no surge ticks: the tick itself is the shortest.
    expect(confirm({ SCALER_TICK_SECONDS: '20', SCALER_SURGE_TICK_SECONDS: '5', SCALER_CONFIRM_SECONDS: '10' })).toBe(10);
    expect(confirm({ SCALER_CONFIRM_SECONDS: '1' })).toEqual([
      'SCALER_CONFIRM_SECONDS: must be 0, or from 2 up to half of the shortest tick (10 s), got 1',
    ]);
    expect(confirm({ SCALER_CONFIRM_SECONDS: '6' })).toEqual([
      'SCALER_CONFIRM_SECONDS: must be 0, or from 2 up to half of the shortest tick (10 s), got 6',
    ]);
  });

  it('leaves variables of other software alone', () => {
    expect(withTargets([loans], { SCALERX: '1', AWS_REGION: 'eu-west-1', NODE_OPTIONS: '--enable-source-maps' })).toEqual([]);
  });

  it('refuses a topic named twice: it would double the lag, the partition count and the task cap', () => {
    expect(withTargets([{ ...loans, topics: ['ev', 'ev'] }])).toEqual(['SCALER_TARGETS[0] (loans).topics: names "ev" more than once']);
  });

  it('refuses two targets on one service, by name or by ARN', () => {
    const byArn = { ...loans, name: 'loans-2', group: 'other', cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod' };
    expect(withTargets([loans, byArn])).toEqual([
      'SCALER_TARGETS[1] (loans-2).service: arn:aws:ecs:eu-west-1:123456789012:cluster/prod/loan-worker is the service SCALER_TARGETS[0] already scales',
    ]);
    const serviceArn = { ...byArn, cluster: 'prod', service: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/loan-worker' };
    expect(withTargets([loans, serviceArn])).toHaveLength(1);
  });

  it('cuts a long service name in that refusal with an ellipsis, never mid-quote', () => {
    const long = { ...loans, service: `loan-worker-${'x'.repeat(80)}` };
    const [problem] = withTargets([long, { ...long, name: 'loans-2', group: 'other' }]);
    expect(problem).toMatch(
      /^SCALER_TARGETS\[1\] \(loans-2\)\.service: prod\/loan-worker-x+… is the service SCALER_TARGETS\[0\] already scales$/,
    );
  });

  it('refuses two targets sizing for the same lag (one group, shared topics), and allows one group on other topics', () => {
    const twin = { ...loans, name: 'twin', service: 'twin-worker' };
    expect(withTargets([loans, twin])).toEqual([
      'SCALER_TARGETS[1] (twin).group: "loan-approvals" on the same topics is already the lag of SCALER_TARGETS[0]',
    ]);
    expect(withTargets([loans, { ...twin, topics: ['audit-events'] }])).toEqual([]);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('refuses the prototype key %s in a target', (key) => {
    const target = JSON.parse(`{"name":"loans","group":"g","cluster":"c","service":"s","${key}":1}`);
    expect(withTargets([target])).toEqual([
      expect.stringMatching(new RegExp(`^SCALER_TARGETS\\[0\\] \\(loans\\)\\.${key.replace(/_/g, '_')}: is not a target field`)),
    ]);
  });

  it('says each mistake once, and quotes at most a bounded excerpt without control characters', () => {
    const name = `evil\u001b[2J${'x'.repeat(10_000)}`;
    const problems = withTargets([{ ...loans, name, maxTasks: 'lots' }]);
    expect(problems.every((p) => p.length < 1_000)).toBe(true);
    expect(problems.join('\n')).not.toMatch(/\u001b/);
    expect(quote(name)).toMatch(/…" \(10008 characters\)$/);
  });
});

describe('refused payloads', () => {
  it('refuses a payload over the size limit before looking into it', () => {
    const huge = { dryRun: true, targets: Array.from({ length: 100_000 }, () => 'no-such-target-name') };
    const parsed = parseInvocation(huge);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      expect.stringMatching(new RegExp(`^payload: is \\d+ bytes; at most ${MAX_PAYLOAD_BYTES} are accepted$`)),
    ]);
  });

  it.each(['1', '2026-12-01', '12/01/2026 10:00', 'Tue, 01 Dec 2026 10:00:00 GMT'])(
    'refuses a scheduledTime that is not an ISO 8601 timestamp: %s',
    (time) => {
      const parsed = parseInvocation({ scheduledTime: time });
      expect(parsed.ok).toBe(false);
    },
  );

  it("accepts the scheduler's own timestamps", () => {
    expect(parseInvocation({ scheduledTime: '2026-12-01T10:00:00Z' })).toMatchObject({ ok: true, invocation: { kind: 'scheduled' } });
    expect(parseInvocation({ scheduledTime: '2026-12-01T10:00:00.123+01:00' })).toMatchObject({ ok: true });
  });

  it.each(['constructor', 'toString', '__proto__'])('refuses the prototype key %s as an override', (key) => {
    const parsed = parseInvocation(JSON.parse(`{"dryRun":true,"overrides":{"${key}":1}}`));
    expect(parsed.ok ? [] : parsed.problems).toEqual([`payload.overrides.${key}: is not a policy setting`]);
  });
});

describe('laws of the configuration parser', () => {
  const key = fc.constantFrom(
    'name',
    'group',
    'topics',
    'cluster',
    'service',
    'maxTasks',
    'minTasks',
    '__proto__',
    'constructor',
    'toString',
    'valueOf',
  );
  const value = fc.oneof(
    fc.string({ maxLength: 3_000 }),
    fc.integer(),
    fc.array(fc.constantFrom('a', 'b', 'a')),
    fc.constantFrom('0x10', '1e3', ' 7', '7'),
  );
  const targets = fc.array(fc.dictionary(key, value, { maxKeys: 8 }), { maxLength: 6 });
  const numberText = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('0x10', '0o7', '0b1', '1e2', '+5', ' 5', '5 ', '5', '12', '-3', '1.5', 'Infinity'),
  );

  it('never accepts a duplicate topic, a prototype key, or a non-decimal number; every problem stays short', () => {
    fc.assert(
      fc.property(targets, numberText, (list, maxTasks) => {
        const raw = JSON.stringify(list);
        const result = parseControllerConfig({ ...base, SCALER_TARGETS: raw, SCALER_MAX_TASKS: maxTasks });
        if (result.ok) {
          for (const target of result.config.targets) {
            expect(new Set(target.topics ?? []).size).toBe((target.topics ?? []).length);
          }
          for (const entry of JSON.parse(raw) as Array<Record<string, unknown>>) {
            for (const bad of ['__proto__', 'constructor', 'toString', 'valueOf']) expect(Object.hasOwn(entry, bad)).toBe(false);
          }
          if (maxTasks.trim() !== '') expect(maxTasks.trim()).toMatch(/^-?\d+(\.\d+)?$/);
        } else {
          expect(result.problems.length).toBeLessThanOrEqual(51);
          for (const problem of result.problems) expect(problem.length).toBeLessThan(4 * QUOTE_MAX + 400);
        }
      }),
      { numRuns: 300 },
    );
  });
});
