/**
 * KafkaOffsetsSource over KafkaJS's Cluster (see kafkajs-internals.d.ts for why not its admin API).
 * Cost per read: one Metadata (for the topics asked about only), one ListOffsets per partition
 * leader and offset kind (earliest, latest) across all topics, one OffsetFetch per group;
 * FindCoordinator only the first time a group is seen or after its coordinator moved. Errors are
 * kept per topic, per partition, per leader and per group, so one bad one never hides the others.
 */

import { logLevel, type SASLOptions } from 'kafkajs';
import Cluster, { type Broker } from 'kafkajs/src/cluster/index.js';
import InstrumentationEventEmitter from 'kafkajs/src/instrumentation/emitter.js';
import { createLogger } from 'kafkajs/src/loggers/index.js';
import defaultSocketFactory from 'kafkajs/src/network/socketFactory.js';
import apiKeys from 'kafkajs/src/protocol/requests/apiKeys.js';
import {
  type CommittedOffset,
  type GroupDescription,
  type KafkaOffsetsSource,
  KafkaReadError,
  type LeaderRead,
  type LogOffsets,
  type LogOffsetsResult,
  type TopicPartitions,
  type TopicsMetadata,
} from '../../lag/offsets-source.js';
import type { LagReadError } from '../../lag/types.js';
import { classify, errorMessage } from './kafka-errors.js';
import { judgeTopics, listOffsets, offsetFetch, withLenientMetadata } from './kafka-requests.js';

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
/** Bounds the tick's time budget reads (tools/docs/tick-budget.ts): KafkaJS's tries at a seed broker, its backoff cap, and the backoff between coordinator attempts (100 ms, 200 ms, …). */
export const CONNECT_ATTEMPTS = 3;
export const CONNECT_BACKOFF_MAX_MS = 1_000;
export const COORDINATOR_BACKOFF_STEP_MS = 100;
/** FindCoordinator's key type for a consumer group (1 is a transaction). */
const GROUP_COORDINATOR = 0;
/** The first Metadata version that carries allow_auto_topic_creation (false here). */
const METADATA_WITHOUT_AUTO_CREATE = 4;

export class KafkaJsOffsetsSource implements KafkaOffsetsSource {
  private cluster: Cluster | undefined;
  private readonly instrumentation = new InstrumentationEventEmitter();
  private readonly coordinators = new Map<string, number>();
  private describeGroupsUnsupported = false;
  /** The broker whose Metadata answer was last good (node id). */
  private metadataNode: string | undefined;

  constructor(private readonly options: KafkaClientOptions) {}

  /** Calls `listener` with the API name of every request sent (for benchmarks and debugging). */
  onRequest(listener: (apiName: string) => void): () => void {
    return this.instrumentation.addListener('network.request', (event) => listener(event.payload.apiName));
  }

  async topicMetadata(topics?: string[]): Promise<TopicsMetadata> {
    const cluster = await this.connected('metadata');
    // Naming topics is cheaper on big clusters, but before Metadata v4 (Kafka 1.0) a request that
    // names a topic may create it (auto.create.topics.enable): there, ask for every topic instead.
    const mayName = (cluster.brokerPool.versions?.[apiKeys.Metadata]?.maxVersion ?? 0) >= METADATA_WITHOUT_AUTO_CREATE;
    await this.refreshMetadata(cluster, mayName ? (topics ?? []) : []);
    return judgeTopics(cluster.brokerPool.metadata?.topicMetadata ?? []);
  }

  logOffsets(topics: TopicPartitions[]): LeaderRead[] {
    const cluster = this.cluster;
    if (!cluster) {
      const error: LagReadError = {
        kind: 'broker-unavailable',
        step: 'log-offsets',
        message: 'log-offsets: not connected (read metadata first)',
      };
      return [{ partitions: topics, result: Promise.resolve({ offsets: new Map(), failed: [{ partitions: topics, error }] }) }];
    }
    const byLeader = new Map<string, TopicPartitions[]>();
    for (const { topic, partitions } of topics) {
      for (const [leader, led] of Object.entries(cluster.findLeaderForPartitions(topic, partitions))) {
        const list = byLeader.get(leader) ?? [];
        list.push({ topic, partitions: led });
        byLeader.set(leader, list);
      }
    }
    return [...byLeader].map(([leader, led]) => ({ partitions: led, result: this.leaderLogOffsets(cluster, leader, led) }));
  }

  private async leaderLogOffsets(cluster: Cluster, leader: string, led: TopicPartitions[]): Promise<LogOffsetsResult> {
    const result: LogOffsetsResult = { offsets: new Map(), failed: [] };
    try {
      const broker = await this.guard('log-offsets', () => cluster.findBroker({ nodeId: leader }));
      const [starts, ends] = await Promise.all([listOffsets(broker, led, EARLIEST), listOffsets(broker, led, LATEST)]);
      for (const [key, logStart] of starts) {
        const logEnd = ends.get(key);
        if (logEnd !== undefined) result.offsets.set(key, { logStart, logEnd } satisfies LogOffsets);
      }
    } catch (error) {
      result.failed.push({ partitions: led, error: this.describe('log-offsets', error, `leader ${leader}`) });
    }
    return result;
  }

