import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaJsOffsetsSource } from '../../src/adapters/kafka/kafkajs-offsets-source.js';
import { readLag } from '../../src/lag/read-lag.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { commitAsConsumer, produce, uniqueName } from '../support/kafka.js';
import { countRequests, offsetsSource } from '../support/lag-reader.js';

let kafka: EmbeddedKafka;
let source: KafkaJsOffsetsSource;
const read = (groups: Parameters<typeof readLag>[1], resetPolicy: 'latest' | 'earliest' = 'latest') =>
  readLag(source, groups, { resetPolicy, concurrency: 8 });

async function topicWith(counts: number[], valueBytes?: number): Promise<string> {
  const topic = uniqueName('orders');
  await kafka.createTopic(topic, counts.length);
  await produce(kafka.bootstrapServers, topic, counts, valueBytes);
  return topic;
}

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3 });
  source = offsetsSource(kafka.bootstrapServers);
});
afterAll(async () => {
  await source.close();
  await kafka.stop();
});

describe("reading a consumer group's lag from a real Kafka protocol broker", () => {
  it('equals the ground truth after a real consumer commits known offsets', async () => {
    const topic = await topicWith([5, 6, 7, 0]);
    const group = uniqueName('loans');
    await commitAsConsumer(kafka.bootstrapServers, group, topic, { 0: 2, 1: 6, 3: 0 });

    const [lag] = await read([{ group, topics: [topic] }], 'earliest');

    expect(lag).toMatchObject({ group, status: 'ok', incomplete: false, totalLag: 3 + 0 + 7 + 0, maxPartitionLag: 7 });
    expect(lag!.partitions.map((p) => [p.partition, p.logStart, p.logEnd, p.committed, p.lag])).toEqual([
      [0, 0, 5, 2, 3],
      [1, 0, 6, 6, 0],
      [2, 0, 7, null, 7], // no commit, earliest: everything in the log
      [3, 0, 0, 0, 0],
    ]);
    expect(lag).toMatchObject({ partitionCount: 4, partitionsWithLag: 2, logEndSum: 18, committedSum: 8 });
  });

  it('covers several topics, and with no topics named every topic the group committed on', async () => {
    const a = await topicWith([10, 10]);
    const b = await topicWith([4]);
    await topicWith([99]); // not the group's
    const group = uniqueName('payments');
    await kafka.commitOffsets(group, [
      { topic: a, partition: 0, offset: 7 },
      { topic: a, partition: 1, offset: 10 },
      { topic: b, partition: 0, offset: 1 },
    ]);

    const [named, discovered] = await read([{ group, topics: [a, b] }, { group }]);

    for (const lag of [named!, discovered!]) {
      expect(lag.status).toBe('ok');
      expect(lag.totalLag).toBe(3 + 0 + 3);
      expect(new Set(lag.partitions.map((p) => p.topic))).toEqual(new Set([a, b]));
    }
  });

  it('reports a group with no commits as such, with lag per the reset policy', async () => {
    const topic = await topicWith([3, 4]);
    const group = uniqueName('new-service');

    const [latest] = await read([{ group, topics: [topic] }], 'latest');
    const [earliest] = await read([{ group, topics: [topic] }], 'earliest');
    const [unnamed] = await read([{ group }], 'earliest');

    expect(latest).toMatchObject({ status: 'no-offsets', incomplete: false, totalLag: 0 });
    expect(earliest).toMatchObject({ status: 'no-offsets', incomplete: false, totalLag: 7 });
    // With no topic named there is nothing to count: unusable, never a silent zero.
    expect(unnamed).toMatchObject({ status: 'no-offsets', incomplete: true, partitionCount: 0 });
  });

  it('counts from the log start when retention deleted what the group had not read', async () => {
    const topic = await topicWith([6]);
    const group = uniqueName('slow');
    await kafka.commitOffsets(group, [{ topic, partition: 0, offset: 3 }]);
    // The mock keeps about 5 MB per partition; writing 8 MB more makes it delete the oldest segments.
    await produce(kafka.bootstrapServers, topic, [16], 500_000);

    const [lag] = await read([{ group, topics: [topic] }]);

    const p = lag!.partitions[0]!;
    expect(p.logStart).toBeGreaterThan(3);
    expect(p.lag).toBe(p.logEnd - p.logStart);
    expect(lag!.totalLag).toBeLessThan(22 - 3);
  });

  it('counts 0 and flags a committed offset past the log end (topic recreated)', async () => {
    const topic = await topicWith([5]);
    const group = uniqueName('recreated');
    await kafka.commitOffsets(group, [{ topic, partition: 0, offset: 500 }]);

    const [lag] = await read([{ group, topics: [topic] }]);

    expect(lag).toMatchObject({ status: 'ok', totalLag: 0 });
    expect(lag!.partitions[0]).toMatchObject({ committed: 500, lag: 0, committedAheadOfLogEnd: true });
    expect(lag!.warnings.join()).toMatch(/past the log end/);
  });

  it('reports a named topic that does not exist instead of counting it as zero', async () => {
    const topic = await topicWith([5]);
    const group = uniqueName('typo');
    await kafka.commitOffsets(group, [{ topic, partition: 0, offset: 1 }]);

    const [lag] = await read([{ group, topics: [topic, 'no-such-topic'] }]);

    expect(lag).toMatchObject({ status: 'unknown-topic', incomplete: true, missingTopics: ['no-such-topic'] });
    expect(lag!.totalLag).toBe(4); // what could be read is still shown
  });

  it('works without DescribeGroups where the broker lacks it (the mock does), asking only once', async () => {
    const topic = await topicWith([5]);
    const group = uniqueName('described');
    await kafka.commitOffsets(group, [{ topic, partition: 0, offset: 1 }]);
    const requests = countRequests(source);

    const [first] = await readLag(source, [{ group, topics: [topic] }], { resetPolicy: 'latest', concurrency: 1, describeGroups: true });
    const [second] = await readLag(source, [{ group, topics: [topic] }], { resetPolicy: 'latest', concurrency: 1, describeGroups: true });

    for (const lag of [first!, second!]) {
      expect(lag).toMatchObject({ status: 'ok', totalLag: 4, warnings: [] });
      expect(lag.description).toBeUndefined();
    }
    expect(requests.get('DescribeGroups')).toBeUndefined();
  });

  it('reads many groups at once with one metadata read, one OffsetFetch per group and ListOffsets per leader', async () => {
    const topics = await Promise.all([topicWith([5, 5, 5, 5, 5, 5]), topicWith([9, 9, 9])]);
    const groups = Array.from({ length: 40 }, (_, i) => ({ group: uniqueName(`g${i}`), topics, committedAt: i % 5 }));
    for (const { group, committedAt } of groups) {
      await kafka.commitOffsets(
        group,
        topics.flatMap((topic, t) =>
          Array.from({ length: t === 0 ? 6 : 3 }, (_, partition) => ({ topic, partition, offset: committedAt })),
        ),
      );
    }
    const fresh = offsetsSource(kafka.bootstrapServers);
    const requests = countRequests(fresh);
    try {
      const first = await readLag(fresh, groups, { resetPolicy: 'latest', concurrency: 10 });
      groups.forEach(({ committedAt }, i) => {
        expect(first[i]!.status).toBe('ok');
        expect(first[i]!.totalLag).toBe(6 * (5 - committedAt) + 3 * (9 - committedAt));
      });
      const coordinatorLookups = requests.get('GroupCoordinator') ?? requests.get('FindCoordinator') ?? 0;
      requests.clear();

      await readLag(fresh, groups, { resetPolicy: 'latest', concurrency: 10 });

      expect(requests.get('Metadata')).toBe(1);
      expect(requests.get('OffsetFetch')).toBe(groups.length);
      expect(requests.get('ListOffsets')).toBeLessThanOrEqual(2 * 3);
      expect(coordinatorLookups).toBeGreaterThan(0);
      expect((requests.get('GroupCoordinator') ?? 0) + (requests.get('FindCoordinator') ?? 0)).toBe(0); // cached
    } finally {
      await fresh.close();
    }
  });
});
