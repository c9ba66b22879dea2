import { describe, expect, it } from 'vitest';
import { KafkaReadError, partitionKey, type KafkaOffsetsSource } from '../../../src/kafka/offsets-source.js';
import { readLag } from '../../../src/lag/read-lag.js';

/** A source over fixed offsets: topic "orders" with 2 partitions, log 0..10 each. */
function fakeSource(overrides: Partial<KafkaOffsetsSource> = {}): KafkaOffsetsSource {
  return {
    topicPartitions: async () => new Map([['orders', [0, 1]]]),
    logOffsets: async () => ({
      offsets: new Map([
        [partitionKey('orders', 0), { logStart: 0, logEnd: 10 }],
        [partitionKey('orders', 1), { logStart: 0, logEnd: 10 }],
      ]),
      failed: [],
    }),
    committedOffsets: async () => [
      { topic: 'orders', partition: 0, offset: 4 },
      { topic: 'orders', partition: 1, offset: 10 },
    ],
    close: async () => undefined,
    ...overrides,
  };
}
const options = { resetPolicy: 'latest' as const, concurrency: 2, now: () => 1_000 };

describe('readLag over any offsets source', () => {
  it('never throws: a failed metadata read fails every group with the typed error', async () => {
    const source = fakeSource({
      topicPartitions: async () => {
        throw new KafkaReadError({ kind: 'broker-unavailable', step: 'metadata', message: 'down' });
      },
    });
    const lags = await readLag(source, [{ group: 'a' }, { group: 'b' }], options);
    expect(lags.map((l) => [l.group, l.status, l.incomplete, l.error?.kind])).toEqual([
      ['a', 'failed', true, 'broker-unavailable'],
      ['b', 'failed', true, 'broker-unavailable'],
    ]);
  });

  it('isolates one group\'s failed OffsetFetch from the others', async () => {
    const source = fakeSource({
      committedOffsets: async (group) => {
        if (group === 'bad') throw new KafkaReadError({ kind: 'coordinator-unavailable', step: 'committed-offsets', message: 'moved' });
        return [{ topic: 'orders', partition: 0, offset: 4 }];
      },
    });
    const [good, bad] = await readLag(source, [{ group: 'good', topics: ['orders'] }, { group: 'bad', topics: ['orders'] }], options);
    expect(good).toMatchObject({ status: 'ok', totalLag: 6 });
    expect(bad).toMatchObject({ status: 'failed', error: { kind: 'coordinator-unavailable' } });
  });

  it('adds the group description when asked, and a failed description is only a warning', async () => {
    const described = await readLag(fakeSource({ describeGroup: async () => ({ state: 'Stable', members: 3 }) }), [{ group: 'g' }], { ...options, describeGroups: true });
    expect(described[0]).toMatchObject({ status: 'ok', totalLag: 6, description: { state: 'Stable', members: 3 } });

    const failing = await readLag(
      fakeSource({ describeGroup: async () => { throw new Error('boom'); } }),
      [{ group: 'g' }],
      { ...options, describeGroups: true },
    );
    expect(failing[0]).toMatchObject({ status: 'ok', totalLag: 6, warnings: ['DescribeGroups failed: boom'] });
  });

  it('ignores committed offsets on a deleted topic when no topics were named', async () => {
    const source = fakeSource({
      committedOffsets: async () => [
        { topic: 'orders', partition: 0, offset: 4 },
        { topic: 'gone', partition: 0, offset: 7 },
      ],
    });
    const [lag] = await readLag(source, [{ group: 'g' }], options);
    expect(lag).toMatchObject({ status: 'ok', incomplete: false, totalLag: 6 + 10 * 0 });
    expect(lag!.warnings[0]).toMatch(/gone has committed offsets but no longer exists/);
  });
});
