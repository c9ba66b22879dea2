/**
 * From settings to a connected offsets source: brokers (given, or discovered from the MSK cluster
 * for the auth mode), TLS and SASL for the auth mode, and a source reused across warm invocations.
 */
import { GetBootstrapBrokersCommand, type GetBootstrapBrokersResponse, KafkaClient } from '@aws-sdk/client-kafka';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SASLOptions } from 'kafkajs';
import type { AuthMode, KafkaSettings } from '../../config/kafka-settings.js';
import { boundedClientConfig } from '../aws-client-config.js';
import { type KafkaClientOptions, KafkaJsOffsetsSource } from './kafkajs-offsets-source.js';

/** An MSK IAM token and when it stops being accepted (epoch ms). */
export interface IamToken {
  token: string;
  expiryTime: number;
}

export interface ConnectDependencies {
  kafka: Pick<KafkaClient, 'send'>;
  secretsManager: Pick<SecretsManagerClient, 'send'>;
  /** Signs an MSK IAM auth token for a region (aws-msk-iam-sasl-signer-js). */
  signIamToken: (region: string) => Promise<IamToken>;
  now: () => number;
}

/** Which GetBootstrapBrokers field serves each auth mode (private VPC connectivity). */
const BROKER_STRING_FOR: Record<AuthMode, keyof GetBootstrapBrokersResponse> = {
  none: 'BootstrapBrokerString',
  tls: 'BootstrapBrokerStringTls',
  scram: 'BootstrapBrokerStringSaslScram',
  iam: 'BootstrapBrokerStringSaslIam',
};

/** Refresh an IAM token this long before it expires, so no connection presents a stale one. */
const IAM_TOKEN_REFRESH_MARGIN_MS = 60_000;

export async function resolveClientOptions(settings: KafkaSettings, deps: ConnectDependencies): Promise<KafkaClientOptions> {
  // Both set-up calls at once: the slower of the two bounds the set-up, not their sum.
  const [brokers, sasl] = await Promise.all([settings.brokers ?? discoverBrokers(settings, deps), saslFor(settings, deps)]);
  return {
    brokers,
    clientId: settings.clientId,
    ssl: settings.authMode !== 'none',
    ...(sasl ? { sasl } : {}),
    connectTimeoutMs: settings.connectTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    coordinatorRetries: settings.coordinatorRetries,
  };
}

async function discoverBrokers(settings: KafkaSettings, deps: ConnectDependencies): Promise<string[]> {
  const response = await named(
    'MSK GetBootstrapBrokers (MSK_CLUSTER_ARN)',
    deps.kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: settings.mskClusterArn })),
  );
  const field = BROKER_STRING_FOR[settings.authMode];
  const brokers = response[field];
  if (typeof brokers !== 'string' || brokers === '') {
    throw new Error(
      `MSK cluster ${settings.mskClusterArn} has no ${field} for KAFKA_AUTH_MODE=${settings.authMode}: enable that authentication on the cluster or change KAFKA_AUTH_MODE`,
    );
  }
  return brokers.split(',');
}

async function saslFor(settings: KafkaSettings, deps: ConnectDependencies): Promise<SASLOptions | undefined> {
  if (settings.authMode === 'scram') {
    const secret = await named(
      'Secrets Manager GetSecretValue (KAFKA_SCRAM_SECRET_ARN)',
      deps.secretsManager.send(new GetSecretValueCommand({ SecretId: settings.scramSecretArn })),
    );
    const { username, password } = parseScramSecret(secret.SecretString);
    return { mechanism: 'scram-sha-512', username, password };
  }
  if (settings.authMode === 'iam') {
    const region = settings.region;
    if (!region) throw new Error('KAFKA_AUTH_MODE=iam needs AWS_REGION or MSK_CLUSTER_ARN');
    let current: IamToken | undefined;
    return {
      mechanism: 'oauthbearer',
      // KafkaJS asks on every (re)authentication; sign again only when close to expiry.
      oauthBearerProvider: async () => {
        if (!current || current.expiryTime - deps.now() < IAM_TOKEN_REFRESH_MARGIN_MS) current = await deps.signIamToken(region);
        return { value: current.token };
      },
    };
  }
  return undefined;
}

