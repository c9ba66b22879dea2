/**
 * Seeding real Kafka state for tests: KafkaJS producers write known message counts, KafkaJS
 * consumers join a group and commit known offsets, exactly as a service's consumers would.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { EmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';

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

/**
 * A topic's every partition holding `messages`, and each of `groups` committed at `committed` on
 * every partition: a backlog of (messages − committed) a partition, as the tests' scenarios start.
 */
export async function seedBacklog(
  kafka: Pick<EmbeddedKafka, 'bootstrapServers' | 'commitOffsets'>,
  topic: string,
  { partitions, messages, groups, committed = 0 }: { partitions: number; messages: number; groups: string[]; committed?: number },
): Promise<void> {
  await produce(
    kafka.bootstrapServers,
    topic,
    Array.from({ length: partitions }, () => messages),
  );
  for (const group of groups) {
    await kafka.commitOffsets(
      group,
      Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: committed })),
    );
  }
}

/** The two targets the handler-level tests scale: loans (12 partitions) and payments (6). */
export const LOANS_AND_PAYMENTS = {
  loans: { group: 'loan-approvals', topics: ['loan-events'], cluster: 'prod', service: 'loan-worker', lagPerTask: 100, maxTasks: 24 },
  payments: {
    group: 'payment-workers',
    topics: ['payment-events'],
    cluster: 'prod',
    service: 'payment-worker',
    lagPerTask: 100,
    maxTasks: 24,
  },
} as const;
