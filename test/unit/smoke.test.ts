import { describe, expect, it } from 'vitest';

describe('test runtime', () => {
  it('runs on Node.js 22, the Lambda runtime', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
  });
});
