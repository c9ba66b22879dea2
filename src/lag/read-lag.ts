/**
 * Reads the lag of many consumer groups at once, with as few Kafka requests as the protocol allows:
 * one Metadata for the topics the groups name, one OffsetFetch per group (concurrently, bounded),
 * and one ListOffsets per partition leader and offset kind for every topic any group needs, sent
 * alongside the OffsetFetches.
 *
 * Each group's read finishes or fails on its own: a topic with an error, a partition without a
 * leader, a slow leader or a slow coordinator affects only the groups that need it, and a group not
 * read by the deadline fails alone while the others are already being decided. Never throws: every
 * failure becomes a per-group status the controller can refuse to act on.
 */

import { concurrencyLimit } from '../util/concurrency-limit.js';
import { beforeDeadline } from '../util/deadline.js';
import { lagTotals, partitionLag } from './lag-rules.js';
import { LogOffsetsBatcher } from './log-offsets-batcher.js';
import {
  type CommittedOffset,
  type GroupDescription,
  type KafkaOffsetsSource,
  KafkaReadError,
  partitionKey,
  type TopicsMetadata,
} from './offsets-source.js';
import type { GroupLag, GroupRequest, LagReadError, OffsetResetPolicy, PartitionLag } from './types.js';

export interface ReadLagOptions {
  /** What the groups' consumers do without a committed offset (their auto.offset.reset). */
  resetPolicy: OffsetResetPolicy;
  /** Groups whose committed offsets are fetched at the same time. */
  concurrency: number;
  /** Also ask each group's coordinator for its state and members (DescribeGroups), where supported. */
  describeGroups?: boolean;
  /** Epoch ms by which each group must be read; a group that is not fails alone, with kind `deadline`. */
  deadline?: number;
  /** The clock, for the `readAt` stamp and the deadline. */
  now?: () => number;
}

type Metadata = { ok: true; metadata: TopicsMetadata } | { ok: false; error: LagReadError };

/** The lag of every group, once all are read (or failed). */
export function readLag(source: KafkaOffsetsSource, requests: readonly GroupRequest[], options: ReadLagOptions): Promise<GroupLag[]> {
  return Promise.all(readLagEach(source, requests, options));
}

/** One promise per request, in order, each settling as soon as its own group is read (never rejecting). */
export function readLagEach(source: KafkaOffsetsSource, requests: readonly GroupRequest[], options: ReadLagOptions): Promise<GroupLag>[] {
  const now = options.now ?? Date.now;
  // Only the topics the groups name; a group that names none needs every topic to find its own.
  const asked = requests.every((r) => r.topics) ? [...new Set(requests.flatMap((r) => r.topics ?? []))] : undefined;
  const metadata: Promise<Metadata> = source.topicMetadata(asked).then(
    (value) => ({ ok: true, metadata: value }),
    (error: unknown) => ({ ok: false, error: asReadError(error, 'metadata') }),
  );
  const logOffsets = new LogOffsetsBatcher(source);
  const limit = concurrencyLimit(options.concurrency);

  return requests.map((request) => {
    const progress = { step: 'metadata' as LagReadError['step'] };
    const read = readGroup(request, { source, metadata, logOffsets, limit, options, progress, now });
    return options.deadline === undefined
      ? read
      : beforeDeadline(read, options.deadline - now(), () => missedDeadline(request.group, now(), progress.step));
  });
}

interface GroupReadContext {
  source: KafkaOffsetsSource;
  metadata: Promise<Metadata>;
  logOffsets: LogOffsetsBatcher;
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  options: ReadLagOptions;
  /** The step the read is in, so a missed deadline can say where it was stuck. */
  progress: { step: LagReadError['step'] };
  now: () => number;
}

