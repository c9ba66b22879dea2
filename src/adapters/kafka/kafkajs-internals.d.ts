/**
 * Types for the parts of KafkaJS's internals we use (it ships no types for them).
 * Why internals: KafkaJS's admin API reads log offsets one topic at a time, looks the group
 * coordinator up on every call and fetches metadata per topic. Its Cluster and
 * Broker classes — what its admin client is built on — do none of that. And its Metadata parser
 * rejects a whole response on the first topic or partition error, so one topic being deleted or
 * denied by ACLs would blind every group: we decode Metadata ourselves and judge errors per topic. KafkaJS 2.2.4 is frozen,
 * so these internals will not move under us; all use of them is in kafkajs-offsets-source.ts.
 */
declare module 'kafkajs/src/cluster/index.js' {
  import type { Logger, SASLOptions, RetryOptions } from 'kafkajs';
  import type { ConnectionOptions } from 'node:tls';

  export interface PartitionMetadata {
    partitionErrorCode: number;
    partitionId: number;
    leader: number;
  }
  export interface TopicMetadata {
    topicErrorCode: number;
    topic: string;
    partitionMetadata: PartitionMetadata[];
  }
  export interface ProtocolRequest {
    request: { apiKey: number; apiVersion: number; apiName: string };
    response: { decode(raw: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  }
  export interface MetadataResponse {
    brokers: Array<{ nodeId: number; host: string; port: number }>;
    topicMetadata: TopicMetadata[];
  }
  export interface Broker {
    nodeId: number;
    lookupRequest(apiKey: number, definition: unknown): (args: Record<string, unknown>) => ProtocolRequest;
    connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
    disconnect(): Promise<void>;
    isConnected(): boolean;
    metadata(topics?: string[]): Promise<MetadataResponse>;
    listOffsets(args: {
      isolationLevel?: number;
      topics: Array<{ topic: string; partitions: Array<{ partition: number; timestamp: number }> }>;
    }): Promise<{ responses: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }>;
    offsetFetch(args: {
      groupId: string;
      topics: Array<{ topic: string; partitions: Array<{ partition: number }> }>;
    }): Promise<{ responses: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }>;
    describeGroups(args: { groupIds: string[] }): Promise<{ groups: Array<{ groupId: string; state: string; members: unknown[] }> }>;
    findGroupCoordinator(args: { groupId: string; coordinatorType: number }): Promise<{ coordinator: { nodeId: number } }>;
  }
  export default class Cluster {
    constructor(options: {
      logger: Logger;
      socketFactory: unknown;
      brokers: string[];
      ssl?: ConnectionOptions | boolean;
      sasl?: SASLOptions;
      clientId: string;
      connectionTimeout: number;
      authenticationTimeout?: number;
      requestTimeout: number;
      enforceRequestTimeout: boolean;
      metadataMaxAge: number;
      retry: RetryOptions;
      allowAutoTopicCreation: boolean;
      instrumentationEmitter?: unknown;
    });
    brokerPool: {
      metadata?: { topicMetadata: TopicMetadata[] } | null;
      brokers: Record<string, Broker>;
      /** The seed broker's ApiVersions: per API key, the versions it supports. */
      versions?: Record<number, { minVersion: number; maxVersion: number }> | null;
      createBroker(options: unknown): Broker;
      findConnectedBroker(): Promise<Broker>;
      refreshMetadata(topics: string[]): Promise<void>;
    };
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    isConnected(): boolean;
    refreshMetadata(): Promise<void>;
    findBroker(args: { nodeId: number | string }): Promise<Broker>;
    findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
    findGroupCoordinatorMetadata(args: { groupId: string }): Promise<{ coordinator: { nodeId: number } }>;
  }
}
declare module 'kafkajs/src/protocol/requests/index.js' {
  const protocolRequests: { requests: { Metadata: unknown } };
  export default protocolRequests;
}
declare module 'kafkajs/src/protocol/requests/apiKeys.js' {
  const apiKeys: { Metadata: number };
  export default apiKeys;
}
declare module 'kafkajs/src/protocol/error.js' {
  export const errorCodes: Array<{ type: string; code: number; message: string }>;
}
declare module 'kafkajs/src/loggers/index.js' {
  import type { Logger, logCreator } from 'kafkajs';
  export function createLogger(options: { level: number; logCreator: logCreator }): Logger;
}
declare module 'kafkajs/src/network/socketFactory.js' {
  export default function defaultSocketFactory(): unknown;
}
declare module 'kafkajs/src/instrumentation/emitter.js' {
  export default class InstrumentationEventEmitter {
    addListener(eventName: string, listener: (event: { payload: { apiName: string; apiKey: number; broker: string } }) => void): () => void;
  }
}
