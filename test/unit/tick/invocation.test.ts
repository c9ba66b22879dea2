import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../../src/tick/invocation.js';

describe('what invoked the controller', () => {
  it("reads an EventBridge rule's scheduled event", () => {
    const event = {
      version: '0',
      id: 'x',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-11-25T12:00:00Z',
      resources: [],
      detail: {},
    };
    expect(parseInvocation(event)).toEqual({ ok: true, invocation: { kind: 'scheduled', scheduledAt: Date.UTC(2026, 10, 25, 12) } });
  });

  it("reads EventBridge Scheduler's input", () => {
    expect(parseInvocation({ scheduledTime: '2026-11-25T12:01:00Z' })).toEqual({
      ok: true,
      invocation: { kind: 'scheduled', scheduledAt: Date.UTC(2026, 10, 25, 12, 1) },
    });
  });

  it('reads a dry run with targets and overrides', () => {
    expect(parseInvocation({ dryRun: true, targets: ['loans'], overrides: { maxTasks: 12, scaleToZero: true } })).toEqual({
      ok: true,
      invocation: { kind: 'manual', dryRun: true, targets: ['loans'], overrides: { maxTasks: 12, scaleToZero: true } },
    });
  });

  it.each([
    ['an empty payload', {}],
    ['no payload at all', null],
    ['targets alone', { targets: ['loans'] }],
    ['overrides without dryRun', { overrides: { maxTasks: 12 } }],
  ])('takes %s as a dry run: a hand-run acts only with "dryRun": false', (_, event) => {
    expect(parseInvocation(event)).toMatchObject({ ok: true, invocation: { kind: 'manual', dryRun: true } });
  });

  it('acts only when the payload says "dryRun": false', () => {
    expect(parseInvocation({ dryRun: false, targets: ['loans'] })).toEqual({
      ok: true,
      invocation: { kind: 'manual', dryRun: false, targets: ['loans'] },
    });
  });

  it('takes the sampling window of a dry run without history', () => {
    expect(parseInvocation({ sampleSeconds: 2 })).toEqual({ ok: true, invocation: { kind: 'manual', dryRun: true, sampleSeconds: 2 } });
  });

  it.each([
    [{ dryRun: false, overrides: { maxTasks: 12 } }, 'payload.overrides: are only accepted in a dry run, not with "dryRun": false'],
    [{ sampleSeconds: 31 }, 'payload.sampleSeconds: must be a whole number of seconds from 0 (do not sample) to 30'],
    [{ sampleSeconds: '5' }, 'payload.sampleSeconds: must be a whole number'],
    [{ dryRun: false, sampleSeconds: 5 }, 'payload.sampleSeconds: is only used by a dry run'],
    [{ dryRun: true, overrides: { maxTask: 12 } }, 'payload.overrides.maxTask: is not a policy setting'],
    [{ dryRun: true, overrides: { maxTasks: '12' } }, 'payload.overrides.maxTasks: must be a number'],
    [{ dryRun: true, overrides: [1] }, 'payload.overrides: must be an object'],
    [{ dryRun: 'yes' }, 'payload.dryRun: must be true or false'],
    [{ targets: 'loans' }, 'payload.targets: must be a non-empty array of target names'],
    [{ targets: [] }, 'payload.targets: must be a non-empty array of target names'],
    [{ targets: [''] }, 'payload.targets.0: must be a target name'],
    [
      { dryrun: true },
      'payload.dryrun: is not a field (the payload takes dryRun, targets, overrides and sampleSeconds); did you mean dryRun?',
    ],
    ['tick', 'payload: must be a JSON object'],
    [{ scheduledTime: 'yesterday' }, 'payload.scheduledTime: is not a field'],
  ])('refuses %j naming the field', (event, problem) => {
    const result = parseInvocation(event);
    expect(result.ok ? [] : result.problems).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });

  it('never throws: every payload is an invocation or named problems', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ dryRun: fc.anything(), targets: fc.anything(), overrides: fc.anything() }, { requiredKeys: [] }),
        ),
        (event) => {
          const result = parseInvocation(event);
          return result.ok || (result.problems.length > 0 && result.problems.every((p) => p.startsWith('payload')));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
