/**
 * KafkaOffsetsSource over KafkaJS's Cluster (see kafkajs-internals.d.ts for why not its admin API).
 * Cost per read: one Metadata, one ListOffsets per partition leader and offset kind (earliest,
 * latest) across all topics, one OffsetFetch per group; FindCoordinator only the first time a group
 * is seen or after its coordinator moved.
 */
import Cluster, { type Broker } from 'kafkajs/src/cluster/index.js';
import InstrumentationEventEmitter from 'kafkajs/src/instrumentation/emitter.js';
import { createLogger } from 'kafkajs/src/loggers/index.js';
import defaultSocketFactory from 'kafkajs/src/network/socketFactory.js';
import { logLevel, type SASLOptions } from 'kafkajs';
import type { LagReadError, LagReadErrorKind } from '../lag/types.js';
import {
  KafkaReadError,
  partitionKey,
  type CommittedOffset,
  type GroupDescription,
  type KafkaOffsetsSource,
  type LogOffsets,
  type LogOffsetsResult,
  type TopicPartitions,
} from './offsets-source.js';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  /** A KafkaJS SASL configuration (SCRAM or OAUTHBEARER), or none. */
  sasl?: SASLOptions;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** How many times a transient coordinator error is retried before the group's read fails. */
  coordinatorRetries: number;
}

const EARLIEST = -2;
const LATEST = -1;
const READ_UNCOMMITTED = 0;
/** Kafka error codes that mean "ask another broker for the group": retried after a fresh lookup. */
const COORDINATOR_ERRORS = new Set([14, 15, 16]);

export class KafkaJsOffsetsSource implements KafkaOffsetsSource {
  private cluster: Cluster | undefined;
  private readonly instrumentation = new InstrumentationEventEmitter();
  private readonly coordinators = new Map<string, number>();
  private describeGroupsUnsupported = false;

  constructor(private readonly options: KafkaClientOptions) {}

  /** Calls `listener` with the API name of every request sent (for benchmarks and debugging). */
  onRequest(listener: (apiName: string) => void): () => void {
    return this.instrumentation.addListener('network.request', (event) => listener(event.payload.apiName));
  }

