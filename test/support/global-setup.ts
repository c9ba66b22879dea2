/** Vitest global setup: compile the embedded Kafka launcher once and start a shared 3-broker cluster. */
import type { TestProject } from 'vitest/node';
import { buildMockClusterLauncher, startEmbeddedKafka, type EmbeddedKafka } from '../../src/local-stack/embedded-kafka.js';

let cluster: EmbeddedKafka | undefined;

export async function setup(project: TestProject) {
  buildMockClusterLauncher();
  cluster = await startEmbeddedKafka({ brokers: 3 });
  project.provide('kafkaBrokers', cluster.bootstrapServers);
}

export async function teardown() {
  await cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}
