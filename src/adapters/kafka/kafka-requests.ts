/**
 * The Kafka requests the offsets source sends, over KafkaJS's brokers: ListOffsets, OffsetFetch,
 * and Metadata parsed leniently, so that one topic's or partition's error never rejects the rest.
 */
import type { Broker, MetadataResponse } from 'kafkajs/src/cluster/index.js';
import apiKeys from 'kafkajs/src/protocol/requests/apiKeys.js';
import protocolRequests from 'kafkajs/src/protocol/requests/index.js';
import { type CommittedOffset, partitionKey, type TopicPartitions, type TopicsMetadata } from '../../lag/offsets-source.js';
import { kafkaErrorName } from './kafka-errors.js';

const READ_UNCOMMITTED = 0;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
/** Partition codes that still leave it readable: REPLICA_NOT_AVAILABLE only means a follower is down. */
const READABLE_PARTITION_CODES = new Set([0, 9]);

/** The offsets at `timestamp` (EARLIEST, LATEST) of the partitions a broker leads. */
export async function listOffsets(broker: Broker, topics: TopicPartitions[], timestamp: number): Promise<Map<string, number>> {
  const { responses } = await broker.listOffsets({
    isolationLevel: READ_UNCOMMITTED,
    topics: topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((partition) => ({ partition, timestamp })),
    })),
  });
  const offsets = new Map<string, number>();
  for (const { topic, partitions } of responses) {
    for (const { partition, offset } of partitions) offsets.set(partitionKey(topic, partition), Number(offset));
  }
  return offsets;
}

/** A group's committed offsets on those partitions; none committed: null. */
export async function offsetFetch(broker: Broker, group: string, topics: TopicPartitions[]): Promise<CommittedOffset[]> {
  const { responses } = await broker.offsetFetch({
    groupId: group,
    topics: topics.map(({ topic, partitions }) => ({ topic, partitions: partitions.map((partition) => ({ partition })) })),
  });
  return responses.flatMap(({ topic, partitions }) =>
    partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) < 0 ? null : Number(offset) })),
  );
}

/**
 * The broker, answering Metadata without KafkaJS's parse, which rejects the whole response on the
 * first topic or partition error: those errors are judged per topic in `topicMetadata`.
 */
export function withLenientMetadata(broker: Broker): Broker {
  broker.metadata = async (topics: string[] = []): Promise<MetadataResponse> => {
    const { request, response } = broker.lookupRequest(
      apiKeys.Metadata,
      protocolRequests.requests.Metadata,
    )({ topics, allowAutoTopicCreation: false });
    try {
      return (await broker.connectionPool.send({
        request,
        response: { decode: response.decode, parse: async (data) => data },
      })) as MetadataResponse;
    } catch (error) {
      // As KafkaJS's own send does: a closed connection is dropped, so the next call reconnects.
      if ((error as Error).name === 'KafkaJSConnectionClosedError') await broker.disconnect();
      throw error;
    }
  };
  return broker;
}

/** Each topic's partitions and those unreadable, judged per topic and per partition; a topic that does not exist is left out. */
export function judgeTopics(topicMetadata: MetadataResponse['topicMetadata']): TopicsMetadata {
  const result: TopicsMetadata = { topics: new Map(), unreadable: new Map() };
  for (const topic of topicMetadata) {
    if (topic.topicErrorCode === UNKNOWN_TOPIC_OR_PARTITION) continue;
    if (topic.topicErrorCode !== 0) {
      result.unreadable.set(topic.topic, `topic ${topic.topic}: ${kafkaErrorName(topic.topicErrorCode)}`);
      continue;
    }
    const unavailable = new Map<number, string>();
    for (const p of topic.partitionMetadata) {
      if (p.leader < 0)
        unavailable.set(
          p.partitionId,
          `${topic.topic}[${p.partitionId}] has no leader${p.partitionErrorCode ? ` (${kafkaErrorName(p.partitionErrorCode)})` : ''}`,
        );
      else if (!READABLE_PARTITION_CODES.has(p.partitionErrorCode))
        unavailable.set(p.partitionId, `${topic.topic}[${p.partitionId}]: ${kafkaErrorName(p.partitionErrorCode)}`);
    }
    result.topics.set(topic.topic, { partitions: topic.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b), unavailable });
  }
  return result;
}