/** The call's failure, saying which set-up call it was (an SDK timeout alone names nothing). */
async function named<T>(call: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    const e = error as Error;
    throw new Error(`${call} failed: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`, { cause: error });
  }
}

/** The secret's credentials; what goes wrong names the variable, never the secret's ARN or content. */
function parseScramSecret(secretString: string | undefined): { username: string; password: string } {
  try {
    const parsed = JSON.parse(secretString ?? '') as { username?: unknown; password?: unknown };
    if (typeof parsed.username === 'string' && typeof parsed.password === 'string') {
      return { username: parsed.username, password: parsed.password };
    }
  } catch {
    // fall through to the error below
  }
  throw new Error('KAFKA_SCRAM_SECRET_ARN: the secret must be JSON {"username": "...", "password": "..."}');
}

/** Set-up calls happen once per cold start (or after a failure): two attempts, each bounded. */
export function defaultConnectDependencies(region: string | undefined, timeoutMs: number): ConnectDependencies {
  const clientConfig = { ...(region ? { region } : {}), ...boundedClientConfig({ timeoutMs, maxAttempts: 2 }) };
  return {
    kafka: new KafkaClient(clientConfig),
    secretsManager: new SecretsManagerClient(clientConfig),
    signIamToken: async (tokenRegion) => {
      // Loaded only in IAM mode: the signer pulls in AWS credential providers the other modes never need.
      const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
      return generateAuthToken({ region: tokenRegion });
    },
    now: Date.now,
  };
}

let cached: { key: string; source: Promise<KafkaJsOffsetsSource> } | undefined;

/**
 * The offsets source for these settings, built once and reused across warm Lambda invocations
 * (connections and coordinator lookups survive). A failed build is not cached, and every call a
 * build makes is bounded (see `defaultConnectDependencies`), so a hung endpoint fails this build and
 * the next tick builds again: a build never stays pending for good.
 */
export function sharedOffsetsSource(settings: KafkaSettings, deps: () => ConnectDependencies): Promise<KafkaJsOffsetsSource> {
  const key = JSON.stringify(settings);
  if (cached?.key !== key) {
    void cached?.source.then((old) => old.close()).catch(() => undefined);
    const source = resolveClientOptions(settings, deps()).then((options) => new KafkaJsOffsetsSource(options));
    cached = { key, source };
    source.catch(() => {
      if (cached?.source === source) cached = undefined;
    });
  }
  return cached.source;
}

/** KafkaJS's SASL failures: a SCRAM password rotated under a warm source, or a role that lost kafka-cluster:Connect. */
const AUTHENTICATION_FAILURE = /SASL|authenticat/i;

/**
 * Called with a group's read failure: an authentication failure drops the shared source, so the
 * next tick builds a new one, reading the SCRAM secret again (it is read once per build). Without
 * this a rotated password kept a warm controller blind until its next cold start.
 */
export function forgetSourceOnAuthenticationFailure(message: string | undefined, source: KafkaJsOffsetsSource): void {
  const current = cached;
  if (message === undefined || !AUTHENTICATION_FAILURE.test(message) || current === undefined) return;
  // Only the source the failing read used: a read abandoned at an earlier deadline must not close a newer one.
  void current.source
    .then((shared) => {
      if (shared !== source || cached !== current) return;
      cached = undefined;
      return shared.close();
    })
    .catch(() => undefined);
}

/** Closes the shared source (the CLI does, so the process can exit). */
export async function closeSharedOffsetsSource(): Promise<void> {
  const current = cached;
  cached = undefined;
  await current?.source.then((source) => source.close()).catch(() => undefined);
}
