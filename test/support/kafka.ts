/**
 * Seeding real Kafka state for tests: KafkaJS producers write known message counts, KafkaJS
 * consumers join a group and commit known offsets, exactly as a service's consumers would.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ brokers, clientId: 'test-seeder', logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

/** Produces `counts[p]` messages to partition p of `topic` (optionally with a payload size). */
export async function produce(brokers: string[], topic: string, counts: number[], valueBytes = 8): Promise<void> {
  const producer = kafkaClient(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const value = 'x'.repeat(valueBytes);
    await producer.sendBatch({
      topicMessages: [
        { topic, messages: counts.flatMap((count, partition) => Array.from({ length: count }, () => ({ partition, value }))) },
      ],
    });
  } finally {
    await producer.disconnect();
  }
}

/** A real consumer joins `group` on `topic`, commits the given offsets (partition → offset), and leaves. */
export async function commitAsConsumer(brokers: string[], group: string, topic: string, offsets: Record<number, number>): Promise<void> {
  const consumer = kafkaClient(brokers).consumer({ groupId: group, sessionTimeout: 10_000, rebalanceTimeout: 2_000 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async () => {
        await new Promise((r) => setTimeout(r, 10_000));
      },
    });
    await joined;
    await consumer.commitOffsets(
      Object.entries(offsets).map(([partition, offset]) => ({ topic, partition: Number(partition), offset: String(offset) })),
    );
  } finally {
    await consumer.disconnect();
  }
}
