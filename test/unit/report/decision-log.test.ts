import { describe, expect, it } from 'vitest';
import { decisionLogLine } from '../../../src/report/decision-log.js';
import { aScaleAction } from '../../support/decisions.js';

const decision = aScaleAction({
  lag: {
    total: 900,
    max: 80,
    status: 'ok',
    partitions: [],
    warnings: ['loan-events[3]: committed offset 12 is past the log end 5 (topic recreated?); lag counted as 0'],
    group: { state: 'Stable', members: 2 },
  },
});

describe('the decision log line', () => {
  it("carries every read that matters to an operator: warnings and the group's state included", () => {
    expect(decisionLogLine(decision, [])).toMatchObject({
      target: 'loans',
      ecsCluster: 'prod',
      ecsService: 'loan-worker',
      reason: 'scale-up',
      desired: 4,
      inControl: true,
      failed: false,
      lagTotal: 900,
      lagWarnings: [expect.stringMatching(/past the log end/)],
      groupState: 'Stable',
      groupMembers: 2,
    });
  });

  it('leaves out what was not read', () => {
    const line = decisionLogLine({ ...decision, lag: null, inControl: false }, [{ target: 'loans', step: 'lag', message: 'down' }]);
    expect(line).toMatchObject({ failed: true, lagTotal: undefined, lagWarnings: undefined, groupState: undefined });
  });
});
