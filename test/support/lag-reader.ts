import { type KafkaClientOptions, KafkaJsOffsetsSource } from '../../src/adapters/kafka/kafkajs-offsets-source.js';

/** A reader client with test-sized timeouts. */
export function offsetsSource(brokers: string[], overrides: Partial<KafkaClientOptions> = {}): KafkaJsOffsetsSource {
  return new KafkaJsOffsetsSource({
    brokers,
    clientId: 'kafka-lag-scaler-test',
    ssl: false,
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    coordinatorRetries: 2,
    ...overrides,
  });
}

/** Counts requests by API name. */
export function countRequests(source: KafkaJsOffsetsSource): Map<string, number> {
  const counts = new Map<string, number>();
  source.onRequest((api) => counts.set(api, (counts.get(api) ?? 0) + 1));
  return counts;
}
