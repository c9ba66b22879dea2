import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KafkaJsOffsetsSource } from '../../src/adapters/kafka/kafkajs-offsets-source.js';
import { readLag } from '../../src/lag/read-lag.js';
import { ApiKey, type EmbeddedKafka, KafkaErrorCode, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { produce, uniqueName } from '../support/kafka.js';
import { countRequests, offsetsSource } from '../support/lag-reader.js';

/** Each fault test gets its own cluster: faults must not leak into other tests. */
let kafka: EmbeddedKafka;
let source: KafkaJsOffsetsSource;
let topic: string;
let group: string;
const TRUE_LAG = 6 * 10 - 6 * 4;

beforeEach(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3 });
  topic = uniqueName('payments');
  group = uniqueName('payment-workers');
  await kafka.createTopic(topic, 6);
  await produce(kafka.bootstrapServers, topic, [10, 10, 10, 10, 10, 10]);
  await kafka.commitOffsets(
    group,
    Array.from({ length: 6 }, (_, partition) => ({ topic, partition, offset: 4 })),
  );
  source = offsetsSource(kafka.bootstrapServers, { requestTimeoutMs: 1_000, connectTimeoutMs: 500 });
});
afterEach(async () => {
  await source.close();
  await kafka.stop();
});

const read = () => readLag(source, [{ group, topics: [topic] }], { resetPolicy: 'latest', concurrency: 4 });

describe('reading lag when Kafka misbehaves: a clear per-group error or a bounded retry, never a wrong number', () => {
  it('reports every group failed, quickly, when all brokers are down', async () => {
    await kafka.brokerDown(-1);
    const started = Date.now();

    const [lag] = await read();

    expect(lag).toMatchObject({ status: 'failed', incomplete: true });
    expect(lag!.error, JSON.stringify(lag!.error)).toMatchObject({ kind: 'broker-unavailable' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('marks the read partial, not low, when the leader of some partitions is down', async () => {
    await kafka.setGroupCoordinator(group, 1);
    await kafka.setLeader(topic, 0, 2);
    await kafka.setLeader(topic, 1, 2);
    expect((await read())[0]!.totalLag).toBe(TRUE_LAG);
    await kafka.brokerDown(2);

    const [lag] = await read();

    expect(lag!.status).toBe('partial');
    expect(lag!.incomplete).toBe(true);
    expect(lag!.error?.kind).toBe('broker-unavailable');
  });

  it('recovers once the broker is back', async () => {
    await kafka.brokerDown(-1);
    expect((await read())[0]!.status).toBe('failed');
    await kafka.brokerUp(-1);

    const [lag] = await read();

    expect(lag).toMatchObject({ status: 'ok', totalLag: TRUE_LAG });
  });

  it('retries a moved coordinator a bounded number of times and then reads correctly', async () => {
    await read(); // coordinator now cached
    const requests = countRequests(source);
    await kafka.failRequests(ApiKey.OffsetFetch, KafkaErrorCode.NotCoordinator, 1);

    const [lag] = await read();

    expect(lag).toMatchObject({ status: 'ok', totalLag: TRUE_LAG });
    expect(requests.get('OffsetFetch')).toBe(2);
  });

  it('gives up with a coordinator error when the coordinator stays unavailable', async () => {
    await kafka.failRequests(ApiKey.OffsetFetch, KafkaErrorCode.CoordinatorNotAvailable, 20);

    const [lag] = await read();

    expect(lag).toMatchObject({ status: 'failed', incomplete: true });
    expect(lag!.error).toMatchObject({ kind: 'coordinator-unavailable', step: 'committed-offsets' });
    await kafka.clearFailures(ApiKey.OffsetFetch);
  });

  it('marks the read partial when ListOffsets fails', async () => {
    await kafka.failRequests(ApiKey.ListOffsets, KafkaErrorCode.UnknownServerError, 6);

    const [lag] = await read();

    expect(lag).toMatchObject({ status: 'partial', incomplete: true });
    expect(lag!.error?.step).toBe('log-offsets');
    await kafka.clearFailures(ApiKey.ListOffsets);
  });

  it('times out a slow broker within the configured request timeout', async () => {
    await read();
    await kafka.setLatency(-1, 3_000);
    const started = Date.now();

    const [lag] = await read();

    expect(lag!.incomplete).toBe(true);
    expect(lag!.error?.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
