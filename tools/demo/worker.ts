/**
 * One task of the demo's consumer service, run as its own process by the worker pool: it waits its
 * start-up delay (as a Fargate task takes to pull and boot), joins the consumer group with KafkaJS,
 * and processes one message at a time at a fixed cost, so its throughput is 1000 / costMs msgs/s
 * however many partitions it owns. Offsets are committed every second, as real consumers do.
 *
 * It tells the pool over IPC when it has joined the group (`{ type: 'joined' }`). SIGTERM
 * leaves the group cleanly (ECS stopping a task); a closed IPC channel means the demo is gone, and
 * the worker exits at once so nothing outlives it. Ctrl-C reaches every process in the terminal's
 * group: the worker ignores it and waits for the demo to stop it in order.
 */
import { type Consumer, Kafka, logLevel, type PartitionAssigner, PartitionAssigners } from 'kafkajs';

export interface WorkerSettings {
  brokers: string[];
  topic: string;
  group: string;
  /** Milliseconds of work per message. */
  costMs: number;
  /** Milliseconds before the worker connects, like a task's provisioning and boot. */
  startupMs: number;
  /** Client id, so the worker is recognisable among the group's members. */
  clientId: string;
}

export type WorkerMessage = { type: 'joined' };

/**
 * Group timings short enough for a minutes-long demo: a dead worker is noticed within seconds, and
 * librdkafka's mock coordinator waits session timeout − 1 s for members to rejoin a rebalance.
 */
const GROUP_TIMINGS = { sessionTimeout: 3_000, rebalanceTimeout: 3_000, heartbeatInterval: 500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * KafkaJS's round-robin assignment, handed out a moment late. librdkafka's mock coordinator ends a
 * rebalance as soon as the leader's SyncGroup arrives and answers any member whose SyncGroup comes
 * after it with INVALID_REQUEST (a real broker waits for every member), which KafkaJS treats as
 * fatal. On a busy machine that happens to a few workers in most rebalances, and each one's
 * rejoining starts another. The leader waiting first lets the other members' SyncGroups arrive.
 */
const FOLLOWERS_HEAD_START_MS = 750;
const patientRoundRobin: PartitionAssigner = (config) => {
  const roundRobin = PartitionAssigners.roundRobin(config);
  return {
    ...roundRobin,
    assign: async (group) => {
      await sleep(FOLLOWERS_HEAD_START_MS);
      return roundRobin.assign(group);
    },
  };
};

/** One line to the run's workers.log. */
function log(settings: WorkerSettings, message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${settings.clientId} ${message}\n`);
}

async function runWorker(settings: WorkerSettings): Promise<void> {
  const kafka = new Kafka({ brokers: settings.brokers, clientId: settings.clientId, logLevel: logLevel.NOTHING });
  let consumer: Consumer | undefined;
  let stopping = false;

  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => {
    stopping = true;
    // Disconnecting finishes the current message, commits, and leaves the group.
    void (consumer?.disconnect() ?? Promise.resolve()).finally(() => process.exit(0));
  });

  // Paced, not merely delayed: each message finishes costMs after the previous one (catching up on
  // up to one message of timer lateness), so jitter does not lower the throughput the controller is told.
  let nextFinish = 0;
  const processMessage = async () => {
    nextFinish = Math.max(nextFinish, Date.now() - settings.costMs) + settings.costMs;
    await sleep(nextFinish - Date.now());
  };

  const consume = async (): Promise<void> => {
    const current = kafka.consumer({
      groupId: settings.group,
      ...GROUP_TIMINGS,
      partitionAssigners: [patientRoundRobin],
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 64 * 1024,
    });
    consumer = current;
    current.on(current.events.GROUP_JOIN, ({ payload }) => {
      const partitions = Object.values(payload.memberAssignment).reduce((sum, ids) => sum + ids.length, 0);
      log(settings, `joined the group after ${payload.duration} ms: ${partitions} partitions`);
      process.send?.({ type: 'joined' } satisfies WorkerMessage);
    });
    current.on(current.events.REBALANCING, () => log(settings, 'rebalancing'));
    // KafkaJS restarts by itself after retriable errors. After any other (such as the mock's rejected
    // SyncGroup, above), rejoin with a fresh consumer, as a supervisor would restart it.
    current.on(current.events.CRASH, ({ payload }) => {
      log(settings, `consumer failed: ${payload.error.message}${payload.restart ? ' (KafkaJS restarts it)' : ''}`);
      if (!payload.restart && !stopping) consume().catch(() => process.exit(1));
    });
    await current.connect();
    await current.subscribe({ topic: settings.topic, fromBeginning: true });
    await current.run({ autoCommitInterval: 1_000, partitionsConsumedConcurrently: 1, eachMessage: processMessage });
  };

  await sleep(settings.startupMs);
  log(settings, 'started');
  if (!stopping) await consume();
}

const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings;
// A worker that cannot reach Kafka at all fails like a task that does not start; the pool replaces it.
runWorker(settings).catch(() => process.exit(1));
