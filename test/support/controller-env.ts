import { vi } from 'vitest';
import type { TickResult } from '../../src/report/outcome.js';
import type { EmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import type { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { LOCAL_AWS_ENV } from './local-aws.js';

export type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<TickResult>;

/** The local stand-ins a test started, each reached through the SDK's own endpoint variable. */
export interface StandInUrls {
  ecs?: { url: string };
  cloudwatch?: { url: string };
  ssm?: { url: string };
  sns?: { url: string };
  msk?: { url: string };
  secrets?: { url: string };
}

const ENDPOINT_VARIABLES: Record<keyof StandInUrls, string> = {
  ecs: 'AWS_ENDPOINT_URL_ECS',
  cloudwatch: 'AWS_ENDPOINT_URL_CLOUDWATCH',
  ssm: 'AWS_ENDPOINT_URL_SSM',
  sns: 'AWS_ENDPOINT_URL_SNS',
  msk: 'AWS_ENDPOINT_URL_KAFKA',
  secrets: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};

/**
 * The environment a controller under test runs with: the embedded Kafka without authentication,
 * timeouts short enough for a failure to show within a test, the given stand-ins, dummy
 * credentials, and one tick an invocation acting on its own read (these tests are about a tick; the
 * surge cadence and confirmation reads have ticks.test.ts). `settings` adds to it or overrides it.
 */
export function controllerEnv(kafka: EmbeddedKafka, standIns: StandInUrls, settings: Record<string, string> = {}): Record<string, string> {
  const endpoints = Object.entries(standIns).map(([name, standIn]) => [ENDPOINT_VARIABLES[name as keyof StandInUrls], standIn.url]);
  return {
    KAFKA_BROKERS: kafka.bootstrapServers.join(','),
    KAFKA_AUTH_MODE: 'none',
    KAFKA_REQUEST_TIMEOUT_MS: '1500',
    KAFKA_CONNECT_TIMEOUT_MS: '500',
    SCALER_AWS_TIMEOUT_MS: '1000',
    SCALER_SURGE_TICK_SECONDS: '0',
    SCALER_CONFIRM_SECONDS: '0',
    ...Object.fromEntries(endpoints),
    ...LOCAL_AWS_ENV,
    ...settings,
  };
}

/** The Lambda handler as a cold start loads it: fresh modules, so it reads the environment and builds its clients anew. */
export async function coldHandler(): Promise<Handler> {
  vi.resetModules();
  return ((await import('../../handlers/controller.js')) as unknown as { handler: Handler }).handler;
}

/**
 * After a file's tests: the environment as it was, the stand-ins stopped, and the embedded Kafka last
 * (clients may still be closing connections to it). Each may be unset when its start failed.
 */
export async function restoreAndStop(
  savedEnv: NodeJS.ProcessEnv,
  standIns: ReadonlyArray<{ stop(): Promise<void> } | undefined>,
  kafka: { stop(): Promise<void> } | undefined,
): Promise<void> {
  process.env = savedEnv;
  await Promise.all(standIns.map((standIn) => standIn?.stop()));
  await kafka?.stop();
}
