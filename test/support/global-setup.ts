/**
 * Vitest global setup: compile the embedded Kafka launcher once, before any test file runs, so
 * parallel files never race to build it. Each file then starts its own cluster (that takes
 * milliseconds), so fault injection in one file can never leak into another.
 */
import { buildMockClusterLauncher } from '../../tools/local-stack/embedded-kafka.js';

export function setup() {
  buildMockClusterLauncher();
}