  async topicPartitions(): Promise<Map<string, number[]>> {
    const cluster = await this.connected('metadata');
    // No target topics: KafkaJS asks for every topic (a null list), so a missing topic is simply absent
    // instead of failing the whole request.
    await this.guard('metadata', () => cluster.refreshMetadata());
    const partitions = new Map<string, number[]>();
    for (const topic of cluster.brokerPool.metadata?.topicMetadata ?? []) {
      if (topic.topicErrorCode !== 0) continue;
      partitions.set(
        topic.topic,
        topic.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b),
      );
    }
    return partitions;
  }

  async logOffsets(topics: TopicPartitions[]): Promise<LogOffsetsResult> {
    const cluster = await this.connected('log-offsets');
    const byLeader = new Map<string, TopicPartitions[]>();
    for (const { topic, partitions } of topics) {
      for (const [leader, led] of Object.entries(cluster.findLeaderForPartitions(topic, partitions))) {
        const list = byLeader.get(leader) ?? [];
        list.push({ topic, partitions: led });
        byLeader.set(leader, list);
      }
    }
    const result: LogOffsetsResult = { offsets: new Map(), failed: [] };
    await Promise.all(
      [...byLeader].map(async ([leader, led]) => {
        try {
          const broker = await this.guard('log-offsets', () => cluster.findBroker({ nodeId: leader }));
          const [starts, ends] = await Promise.all([
            this.listOffsets(broker, led, EARLIEST),
            this.listOffsets(broker, led, LATEST),
          ]);
          for (const [key, logStart] of starts) {
            const logEnd = ends.get(key);
            if (logEnd !== undefined) result.offsets.set(key, { logStart, logEnd } satisfies LogOffsets);
          }
        } catch (error) {
          result.failed.push({ partitions: led, error: this.describe('log-offsets', error, `leader ${leader}`) });
        }
      }),
    );
    return result;
  }

  async committedOffsets(group: string, topics?: TopicPartitions[]): Promise<CommittedOffset[]> {
    const cluster = await this.connected('committed-offsets');
    // Brokers are known from metadata; a read normally fetched it already, a lone call has to.
    if (!cluster.brokerPool.metadata) await this.guard('committed-offsets', () => cluster.refreshMetadata());
    // "Every topic the group committed on": list every topic in one OffsetFetch rather than send the
    // protocol's null list, which KafkaJS cannot encode and older brokers (and the mock) answer empty.
    const asked = topics ?? this.allTopics(cluster);
    for (let attempt = 0; ; attempt++) {
      try {
        const coordinator = await this.coordinatorFor(cluster, group);
        return await this.offsetFetch(coordinator, group, asked);
      } catch (error) {
        const detail = this.describe('committed-offsets', error, `group ${group}`);
        if (detail.kind !== 'coordinator-unavailable' && detail.kind !== 'broker-unavailable') throw new KafkaReadError(detail);
        this.coordinators.delete(group);
        if (attempt >= this.options.coordinatorRetries) throw new KafkaReadError(detail);
        await sleep(100 * (attempt + 1));
      }
    }
  }

  async describeGroup(group: string): Promise<GroupDescription | undefined> {
    if (this.describeGroupsUnsupported) return undefined;
    const cluster = await this.connected('committed-offsets');
    try {
      const coordinator = await this.coordinatorFor(cluster, group);
      const { groups } = await coordinator.describeGroups({ groupIds: [group] });
      const described = groups[0];
      return described ? { state: described.state, members: described.members.length } : undefined;
    } catch (error) {
      if (classify(error) !== 'unsupported') throw new KafkaReadError(this.describe('committed-offsets', error, `describe ${group}`));
      // Remembered: a broker that lacks the API is not asked again.
      this.describeGroupsUnsupported = true;
      return undefined;
    }
  }

  async close(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    this.coordinators.clear();
    await cluster?.disconnect().catch(() => undefined);
  }

  private async connected(step: LagReadError['step']): Promise<Cluster> {
    if (!this.cluster) {
      this.cluster = new Cluster({
        logger: createLogger({ level: logLevel.NOTHING, logCreator: () => () => undefined }),
        socketFactory: defaultSocketFactory(),
        brokers: this.options.brokers,
        ssl: this.options.ssl,
        sasl: this.options.sasl,
        clientId: this.options.clientId,
        connectionTimeout: this.options.connectTimeoutMs,
        requestTimeout: this.options.requestTimeoutMs,
        enforceRequestTimeout: true,
        metadataMaxAge: 300_000,
        // Bounded: a tick must finish within its period; the next tick is the real retry.
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
        allowAutoTopicCreation: false,
        instrumentationEmitter: this.instrumentation,
      });
    }
    const cluster = this.cluster;
    if (!cluster.isConnected()) {
      try {
        await cluster.connect();
      } catch (error) {
        // A cluster that never connected is rebuilt from scratch on the next call.
        await this.close();
        throw new KafkaReadError(this.describe(step, error, 'connect'));
      }
    }
    return cluster;
  }

  private allTopics(cluster: Cluster): TopicPartitions[] {
    return (cluster.brokerPool.metadata?.topicMetadata ?? [])
      .filter((t) => t.topicErrorCode === 0)
      .map((t) => ({ topic: t.topic, partitions: t.partitionMetadata.map((p) => p.partitionId) }));
  }

  private async coordinatorFor(cluster: Cluster, group: string): Promise<Broker> {
    let nodeId = this.coordinators.get(group);
    if (nodeId === undefined) {
      nodeId = (await cluster.findGroupCoordinatorMetadata({ groupId: group })).coordinator.nodeId;
      this.coordinators.set(group, nodeId);
    }
    return cluster.findBroker({ nodeId });
  }

  private async listOffsets(broker: Broker, topics: TopicPartitions[], timestamp: number): Promise<Map<string, number>> {
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

  private async offsetFetch(broker: Broker, group: string, topics: TopicPartitions[]): Promise<CommittedOffset[]> {
    const { responses } = await broker.offsetFetch({
      groupId: group,
      topics: topics.map(({ topic, partitions }) => ({ topic, partitions: partitions.map((partition) => ({ partition })) })),
    });
    return responses.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) < 0 ? null : Number(offset) })),
    );
  }

  private async guard<T>(step: LagReadError['step'], action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw new KafkaReadError(this.describe(step, error));
    }
  }

  /** Classifies any failure into our typed error; a broken connection also schedules a rebuild. */
  private describe(step: LagReadError['step'], error: unknown, where?: string): LagReadError {
    if (error instanceof KafkaReadError) return error.detail;
    const kind = classify(error);
    if (kind === 'broker-unavailable' && step === 'metadata') void this.close();
    const message = `${step}${where ? ` (${where})` : ''}: ${errorMessage(error)}`;
    return { kind, step, message };
  }
}

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);

/** Walks KafkaJS's wrapped errors (retries exceeded → the last cause) to name what went wrong. */
function classify(error: unknown): LagReadErrorKind {
  const e = error as { name?: string; code?: unknown; type?: string; message?: string; originalError?: unknown };
  if (e?.name === 'KafkaJSRequestTimeoutError' || e?.type === 'REQUEST_TIMED_OUT') return 'timeout';
  if (typeof e?.code === 'number' && COORDINATOR_ERRORS.has(e.code)) return 'coordinator-unavailable';
  if (e?.name === 'KafkaJSNotImplemented' || e?.name === 'KafkaJSServerDoesNotSupportApiKey' || e?.type === 'UNSUPPORTED_VERSION') return 'unsupported';
  if (CONNECTION_ERRORS.has(e?.name ?? '') || /ECONNREFUSED|ECONNRESET|Connection error|Closed connection/.test(e?.message ?? ''))
    return 'broker-unavailable';
  if (e?.originalError) return classify(e.originalError);
  return 'request-failed';
}

function errorMessage(error: unknown): string {
  const e = error as { message?: string; originalError?: unknown };
  if (e?.originalError) return `${e.message} (${errorMessage(e.originalError)})`;
  return e?.message ?? String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