async function readGroup(request: GroupRequest, context: GroupReadContext): Promise<GroupLag> {
  const { source, logOffsets, options, progress, now } = context;
  const read = await context.metadata;
  if (!read.ok) return failedGroup(request.group, read.error, now());
  const { topics, unreadable } = read.metadata;

  // Named topics are known now: their log offsets go out alongside the OffsetFetch.
  for (const topic of request.topics ?? []) logOffsets.request(topic, topics.get(topic));
  progress.step = 'committed-offsets';
  let committed: CommittedOffset[];
  let description: { description?: GroupDescription; describeFailed?: string };
  try {
    [committed, description] = await context.limit(async () => {
      const named = request.topics?.flatMap((topic) => {
        const state = topics.get(topic);
        return state ? [{ topic, partitions: state.partitions }] : [];
      });
      // Every named topic missing: nothing to fetch, and "all topics" would be the wrong question.
      const offsets = named && named.length === 0 ? [] : await source.committedOffsets(request.group, named);
      return [offsets, await describe(source, request.group, options)] as const;
    });
  } catch (error) {
    return failedGroup(request.group, asReadError(error, 'committed-offsets'), now());
  }

  progress.step = 'log-offsets';
  const covered = topicsOf(request, committed);
  for (const topic of covered) logOffsets.request(topic, topics.get(topic));
  const committedAt = new Map(committed.map((c) => [partitionKey(c.topic, c.partition), c.offset]));
  const missingTopics: string[] = [];
  const warnings: string[] = [];
  const partitions: PartitionLag[] = [];
  let firstFailure: LagReadError | undefined;
  for (const topic of covered) {
    const whyUnreadable = unreadable.get(topic);
    if (whyUnreadable) {
      firstFailure ??= { kind: 'request-failed', step: 'metadata', message: `metadata: ${whyUnreadable}` };
      continue;
    }
    const state = topics.get(topic);
    if (!state) {
      // A named topic that is missing makes the read unusable; a deleted topic the group once
      // committed on is only history.
      if (request.topics) missingTopics.push(topic);
      else warnings.push(`topic ${topic} has committed offsets but no longer exists; ignored`);
      continue;
    }
    for (const partition of state.partitions) {
      const unavailable = state.unavailable.get(partition);
      if (unavailable) {
        firstFailure ??= { kind: 'broker-unavailable', step: 'metadata', message: `metadata: ${unavailable}` };
        continue;
      }
      const log = await logOffsets.get(topic, partition);
      if ('kind' in log) {
        firstFailure ??= log;
        continue;
      }
      const lag = partitionLag(
        { topic, partition, ...log, committed: committedAt.get(partitionKey(topic, partition)) ?? null },
        options.resetPolicy,
      );
      if (lag.committedAheadOfLogEnd) {
        warnings.push(
          `${topic}[${partition}]: committed offset ${lag.committed} is past the log end ${lag.logEnd} (topic recreated?); lag counted as 0`,
        );
      }
      partitions.push(lag);
    }
  }

  const anyCommitted = partitions.some((p) => p.committed !== null);
  // No commit anywhere: a new group, a misspelt one or expired offsets. Where the broker can tell
  // (DescribeGroups), ask, whatever describeGroups says: it costs a request only in this case.
  if (!anyCommitted && !firstFailure && !description.description && !description.describeFailed) {
    description = await describe(source, request.group, { ...options, describeGroups: true });
  }
  if (description.describeFailed) warnings.push(description.describeFailed);
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
    ...(description.description ? { description: description.description } : {}),
    readAt: now(),
  };
}

/** The optional group description: its failure is a warning, never a failed read. */
async function describe(
  source: KafkaOffsetsSource,
  group: string,
  options: ReadLagOptions,
): Promise<{ description?: GroupDescription; describeFailed?: string }> {
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

/** A group whose read failed as a whole: nothing usable, the typed error says why. */
export function failedGroup(group: string, error: LagReadError, readAt: number): GroupLag {
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

/** A group not read by the deadline, saying which step it was waiting for when known. */
export function missedDeadline(group: string, readAt: number, step?: LagReadError['step']): GroupLag {
  const waitingFor = step
    ? ` (waiting for ${{ connect: 'the connection', metadata: 'Metadata', 'committed-offsets': 'OffsetFetch', 'log-offsets': 'ListOffsets' }[step]})`
    : '';
  return failedGroup(
    group,
    { kind: 'deadline', step: step ?? 'connect', message: `${step ?? 'read'}: group ${group} not read before the deadline${waitingFor}` },
    readAt,
  );
}

function asReadError(error: unknown, step: LagReadError['step']): LagReadError {
  if (error instanceof KafkaReadError) return error.detail;
  return { kind: 'request-failed', step, message: `${step}: ${(error as Error)?.message ?? String(error)}` };
}