  async committedOffsets(group: string, topics?: TopicPartitions[]): Promise<CommittedOffset[]> {
    const cluster = await this.connected('committed-offsets');
    // Brokers are known from metadata; a read normally fetched it already, a lone call has to.
    if (!cluster.brokerPool.metadata) await this.refreshMetadata(cluster, []);
    // "Every topic the group committed on": list every topic in one OffsetFetch rather than send the
    // protocol's null list, which KafkaJS cannot encode and older brokers (and the mock) answer empty.
    const asked = topics ?? this.allTopics(cluster);
    for (let attempt = 0; ; attempt++) {
      try {
        const coordinator = await this.coordinatorFor(cluster, group);
        return await offsetFetch(coordinator, group, asked);
      } catch (error) {
        const detail = this.describe('committed-offsets', error, `group ${group}`);
        if (detail.kind !== 'coordinator-unavailable' && detail.kind !== 'broker-unavailable') throw new KafkaReadError(detail);
        this.coordinators.delete(group);
        if (attempt >= this.options.coordinatorRetries) throw new KafkaReadError(detail);
        await sleep(COORDINATOR_BACKOFF_STEP_MS * (attempt + 1));
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
        ...(this.options.sasl ? { sasl: this.options.sasl } : {}),
        clientId: this.options.clientId,
        connectionTimeout: this.options.connectTimeoutMs,
        requestTimeout: this.options.requestTimeoutMs,
        enforceRequestTimeout: true,
        metadataMaxAge: 300_000,
        // Bounded: a tick must finish within its period; the next tick is the real retry.
        retry: { retries: CONNECT_ATTEMPTS - 1, initialRetryTime: 100, maxRetryTime: CONNECT_BACKOFF_MAX_MS },
        allowAutoTopicCreation: false,
        instrumentationEmitter: this.instrumentation,
      });
      const pool = this.cluster.brokerPool;
      const createBroker = pool.createBroker.bind(pool);
      pool.createBroker = (options) => withLenientMetadata(createBroker(options));
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

  /**
   * Metadata for these topics (none: every topic), from the broker that answered last. A broker
   * that times out or drops the connection is passed over for one more try on another, so one slow
   * broker costs a read one request timeout at most, once.
   */
  private async refreshMetadata(cluster: Cluster, topics: string[]): Promise<void> {
    const pool = cluster.brokerPool;
    const findConnectedBroker = pool.findConnectedBroker.bind(pool);
    const avoided = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      let asked: Broker | undefined;
      // The pool asks this for the broker to send Metadata to: prefer the last good one, skip failed ones.
      pool.findConnectedBroker = async () => (asked = await this.metadataBroker(pool, avoided, findConnectedBroker));
      try {
        await pool.refreshMetadata(topics);
        if (asked) this.metadataNode = String(asked.nodeId);
        return;
      } catch (error) {
        const kind = classify(error);
        const retriable = (kind === 'timeout' || kind === 'broker-unavailable') && attempt === 0;
        // Only a final failure may rebuild the connection (describe does): a retry needs it as it is.
        // A retry passes over the broker that failed, so a failure before any was asked is final.
        if (!retriable || asked === undefined) throw new KafkaReadError(this.describe('metadata', error));
        avoided.add(String(asked.nodeId));
        if (this.metadataNode === String(asked.nodeId)) this.metadataNode = undefined;
      } finally {
        pool.findConnectedBroker = findConnectedBroker;
      }
    }
  }

  private async metadataBroker(pool: Cluster['brokerPool'], avoided: Set<string>, anyBroker: () => Promise<Broker>): Promise<Broker> {
    const known = Object.keys(pool.brokers).filter((id) => !avoided.has(id));
    const preferred = this.metadataNode && known.includes(this.metadataNode) ? [this.metadataNode] : [];
    for (const id of [...preferred, ...known.filter((k) => k !== this.metadataNode && pool.brokers[k]?.isConnected())]) {
      const broker = pool.brokers[id];
      if (broker?.isConnected()) return broker;
    }
    return anyBroker();
  }

  private async coordinatorFor(cluster: Cluster, group: string): Promise<Broker> {
    let nodeId = this.coordinators.get(group);
    if (nodeId === undefined) {
      nodeId = await this.lookUpCoordinator(cluster, group);
      this.coordinators.set(group, nodeId);
    }
    return cluster.findBroker({ nodeId });
  }

  /**
   * FindCoordinator, asked of the brokers in turn (the last good Metadata broker first) until one
   * answers: KafkaJS's own lookup gives up when the one broker it picks at random is down, so one
   * down broker would fail a third of the lookups. A coordinator error is the caller's to retry.
   */
  private async lookUpCoordinator(cluster: Cluster, group: string): Promise<number> {
    const known = Object.keys(cluster.brokerPool.brokers);
    const order =
      this.metadataNode && known.includes(this.metadataNode)
        ? [this.metadataNode, ...known.filter((id) => id !== this.metadataNode)]
        : known;
    let failure: unknown = new Error('no broker known to ask for the group coordinator');
    for (const nodeId of order) {
      try {
        const broker = await cluster.findBroker({ nodeId });
        return (await broker.findGroupCoordinator({ groupId: group, coordinatorType: GROUP_COORDINATOR })).coordinator.nodeId;
      } catch (error) {
        failure = error;
        const kind = classify(error);
        if (kind !== 'broker-unavailable' && kind !== 'timeout') throw error;
      }
    }
    throw failure;
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
