/**
 * Our own small interface to Kafka: the three reads the lag reader needs and nothing else.
 * KafkaJS is looking for maintainers, so it stays behind this seam (one implementation today:
 * `kafkajs-offsets-source.ts`); a replacement client only has to implement these methods.
 */
import type { LagReadError } from './types.js';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface LogOffsets {
  logStart: number;
  logEnd: number;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  /** null: nothing committed on this partition. */
  offset: number | null;
}

export interface GroupDescription {
  /** Kafka's group state: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead. */
  state: string;
  members: number;
}

export interface LogOffsetsResult {
  /** Keyed by `partitionKey(topic, partition)`. */
  offsets: Map<string, LogOffsets>;
  /** Partitions whose leader could not answer, with why. */
  failed: Array<{ partitions: TopicPartitions[]; error: LagReadError }>;
}

/** One leader's share of a log-offsets read: which partitions it answers for, and its answer (never rejects). */
export interface LeaderRead {
  partitions: TopicPartitions[];
  result: Promise<LogOffsetsResult>;
}

export interface TopicState {
  /** Every partition id, sorted. */
  partitions: number[];
  /** Partitions that cannot be read now (no leader, offline), with why. */
  unavailable: Map<number, string>;
}

/**
 * What Metadata said of the topics asked for. Errors are per topic and per partition, so a topic
 * being deleted or denied by ACLs never hides the others. A topic in neither map does not exist.
 */
export interface TopicsMetadata {
  topics: Map<string, TopicState>;
  /** Topics that exist but answered with a topic-level error (being created or deleted, denied by ACLs): why. */
  unreadable: Map<string, string>;
}

export interface KafkaOffsetsSource {
  /** Partitions of the named topics (undefined: every topic in the cluster): one Metadata request. */
  topicMetadata(topics?: string[]): Promise<TopicsMetadata>;
  /**
   * Log start and end offsets, one ListOffsets request per partition leader and offset kind, across
   * topics. One read per leader, each settling on its own: a slow leader delays only its partitions.
   */
  logOffsets(topics: TopicPartitions[]): LeaderRead[];
  /**
   * A group's committed offsets: one OffsetFetch to its coordinator (looked up once, then cached).
   * `topics` undefined: every topic the group has committed on.
   */
  committedOffsets(group: string, topics?: TopicPartitions[]): Promise<CommittedOffset[]>;
  /**
   * The group's state and member count, when the broker supports DescribeGroups (one request to the
   * coordinator); undefined when it does not. Optional: the lag read never depends on it.
   */
  describeGroup?(group: string): Promise<GroupDescription | undefined>;
  /** Drop connections; the next call reconnects. */
  close(): Promise<void>;
}

/** Raised by a source for a failed read, carrying the typed reason. */
export class KafkaReadError extends Error {
  constructor(readonly detail: LagReadError) {
    super(detail.message);
    this.name = 'KafkaReadError';
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
