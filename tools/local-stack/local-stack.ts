/**
 * Everything the CLI talks to, on this machine (`npm run local`): the embedded Kafka with a topic
 * whose consumer group has a backlog and keeps moving (a producer adds messages every second and
 * the group commits as a consumer working through them would), the ECS stand-in with the group's
 * service, and the CloudWatch stand-in the CLI reads history from (and writes to with
 * --publish-metrics). `env` is what to export for the CLI to use it.
 */
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { type CloudWatchStandIn, startCloudWatchStandIn } from './cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from './ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from './embedded-kafka.js';

export interface LocalStackOptions {
  /** Messages waiting per partition at the start. */
  backlogPerPartition?: number;
  /** Messages produced per second, over all partitions. */
  produceRate?: number;
  /** Messages the group commits per second, over all partitions (as far as there are any). */
  consumeRate?: number;
}

export interface LocalStack {
  /** The environment the CLI needs: brokers, endpoints, dummy credentials and region, the target. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const TOPIC = 'orders';
const GROUP = 'orders-consumer';
const PARTITIONS = 6;
const CLUSTER = 'local';
const SERVICE = 'orders-worker';
const TICK_MS = 1_000;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const backlog = options.backlogPerPartition ?? 500;
  const produceRate = options.produceRate ?? 30;
  const consumeRate = options.consumeRate ?? 30;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const kafka = await startEmbeddedKafka({ brokers: 1, topics: { [TOPIC]: PARTITIONS } });
    started.push(kafka);
    const ecs = await startEcsStandIn({ region: 'eu-west-1', services: [{ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }] });
    started.push(ecs);
    const cloudwatch = await startCloudWatchStandIn();
    started.push(cloudwatch);
    const traffic = await startTraffic(kafka, { backlog, produceRate, consumeRate });
    started.push(traffic);
    return { env: environment(kafka, ecs, cloudwatch), stop: () => stopAll(started) };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Newest first, so the traffic stops before the Kafka it talks to. */
async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const part of started.toReversed()) await part.stop();
}

function environment(kafka: EmbeddedKafka, ecs: EcsStandIn, cloudwatch: CloudWatchStandIn): Record<string, string> {
  return {
    KAFKA_BROKERS: kafka.bootstrapServers.join(','),
    KAFKA_AUTH_MODE: 'none',
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    // The stand-ins take any signature; the SDK needs some credentials and a region to sign with.
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    SCALER_TARGETS: JSON.stringify([{ name: TOPIC, group: GROUP, topics: [TOPIC], cluster: CLUSTER, service: SERVICE }]),
  };
}

/**
 * The backlog, then every second: `produceRate` new messages spread over the partitions, and the
 * group's committed offsets `consumeRate` further on (never past the log end), each commit a real
 * OffsetCommit, as a consumer's would be.
 */
async function startTraffic(
  kafka: EmbeddedKafka,
  rates: { backlog: number; produceRate: number; consumeRate: number },
): Promise<{ stop(): Promise<void> }> {
  const producer = new Kafka({ brokers: kafka.bootstrapServers, clientId: 'local-stack', logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const logEnd = Array.from({ length: PARTITIONS }, () => 0);
  const committed = Array.from({ length: PARTITIONS }, () => 0);
  await produceEach(producer, logEnd, rates.backlog);
  await kafka.commitOffsets(GROUP, committedOffsets(committed));

  let stopped = false;
  let round = Promise.resolve();
  const timer = setInterval(() => {
    round = round.then(async () => {
      if (stopped) return;
      await produceEach(producer, logEnd, rates.produceRate / PARTITIONS);
      for (const p of committed.keys()) committed[p] = Math.min(logEnd[p]!, committed[p]! + Math.round(rates.consumeRate / PARTITIONS));
      await kafka.commitOffsets(GROUP, committedOffsets(committed));
    });
    // A failed round (Kafka stopping under it) is not worth a crash: the next one tries again.
    round = round.catch(() => undefined);
  }, TICK_MS);

  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await round;
      await producer.disconnect();
    },
  };
}

async function produceEach(producer: Producer, logEnd: number[], perPartition: number): Promise<void> {
  const count = Math.round(perPartition);
  if (count === 0) return;
  await producer.send({
    topic: TOPIC,
    messages: logEnd.flatMap((_, partition) => Array.from({ length: count }, () => ({ partition, value: 'order' }))),
  });
  for (const p of logEnd.keys()) logEnd[p]! += count;
}

function committedOffsets(committed: number[]) {
  return committed.map((offset, partition) => ({ topic: TOPIC, partition, offset }));
}
