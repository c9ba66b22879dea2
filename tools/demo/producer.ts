/**
 * The demo's producer: a KafkaJS producer that every 100 ms sends what the traffic asked for since
 * its last send, spread round-robin over the partitions. A send that fails (a broker down) is
 * dropped rather than made up for later in a burst, as a producer that gives up on a batch would.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Traffic } from './traffic.js';

export interface DemoProducer {
  /** Messages acknowledged by Kafka. */
  readonly acknowledged: number;
  /** Messages in batches that failed and were dropped. */
  readonly dropped: number;
  stop(): Promise<void>;
}

export interface ProducerOptions {
  brokers: string[];
  topic: string;
  partitions: number;
  traffic: Traffic;
  /** Epoch ms of the traffic's second 0. */
  startedAt: number;
}

const SEND_INTERVAL_MS = 100;

export async function startProducer(options: ProducerOptions): Promise<DemoProducer> {
  const producer = new Kafka({ brokers: options.brokers, clientId: 'demo-producer', logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    // Give up on a batch within about a second: the traffic goes on, and a broker outage shows as dropped messages.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
  });
  await producer.connect();

  const state = { acknowledged: 0, dropped: 0 };
  let owed = 0;
  let lastAt = Date.now();
  let nextPartition = 0;
  let inFlight: Promise<void> | undefined;

  const timer = setInterval(() => {
    const now = Date.now();
    owed += (options.traffic.rateAt((now - options.startedAt) / 1000) * (now - lastAt)) / 1000;
    lastAt = now;
    const count = Math.floor(owed);
    if (inFlight || count === 0) return;
    owed -= count;
    const messages = Array.from({ length: count }, () => {
      nextPartition = (nextPartition + 1) % options.partitions;
      return { partition: nextPartition, value: String(now) };
    });
    inFlight = producer
      .send({ topic: options.topic, messages })
      .then(
        () => {
          state.acknowledged += count;
        },
        () => {
          state.dropped += count;
        },
      )
      .finally(() => (inFlight = undefined));
  }, SEND_INTERVAL_MS);

  return {
    get acknowledged() {
      return state.acknowledged;
    },
    get dropped() {
      return state.dropped;
    },
    // A send in flight ends with the connection (counted as dropped): with a broker gone it could
    // otherwise hold the shutdown for its whole retry time.
    stop: async () => {
      clearInterval(timer);
      await producer.disconnect();
    },
  };
}
