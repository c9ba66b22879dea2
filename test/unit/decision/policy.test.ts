import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  historyWindowSeconds,
  POLICY_FIELD_NAMES,
  POLICY_FIELDS,
  policyEnvName,
  resolvePolicy,
} from '../../../src/decision/policy.js';
import { validatePolicy } from '../../../src/decision/validate-policy.js';
import { policy } from './scenario.js';

describe('policy fields', () => {
  it('name each environment variable SCALER_ + the field in UPPER_SNAKE', () => {
    expect(POLICY_FIELDS.minTasks.env).toBe('SCALER_MIN_TASKS');
    expect(POLICY_FIELDS.taskThroughput.env).toBe('SCALER_TASK_THROUGHPUT');
    expect(POLICY_FIELDS.targetTimeLagSeconds.env).toBe('SCALER_TARGET_TIME_LAG_SECONDS');
    for (const name of POLICY_FIELD_NAMES) expect(POLICY_FIELDS[name].env).toMatch(/^SCALER_[A-Z0-9_]+$/);
  });

  it('give every field a description and a default within its bounds', () => {
    for (const name of POLICY_FIELD_NAMES) {
      const spec = POLICY_FIELDS[name];
      expect(spec.description.length, name).toBeGreaterThan(10);
      expect(DEFAULT_POLICY[name], name).toBe(spec.default);
      if (typeof spec.default === 'number') {
        expect(spec.default, name).toBeGreaterThanOrEqual(spec.min!);
        expect(spec.default, name).toBeLessThanOrEqual(spec.max!);
      }
    }
  });

  it('include the issue’s fields', () => {
    for (const name of [
      'minTasks',
      'maxTasks',
      'lagPerTask',
      'taskThroughput',
      'targetUtilization',
      'targetTimeLagSeconds',
      'taskStartupSeconds',
      'rebalancePauseSeconds',
      'tolerance',
      'scaleDownStabilizationSeconds',
      'maxScaleUpStep',
      'maxScaleDownStep',
      'allowIdleConsumers',
      'scaleToZero',
      'activationLagThreshold',
      'healthWindowSeconds',
    ]) {
      expect(POLICY_FIELD_NAMES).toContain(name);
    }
  });

  it('put an underscore at every camelCase word boundary', () => {
    expect(policyEnvName('maxScaleUpStep')).toBe('SCALER_MAX_SCALE_UP_STEP');
  });
});

describe('validatePolicy', () => {
  it('accepts the defaults', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
  });

  it('names every bad field, with what is wrong', () => {
    const problems = validatePolicy(policy({ minTasks: 1.5, tolerance: -1, targetUtilization: NaN }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^minTasks: must be a whole number/);
    expect(problems[1]).toMatch(/^targetUtilization: must be a finite number/);
    expect(problems[2]).toMatch(/^tolerance: must be at least 0/);
  });

  it('reports a missing field and a wrongly typed boolean', () => {
    const { maxTasks: _dropped, ...rest } = DEFAULT_POLICY;
    expect(validatePolicy({ ...rest, scaleToZero: 'yes' })).toEqual([
      'maxTasks: must be a finite number, got undefined',
      'scaleToZero: must be true or false, got yes',
    ]);
  });

  it('reports minTasks above maxTasks', () => {
    expect(validatePolicy(policy({ minTasks: 10, maxTasks: 5 }))).toEqual(['minTasks: 10 is more than maxTasks (5)']);
  });

  it('rejects what is not an object', () => {
    expect(validatePolicy(null)).toEqual(['policy: must be an object']);
  });
});

describe('historyWindowSeconds', () => {
  it('is the longest window any rule looks at', () => {
    expect(historyWindowSeconds(policy({ healthWindowSeconds: 7200 }))).toBe(7200);
    expect(historyWindowSeconds(policy({ throughputLearningWindowSeconds: 9000 }))).toBe(9000);
  });
});

describe('resolvePolicy', () => {
  it('is the defaults when nothing is given', () => {
    expect(resolvePolicy()).toEqual(DEFAULT_POLICY);
  });

  it('lets knobs about time follow the objective when they are not given', () => {
    const policy = resolvePolicy({ maxTimeLagSeconds: 180 });
    expect(policy.targetTimeLagSeconds).toBe(90);
    expect(policy.backlogDrainSeconds).toBe(450);
    expect(policy.tolerance).toBe(DEFAULT_POLICY.tolerance);
  });

  it('keeps what any layer gives, whichever layer set the objective', () => {
    const policy = resolvePolicy({ backlogDrainSeconds: 120 }, { maxTimeLagSeconds: 300 });
    expect(policy.backlogDrainSeconds).toBe(120);
    expect(policy.targetTimeLagSeconds).toBe(150);
  });

  it('keeps the plain defaults without an objective', () => {
    const policy = resolvePolicy({ maxTimeLagSeconds: 0, tolerance: 0.2 });
    expect(policy.backlogDrainSeconds).toBe(DEFAULT_POLICY.backlogDrainSeconds);
    expect(policy.targetTimeLagSeconds).toBe(DEFAULT_POLICY.targetTimeLagSeconds);
  });

  it('stays within the field bounds for any objective', () => {
    const policy = resolvePolicy({ maxTimeLagSeconds: 86_400 });
    expect(validatePolicy(policy)).toEqual([]);
  });
});
