import { describe, expect, it } from 'vitest';
import type { Target } from '../../../src/config/targets.js';
import { resolvePolicy } from '../../../src/decision/index.js';
import { partitionSetKey } from '../../../src/lag/partition-set.js';
import { failedGroup } from '../../../src/lag/read-lag.js';
import type { GroupLag } from '../../../src/lag/types.js';
import { LoopStore } from '../../../src/tick/loop-store.js';
import { sampleHistory } from '../../../src/tick/sample-history.js';
import type { ObservedService } from '../../../src/tick/tick.js';

const target = (name: string): Target => ({
  name,
  group: `${name}-group`,
  allowNoCommits: false,
  cluster: 'prod',
  service: `${name}-worker`,
  overrides: {},
  policy: resolvePolicy(),
});

const lagOf = (group: string): GroupLag => ({
  group,
  status: 'ok',
  incomplete: false,
  totalLag: 800,
  maxPartitionLag: 200,
  partitionCount: 4,
  partitionsWithLag: 4,
  logEndSum: 2000,
  committedSum: 1200,
  partitions: [],
  missingTopics: [],
  warnings: [],
  readAt: Date.now(),
});

const active: ObservedService = { status: 'ACTIVE', desired: 2, running: 2, rollingOut: false };

function sampling(lag: (group: string) => GroupLag, service: () => Promise<ObservedService> = async () => active) {
  return {
    readLag: (requests: Array<{ group: string }>) => requests.map((r) => Promise.resolve(lag(r.group))),
    describeService: service,
    now: Date.now,
  };
}

describe('sampling a dry run without history', () => {
  it('keeps the first reading as a history entry without a decision, the window before it', async () => {
    const store = new LoopStore();
    const started = Date.now();
    const outcomes = await sampleHistory({ targets: [target('loans')], seconds: 0.3, deadline: started + 60_000 }, sampling(lagOf), store);

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(outcomes.get('loans')).toEqual({ ok: true, seconds: expect.closeTo(0.3, 1) });
    const entries = store.history('loans', Date.now() + 1, target('loans').policy);
    expect(entries).toEqual([
      {
        now: expect.any(Number),
        lag: {
          totalLag: 800,
          maxPartitionLag: 200,
          partitionCount: 4,
          partitionsWithLag: 4,
          logEndSum: 2000,
          committedSum: 1200,
          partial: false,
          partitions: [],
          partitionSet: partitionSetKey([]),
        },
        service: { desired: 2, running: 2 },
      },
    ]);
  });

  it('waits at most half the time left before the deadline', async () => {
    const started = Date.now();
    const outcomes = await sampleHistory(
      { targets: [target('loans')], seconds: 5, deadline: started + 600 },
      sampling(lagOf),
      new LoopStore(),
    );

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcomes.get('loans')).toEqual({ ok: true, seconds: expect.closeTo(0.3, 1) });
  });

  it('gives no entry for a reading the tick would not act on, and says why', async () => {
    const store = new LoopStore();
    const lag = (group: string) =>
      group === 'broken-group'
        ? failedGroup(group, { kind: 'request-failed', step: 'connect', message: 'connect: refused' }, Date.now())
        : lagOf(group);
    const service = (_cluster: string, name: string) =>
      name === 'gone-worker' ? Promise.reject(new Error('ECS DescribeServices failed')) : Promise.resolve(active);
    const outcomes = await sampleHistory(
      { targets: [target('broken'), target('gone'), target('loans')], seconds: 0, deadline: Date.now() + 60_000 },
      { ...sampling(lag), describeService: service },
      store,
    );

    expect(outcomes.get('broken')).toEqual({ ok: false, why: 'the first lag read failed: connect: refused' });
    expect(outcomes.get('gone')).toEqual({ ok: false, why: 'the first service read failed: ECS DescribeServices failed' });
    expect(outcomes.get('loans')).toMatchObject({ ok: true });
    expect(store.has('broken') || store.has('gone')).toBe(false);
  });
});
