import { describe, expect, it } from 'vitest';
import { CONTROLLER_TIMEOUT_SECONDS } from '../../../infra/lib/config/controller-environment.js';
import { parseControllerConfig } from '../../../src/config/controller-config.js';
import { tickBudget, worstCaseTickMs } from '../../../tools/docs/tick-budget.js';

const configWith = (env: Record<string, string> = {}) => {
  const parsed = parseControllerConfig({
    KAFKA_BROKERS: 'b-1:9092',
    KAFKA_AUTH_MODE: 'none',
    SCALER_TARGETS: JSON.stringify([{ name: 'loans', group: 'g', cluster: 'c', service: 's' }]),
    ...env,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.config;
};

describe('the time budget of a tick', () => {
  it('fits the deployed Lambda timeout with the default settings, every phase at its worst', () => {
    expect(worstCaseTickMs(configWith())).toBeLessThanOrEqual(CONTROLLER_TIMEOUT_SECONDS * 1000);
  });

  it('grows with the settings that bound each phase', () => {
    const slow = configWith({ KAFKA_REQUEST_TIMEOUT_MS: '10000', KAFKA_COORDINATOR_RETRIES: '3', SCALER_AWS_TIMEOUT_MS: '5000' });
    expect(worstCaseTickMs(slow)).toBeGreaterThan(CONTROLLER_TIMEOUT_SECONDS * 1000);
    const byPhase = (config: ReturnType<typeof configWith>) => Object.fromEntries(tickBudget(config).map((l) => [l.phase, l.worstCaseMs]));
    const [base, grown] = [byPhase(configWith()), byPhase(slow)];
    expect(Object.keys(grown).filter((phase) => grown[phase]! > base[phase]!)).toEqual([
      'Connection set-up (cold start, or after a failure): GetBootstrapBrokers and GetSecretValue, at once',
      'Metadata',
      'Each group: FindCoordinator and OffsetFetch (ListOffsets goes alongside)',
    ]);
  });
});
