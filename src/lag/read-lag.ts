/**
 * Reads the lag of many consumer groups at once, with as few Kafka requests as the protocol allows:
 * one Metadata, one OffsetFetch per group (concurrently, bounded), then one ListOffsets per
 * partition leader and offset kind for every topic any group needs. Never throws: every failure
 * becomes a per-group status the controller can refuse to act on.
 */
import { KafkaReadError, partitionKey, type CommittedOffset, type GroupDescription, type KafkaOffsetsSource, type TopicPartitions } from '../kafka/offsets-source.js';
import { mapConcurrently } from '../util/map-concurrently.js';
import { lagTotals, partitionLag } from './lag-rules.js';
import type { GroupLag, GroupRequest, LagReadError, OffsetResetPolicy, PartitionLag } from './types.js';

export interface ReadLagOptions {
  /** What the groups' consumers do without a committed offset (their auto.offset.reset). */
  resetPolicy: OffsetResetPolicy;
  /** Groups whose committed offsets are fetched at the same time. */
  concurrency: number;
  /** Also ask each group's coordinator for its state and members (DescribeGroups), where supported. */
  describeGroups?: boolean;
  /** The clock, for the `readAt` stamp. */
  now?: () => number;
}

type CommittedRead =
  | { ok: true; offsets: CommittedOffset[]; description?: GroupDescription; describeFailed?: string }
  | { ok: false; error: LagReadError };

export async function readLag(
  source: KafkaOffsetsSource,
  requests: readonly GroupRequest[],
  options: ReadLagOptions,
): Promise<GroupLag[]> {
  const now = options.now ?? Date.now;
  let partitionsByTopic: Map<string, number[]>;
  try {
    partitionsByTopic = await source.topicPartitions();
  } catch (error) {
    const failure = asReadError(error, 'metadata');
    return requests.map((request) => failedGroup(request.group, failure, now()));
  }

  const committed = await mapConcurrently(requests, options.concurrency, async (request): Promise<CommittedRead> => {
    try {
      const named = request.topics?.flatMap((topic) => {
        const partitions = partitionsByTopic.get(topic);
        return partitions ? [{ topic, partitions }] : [];
      });
      // Every named topic missing: nothing to fetch, and "all topics" would be the wrong question.
      const offsets = named && named.length === 0 ? [] : await source.committedOffsets(request.group, named);
      return { ok: true, offsets, ...(await describe(source, request.group, options)) };
    } catch (error) {
      return { ok: false, error: asReadError(error, 'committed-offsets') };
    }
  });

  const wanted = new Map<string, number[]>();
  requests.forEach((request, i) => {
    const read = committed[i];
    if (!read?.ok) return;
    for (const topic of topicsOf(request, read.offsets)) {
      const partitions = partitionsByTopic.get(topic);
      if (partitions) wanted.set(topic, partitions);
    }
  });
  const log = await source
    .logOffsets([...wanted].map(([topic, partitions]): TopicPartitions => ({ topic, partitions })))
    .catch((error) => ({ offsets: new Map(), failed: [{ partitions: [...wanted].map(([topic, partitions]) => ({ topic, partitions })), error: asReadError(error, 'log-offsets') }] }));
  const failedPartitions = new Map<string, LagReadError>();
  for (const { partitions, error } of log.failed) {
    for (const { topic, partitions: ids } of partitions) for (const id of ids) failedPartitions.set(partitionKey(topic, id), error);
  }

  return requests.map((request, i) => {
    const read = committed[i] as CommittedRead;
    if (!read.ok) return failedGroup(request.group, read.error, now());

    const committedAt = new Map(read.offsets.map((c) => [partitionKey(c.topic, c.partition), c.offset]));
    const missingTopics: string[] = [];
    const warnings: string[] = [];
    const partitions: PartitionLag[] = [];
    let firstFailure: LagReadError | undefined;
    for (const topic of topicsOf(request, read.offsets)) {
      const ids = partitionsByTopic.get(topic);
      if (!ids) {
        // A named topic that is missing makes the read unusable; a deleted topic the group once
        // committed on is only history.
        if (request.topics) missingTopics.push(topic);
        else warnings.push(`topic ${topic} has committed offsets but no longer exists; ignored`);
        continue;
      }
      for (const partition of ids) {
        const key = partitionKey(topic, partition);
        const logOffsets = log.offsets.get(key);
        if (!logOffsets) {
          firstFailure ??= failedPartitions.get(key) ?? { kind: 'request-failed', step: 'log-offsets', message: `no log offsets returned for ${topic}[${partition}]` };
          continue;
        }
        const lag = partitionLag({ topic, partition, ...logOffsets, committed: committedAt.get(key) ?? null }, options.resetPolicy);
        if (lag.committedAheadOfLogEnd) {
          warnings.push(`${topic}[${partition}]: committed offset ${lag.committed} is past the log end ${lag.logEnd} (topic recreated?); lag counted as 0`);
        }
        partitions.push(lag);
      }
    }

    if (read.describeFailed) warnings.push(read.describeFailed);
    const anyCommitted = partitions.some((p) => p.committed !== null);
    const status: GroupLag['status'] = firstFailure
      ? 'partial'
      : missingTopics.length > 0
        ? 'unknown-topic'
        : anyCommitted
          ? 'ok'
          : 'no-offsets';
    const incomplete = status === 'partial' || status === 'unknown-topic' || (status === 'no-offsets' && !request.topics);
    return {
      group: request.group,
      status,
      incomplete,
      ...lagTotals(partitions),
      partitions,
      missingTopics,
      warnings,
      ...(firstFailure ? { error: firstFailure } : {}),
      ...(read.description ? { description: read.description } : {}),
      readAt: now(),
    };
  });
}

/** The optional group description: its failure is a warning, never a failed read. */
async function describe(source: KafkaOffsetsSource, group: string, options: ReadLagOptions): Promise<{ description?: GroupDescription; describeFailed?: string }> {
  if (!options.describeGroups || !source.describeGroup) return {};
  try {
    const description = await source.describeGroup(group);
    return description ? { description } : {};
  } catch (error) {
    return { describeFailed: `DescribeGroups failed: ${(error as Error).message}` };
  }
}

/** The topics a group's lag covers: the named ones, or else every topic it committed on. */
function topicsOf(request: GroupRequest, committed: CommittedOffset[]): string[] {
  return request.topics ?? [...new Set(committed.filter((c) => c.offset !== null).map((c) => c.topic))];
}

function failedGroup(group: string, error: LagReadError, readAt: number): GroupLag {
  return {
    group,
    status: 'failed',
    incomplete: true,
    ...lagTotals([]),
    partitions: [],
    missingTopics: [],
    warnings: [],
    error,
    readAt,
  };
}

function asReadError(error: unknown, step: LagReadError['step']): LagReadError {
  if (error instanceof KafkaReadError) return error.detail;
  return { kind: 'request-failed', step, message: `${step}: ${(error as Error)?.message ?? String(error)}` };
}
