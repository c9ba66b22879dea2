/**
 * Log offsets for one lag read, shared by its groups: partitions asked for in the same turn of the
 * event loop go out together (one ListOffsets per leader and offset kind, however many groups need
 * them), a partition is asked for once per read, and each partition's answer arrives with its own
 * leader's, so a slow or failed leader holds back only the partitions it leads.
 */
import {
  type KafkaOffsetsSource,
  type LeaderRead,
  type LogOffsets,
  partitionKey,
  type TopicPartitions,
  type TopicState,
} from './offsets-source.js';
import type { LagReadError } from './types.js';

export type PartitionLogOffsets = LogOffsets | LagReadError;

export class LogOffsetsBatcher {
  private readonly answers = new Map<string, Promise<PartitionLogOffsets>>();
  private readonly settle = new Map<string, (answer: PartitionLogOffsets) => void>();
  private queued: TopicPartitions[] = [];

  constructor(private readonly source: KafkaOffsetsSource) {}

  /** Asks for a topic's readable partitions (a topic the metadata does not have is skipped). */
  request(topic: string, state: TopicState | undefined): void {
    if (!state) return;
    const partitions = state.partitions.filter((p) => !state.unavailable.has(p) && !this.answers.has(partitionKey(topic, p)));
    if (partitions.length === 0) return;
    for (const partition of partitions) {
      const key = partitionKey(topic, partition);
      this.answers.set(key, new Promise((resolve) => this.settle.set(key, resolve)));
    }
    if (this.queued.length === 0) setImmediate(() => this.flush());
    this.queued.push({ topic, partitions });
  }

  /** The partition's log offsets, or why they could not be read. */
  get(topic: string, partition: number): Promise<PartitionLogOffsets> {
    return this.answers.get(partitionKey(topic, partition)) ?? Promise.resolve(notRequested(topic, partition));
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    let reads: LeaderRead[];
    try {
      reads = this.source.logOffsets(batch);
    } catch (error) {
      this.answerAll(batch, { kind: 'request-failed', step: 'log-offsets', message: `log-offsets: ${(error as Error).message}` });
      return;
    }
    const led = new Set(
      reads.flatMap((read) => read.partitions.flatMap(({ topic, partitions }) => partitions.map((p) => partitionKey(topic, p)))),
    );
    for (const { topic, partitions } of batch) {
      for (const partition of partitions) {
        if (!led.has(partitionKey(topic, partition)))
          this.answer(topic, partition, {
            kind: 'broker-unavailable',
            step: 'log-offsets',
            message: `log-offsets: no leader known for ${topic}[${partition}]`,
          });
      }
    }
    for (const read of reads) {
      void read.result.then(
        (result) => {
          const failures = new Map<string, LagReadError>();
          for (const { partitions, error } of result.failed)
            for (const { topic, partitions: ids } of partitions) for (const id of ids) failures.set(partitionKey(topic, id), error);
          for (const { topic, partitions } of read.partitions) {
            for (const partition of partitions) {
              const key = partitionKey(topic, partition);
              this.answer(topic, partition, result.offsets.get(key) ?? failures.get(key) ?? notReturned(topic, partition));
            }
          }
        },
        (error: unknown) =>
          this.answerAll(read.partitions, {
            kind: 'request-failed',
            step: 'log-offsets',
            message: `log-offsets: ${(error as Error)?.message}`,
          }),
      );
    }
  }

  private answerAll(batch: TopicPartitions[], error: LagReadError): void {
    for (const { topic, partitions } of batch) for (const partition of partitions) this.answer(topic, partition, error);
  }

  private answer(topic: string, partition: number, answer: PartitionLogOffsets): void {
    const key = partitionKey(topic, partition);
    this.settle.get(key)?.(answer);
    this.settle.delete(key);
  }
}

function notReturned(topic: string, partition: number): LagReadError {
  return { kind: 'request-failed', step: 'log-offsets', message: `no log offsets returned for ${topic}[${partition}]` };
}

function notRequested(topic: string, partition: number): LagReadError {
  return { kind: 'request-failed', step: 'log-offsets', message: `log offsets of ${topic}[${partition}] were not requested` };
}
