import { describe, expect, it } from 'vitest';
import {
  type KafkaOffsetsSource,
  KafkaReadError,
  type LeaderRead,
  partitionKey,
  type TopicPartitions,
  type TopicState,
} from '../../../src/lag/offsets-source.js';
import { readLag, readLagEach } from '../../../src/lag/read-lag.js';

const topicState = (partitions: number[], unavailable: Array<[number, string]> = []): TopicState => ({
  partitions,
  unavailable: new Map(unavailable),
});

/** Every asked partition's log is 0..10, all from one leader, answered at once. */
function logsFrom(topics: TopicPartitions[], delayMs = 0): LeaderRead {
  const offsets = new Map(
    topics.flatMap(({ topic, partitions }) => partitions.map((p) => [partitionKey(topic, p), { logStart: 0, logEnd: 10 }] as const)),
  );
  return { partitions: topics, result: new Promise((resolve) => setTimeout(() => resolve({ offsets, failed: [] }), delayMs)) };
}

/** A source over fixed offsets: topic "orders" with 2 partitions, log 0..10 each. */
function fakeSource(overrides: Partial<KafkaOffsetsSource> = {}): KafkaOffsetsSource {
  return {
    topicMetadata: async () => ({ topics: new Map([['orders', topicState([0, 1])]]), unreadable: new Map() }),
    logOffsets: (topics) => [logsFrom(topics)],
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
      topicMetadata: async () => {
        throw new KafkaReadError({ kind: 'broker-unavailable', step: 'metadata', message: 'down' });
      },
    });
    const lags = await readLag(source, [{ group: 'a' }, { group: 'b' }], options);
    expect(lags.map((l) => [l.group, l.status, l.incomplete, l.error?.kind])).toEqual([
      ['a', 'failed', true, 'broker-unavailable'],
      ['b', 'failed', true, 'broker-unavailable'],
    ]);
  });

  it("isolates one group's failed OffsetFetch from the others", async () => {
    const source = fakeSource({
      committedOffsets: async (group) => {
        if (group === 'bad') throw new KafkaReadError({ kind: 'coordinator-unavailable', step: 'committed-offsets', message: 'moved' });
        return [{ topic: 'orders', partition: 0, offset: 4 }];
      },
    });
    const [good, bad] = await readLag(
      source,
      [
        { group: 'good', topics: ['orders'] },
        { group: 'bad', topics: ['orders'] },
      ],
      options,
    );
    expect(good).toMatchObject({ status: 'ok', totalLag: 6 });
    expect(bad).toMatchObject({ status: 'failed', error: { kind: 'coordinator-unavailable' } });
  });

  it('adds the group description when asked, and a failed description is only a warning', async () => {
    const described = await readLag(fakeSource({ describeGroup: async () => ({ state: 'Stable', members: 3 }) }), [{ group: 'g' }], {
      ...options,
      describeGroups: true,
    });
    expect(described[0]).toMatchObject({ status: 'ok', totalLag: 6, description: { state: 'Stable', members: 3 } });

    const failing = await readLag(
      fakeSource({
        describeGroup: async () => {
          throw new Error('boom');
        },
      }),
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

  it('asks Metadata only for the topics the groups name, and for every topic when a group names none', async () => {
    const asked: Array<string[] | undefined> = [];
    const source = fakeSource({
      topicMetadata: async (topics) => (asked.push(topics), { topics: new Map([['orders', topicState([0, 1])]]), unreadable: new Map() }),
    });
    await readLag(
      source,
      [
        { group: 'a', topics: ['orders'] },
        { group: 'b', topics: ['orders'] },
      ],
      options,
    );
    await readLag(source, [{ group: 'a', topics: ['orders'] }, { group: 'b' }], options);
    expect(asked).toEqual([['orders'], undefined]);
  });

  it('confines a topic error and a leaderless partition to the groups that read them', async () => {
    const source = fakeSource({
      topicMetadata: async () => ({
        topics: new Map([
          ['orders', topicState([0, 1])],
          ['payments', topicState([0, 1], [[1, 'payments[1] has no leader (LEADER_NOT_AVAILABLE)']])],
        ]),
        unreadable: new Map([['audit', 'topic audit: TOPIC_AUTHORIZATION_FAILED']]),
      }),
      committedOffsets: async (_group, topics) =>
        (topics ?? []).flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition, offset: 4 }))),
    });
    const [orders, payments, audit] = await readLag(
      source,
      [
        { group: 'o', topics: ['orders'] },
        { group: 'p', topics: ['payments'] },
        { group: 'a', topics: ['audit', 'orders'] },
      ],
      options,
    );
    expect(orders).toMatchObject({ status: 'ok', incomplete: false, totalLag: 12 });
    expect(payments).toMatchObject({
      status: 'partial',
      incomplete: true,
      error: { kind: 'broker-unavailable', message: expect.stringMatching(/payments\[1\] has no leader/) },
    });
    expect(audit).toMatchObject({
      status: 'partial',
      incomplete: true,
      error: { message: expect.stringMatching(/TOPIC_AUTHORIZATION_FAILED/) },
    });
  });

  it('sends one log-offsets batch for every group that names its topics, alongside the OffsetFetches', async () => {
    const batches: TopicPartitions[][] = [];
    let fetched = 0;
    const source = fakeSource({
      logOffsets: (topics) => (batches.push(topics), expect(fetched).toBe(0), [logsFrom(topics)]),
      committedOffsets: async () => (await new Promise((r) => setTimeout(r, 5)), fetched++, [{ topic: 'orders', partition: 0, offset: 4 }]),
    });
    await readLag(
      source,
      [
        { group: 'a', topics: ['orders'] },
        { group: 'b', topics: ['orders'] },
        { group: 'c', topics: ['orders'] },
      ],
      options,
    );
    expect(batches).toEqual([[{ topic: 'orders', partitions: [0, 1] }]]);
  });

  it('lets each group finish on its own: a slow coordinator or leader fails only its groups at the deadline', async () => {
    const clock = 0;
    const source = fakeSource({
      topicMetadata: async () => ({
        topics: new Map([
          ['orders', topicState([0, 1])],
          ['slow-led', topicState([0])],
        ]),
        unreadable: new Map(),
      }),
      logOffsets: (topics) => topics.map((t) => logsFrom([t], t.topic === 'slow-led' ? 60_000 : 0)),
      committedOffsets: async (group, topics) => {
        if (group === 'slow-coordinator') await new Promise((r) => setTimeout(r, 60_000));
        return (topics ?? []).map(({ topic }) => ({ topic, partition: 0, offset: 4 }));
      },
    });
    const started = Date.now();
    const reads = readLagEach(
      source,
      [
        { group: 'healthy', topics: ['orders'] },
        { group: 'slow-coordinator', topics: ['orders'] },
        { group: 'slow-leader', topics: ['slow-led'] },
      ],
      { ...options, deadline: 200, now: () => clock + (Date.now() - started) },
    );
    const healthy = await reads[0]!;
    expect(healthy).toMatchObject({ status: 'ok', totalLag: 6 });
    const [slowCoordinator, slowLeader] = await Promise.all([reads[1]!, reads[2]!]);
    expect(slowCoordinator).toMatchObject({
      status: 'failed',
      error: { kind: 'deadline', step: 'committed-offsets', message: expect.stringMatching(/waiting for OffsetFetch/) },
    });
    expect(slowLeader).toMatchObject({ status: 'failed', error: { kind: 'deadline', step: 'log-offsets' } });
  });

  it('asks whether a group without any commit exists (DescribeGroups), even when descriptions are off, and only then', async () => {
    const described: string[] = [];
    const source = fakeSource({
      committedOffsets: async (group, topics) =>
        group === 'typo'
          ? (topics ?? []).flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition, offset: null })))
          : [{ topic: 'orders', partition: 0, offset: 4 }],
      describeGroup: async (group) => (described.push(group), { state: 'Dead', members: 0 }),
    });
    const [typo, real] = await readLag(
      source,
      [
        { group: 'typo', topics: ['orders'] },
        { group: 'real', topics: ['orders'] },
      ],
      options,
    );
    expect(typo).toMatchObject({ status: 'no-offsets', incomplete: false, description: { state: 'Dead', members: 0 } });
    expect(real!.description).toBeUndefined();
    expect(described).toEqual(['typo']);
  });
});
