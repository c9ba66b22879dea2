import { describe, expect, it } from 'vitest';
import { type FieldSpec, OverrideError, parseOverrides } from '../../../tools/simulator/overrides.js';

const fields: Record<string, FieldSpec> = {
  taskThroughput: { kind: 'number', min: 0 },
  maxTasks: { kind: 'integer', min: 1, max: 100 },
  scaleToZero: { kind: 'boolean' },
};

describe('--policy key=value,... overrides', () => {
  it('parses numbers and booleans', () => {
    expect(parseOverrides('taskThroughput=100, maxTasks=48,scaleToZero=true', fields)).toEqual({
      taskThroughput: 100,
      maxTasks: 48,
      scaleToZero: true,
    });
    expect(parseOverrides('', fields)).toEqual({});
  });

  it.each([
    ['taskThroghput=100', /unknown setting "taskThroghput"; known: taskThroughput, maxTasks, scaleToZero/],
    ['toString=1', /unknown setting "toString"/],
    ['taskThroughput', /"taskThroughput": expected key=value/],
    ['taskThroughput=fast', /taskThroughput: expected a number, got "fast"/],
    ['taskThroughput=', /taskThroughput: expected a number, got ""/],
    ['maxTasks=4.5', /maxTasks: expected a whole number, got "4.5"/],
    ['maxTasks=0', /maxTasks: must be at least 1, got 0/],
    ['maxTasks=101', /maxTasks: must be at most 100, got 101/],
    ['scaleToZero=yes', /scaleToZero: expected true or false, got "yes"/],
  ])('rejects %s, naming the key', (text, message) => {
    expect(() => parseOverrides(text, fields)).toThrow(OverrideError);
    expect(() => parseOverrides(text, fields)).toThrow(message);
  });
});
