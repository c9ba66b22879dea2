import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../../../src/config/controller-config.js';
import { POLICY_FIELDS } from '../../../src/decision/index.js';

const loans = {
  name: 'loans',
  group: 'loan-approvals',
  topics: ['loan-events'],
  cluster: 'prod',
  service: 'loan-worker',
  minTasks: 2,
  maxTasks: 24,
};
const env = (overrides: Record<string, string | undefined> = {}) => ({
  KAFKA_BROKERS: 'b-1:9092',
  KAFKA_AUTH_MODE: 'none',
  SCALER_TARGETS: JSON.stringify([loans]),
  ...overrides,
});
const problemsOf = (e: Record<string, string | undefined>) => {
  const result = parseControllerConfig(e);
  return result.ok ? [] : result.problems;
};

describe('the controller configuration', () => {
  it('reads the README example with defaults for the rest', () => {
    const result = parseControllerConfig(env());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      dryRun: false,
      metricsNamespace: 'KafkaLagScaler',
      targetConcurrency: 5,
      periodSeconds: 60,
      publishMetrics: true,
      restoreHistory: true,
    });
    expect(result.config.targets[0]).toMatchObject({
      name: 'loans',
      group: 'loan-approvals',
      topics: ['loan-events'],
      cluster: 'prod',
      service: 'loan-worker',
    });
    expect(result.config.targets[0]!.policy).toMatchObject({ minTasks: 2, maxTasks: 24, tolerance: POLICY_FIELDS.tolerance.default });
  });

  it('takes target override over global variable over default', () => {
    const result = parseControllerConfig(env({ SCALER_MAX_TASKS: '40', SCALER_TOLERANCE: '0.2', SCALER_ALLOW_IDLE_CONSUMERS: 'true' }));
    expect(result.ok && result.config.targets[0]!.policy).toMatchObject({
      maxTasks: 24,
      tolerance: 0.2,
      allowIdleConsumers: true,
      minTasks: 2,
    });
  });

  it('has one environment variable per policy field', () => {
    for (const [field, spec] of Object.entries(POLICY_FIELDS)) {
      const value = spec.kind === 'boolean' ? 'true' : String(spec.max ?? 1);
      const withField = parseControllerConfig(
        env({
          SCALER_TARGETS: JSON.stringify([{ ...loans, minTasks: undefined, maxTasks: undefined }]),
          [spec.env]: value,
          ...(field === 'minTasks' ? { SCALER_MAX_TASKS: value } : {}),
        }),
      );
      expect(withField.ok, `${spec.env}=${value}: ${JSON.stringify(withField)}`).toBe(true);
      if (withField.ok)
        expect(withField.config.targets[0]!.policy[field as keyof typeof POLICY_FIELDS]).toBe(
          spec.kind === 'boolean' ? true : Number(value),
        );
    }
  });

  it.each([
    [{ SCALER_TARGETS: undefined }, 'SCALER_TARGETS: is required'],
    [{ SCALER_TARGETS: '{"name":' }, 'SCALER_TARGETS: is not valid JSON'],
    [{ SCALER_TARGETS: '{}' }, 'SCALER_TARGETS: must be a non-empty JSON array'],
    [{ SCALER_TARGETS: '[]' }, 'SCALER_TARGETS: must be a non-empty JSON array'],
    [{ SCALER_TARGETS: '[42]' }, 'SCALER_TARGETS[0]: must be an object'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, group: undefined }]) }, 'SCALER_TARGETS[0] (loans).group: is required'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, cluster: '' }]) }, 'SCALER_TARGETS[0] (loans).cluster: is required'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, service: 7 }]) }, 'SCALER_TARGETS[0] (loans).service: is required'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, name: 'loans approvals' }]) }, 'SCALER_TARGETS[0] (loans approvals).name: must be'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, topics: [] }]) }, 'SCALER_TARGETS[0] (loans).topics: must be a non-empty array'],
    [
      { SCALER_TARGETS: JSON.stringify([{ ...loans, maxTask: 3 }]) },
      'SCALER_TARGETS[0] (loans).maxTask: is not a target field or a policy setting',
    ],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, maxTasks: '24' }]) }, 'SCALER_TARGETS[0] (loans).maxTasks: must be a number'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, minTasks: 30 }]) }, 'SCALER_TARGETS[0] (loans).minTasks: 30 is more than maxTasks (24)'],
    [{ SCALER_TARGETS: JSON.stringify([{ ...loans, tolerance: 5 }]) }, 'SCALER_TARGETS[0] (loans).tolerance: must be at most'],
    [{ SCALER_TARGETS: JSON.stringify([loans, loans]) }, 'SCALER_TARGETS[1] (loans).name: "loans" is already used by SCALER_TARGETS[0]'],
    [
      { SCALER_TARGETS: JSON.stringify([loans, { ...loans, name: 'other', group: 'other-group' }]) },
      'SCALER_TARGETS[1] (other).service: prod/loan-worker is the service SCALER_TARGETS[0] already scales',
    ],
    [{ SCALER_MIN_TASKS: 'two' }, 'SCALER_MIN_TASKS: must be a number'],
    [{ SCALER_MAX_TASKS: '0' }, 'SCALER_MAX_TASKS: must be at least 1'],
    [{ SCALER_SCALE_TO_ZERO: 'sometimes' }, 'SCALER_SCALE_TO_ZERO: must be true or false'],
    [{ SCALER_DRY_RUN: 'maybe' }, 'SCALER_DRY_RUN: must be true or false'],
    [{ SCALER_TARGET_CONCURRENCY: '0' }, 'SCALER_TARGET_CONCURRENCY: must be at least 1'],
    [{ SCALER_PERIOD_SECONDS: '1' }, 'SCALER_PERIOD_SECONDS: must be at least 10'],
    [{ SCALER_PUBLISH_METRICS: 'off' }, 'SCALER_PUBLISH_METRICS: must be true or false'],
    [{ SCALER_RESTORE_HISTORY: 'off' }, 'SCALER_RESTORE_HISTORY: must be true or false'],
    [{ SCALER_METRICS_NAMESPACE: 'a:b' }, 'SCALER_METRICS_NAMESPACE: must be'],
    [{ KAFKA_BROKERS: undefined }, 'KAFKA_BROKERS: set KAFKA_BROKERS'],
  ])('refuses %j', (overrides, problem) => {
    expect(problemsOf(env(overrides))).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ SCALER_MAX_TASKS: 'x', SCALER_TARGETS: JSON.stringify([{ name: 'a' }]) });
    expect(problems.length).toBeGreaterThanOrEqual(5); // brokers, SCALER_MAX_TASKS, group, cluster, service
  });

  it('never throws: any environment gives a configuration or a list of named problems', () => {
    const variable = fc.constantFrom(
      'KAFKA_BROKERS',
      'MSK_CLUSTER_ARN',
      'KAFKA_AUTH_MODE',
      'SCALER_TARGETS',
      'SCALER_DRY_RUN',
      'SCALER_METRICS_NAMESPACE',
      ...Object.values(POLICY_FIELDS).map((f) => f.env),
    );
    const targetJson = fc.oneof(
      fc.json(),
      fc
        .array(
          fc.record(
            {
              name: fc.oneof(fc.string(), fc.constant('t')),
              group: fc.string(),
              cluster: fc.string(),
              service: fc.string(),
              minTasks: fc.oneof(fc.integer(), fc.string()),
              maxTasks: fc.double(),
            },
            { requiredKeys: [] },
          ),
        )
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(fc.dictionary(variable, fc.oneof(fc.string(), targetJson, fc.constantFrom('true', '0', '-1', '1e400', 'NaN'))), (e) => {
        const result = parseControllerConfig(e);
        if (result.ok) return result.config.targets.length > 0;
        // Each names its variable; past 50, the rest are counted.
        return (
          result.problems.length > 0 &&
          result.problems.every((p) => /^[A-Z_]+(\[\d+\])?[ .:(]/.test(p) || /^… and \d+ more problems$/.test(p))
        );
      }),
      { numRuns: 500 },
    );
  });
});
