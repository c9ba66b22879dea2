/**
 * bench:lag — reads the lag of 200 consumer groups over 100 topics × 24 partitions on a 3-broker
 * embedded cluster, with our reader and with the naive KafkaJS admin approach, in the same run.
 * Counts Kafka requests by API (KafkaJS instrumentation) and wall time. Last line: one JSON object.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { KafkaJsOffsetsSource } from '../src/adapters/kafka/kafkajs-offsets-source.js';
import { readLag } from '../src/lag/read-lag.js';
import { startEmbeddedKafka } from '../tools/local-stack/embedded-kafka.js';

const BROKERS = 3;
const TOPICS = 100;
const PARTITIONS = 24;
const GROUPS = 200;
const ROUNDS = 5;

const topicName = (t: number) => `bench-topic-${t}`;
/** Group g consumes two topics, so groups share topics as real services do. */
const topicsOf = (g: number) => [topicName(g % TOPICS), topicName((g * 7 + 3) % TOPICS)].filter((t, i, all) => all.indexOf(t) === i);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const show = (counts: Map<string, number>) => [...counts].map(([api, n]) => `${api}=${n}`).join(' ');

async function main() {
  const topics = Object.fromEntries(Array.from({ length: TOPICS }, (_, t) => [topicName(t), PARTITIONS]));
  const kafka = await startEmbeddedKafka({ brokers: BROKERS, topics });
  try {
    console.log(`seeding ${TOPICS} topics × ${PARTITIONS} partitions and ${GROUPS} groups on ${BROKERS} brokers…`);
    const client = new Kafka({ brokers: kafka.bootstrapServers, logLevel: logLevel.NOTHING, clientId: 'bench-seeder' });
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.sendBatch({
      topicMessages: Object.keys(topics).map((topic, t) => ({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, partition) =>
          Array.from({ length: 1 + ((t + partition) % 5) }, () => ({ partition, value: 'm' })),
        ).flat(),
      })),
    });
    await producer.disconnect();
    for (let g = 0; g < GROUPS; g++) {
      await kafka.commitOffsets(
        `bench-group-${g}`,
        topicsOf(g).flatMap((topic) =>
          Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, offset: (g + partition) % 2 })),
        ),
      );
    }
    const groups = Array.from({ length: GROUPS }, (_, g) => ({ group: `bench-group-${g}`, topics: topicsOf(g) }));
    const partitions = groups.reduce((sum, g) => sum + g.topics.length * PARTITIONS, 0);

    // Ours: one source reused across reads, as across warm Lambda invocations.
    const source = new KafkaJsOffsetsSource({
      brokers: kafka.bootstrapServers,
      clientId: 'bench-ours',
      ssl: false,
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 10_000,
      coordinatorRetries: 3,
    });
    const ours = new Map<string, number>();
    source.onRequest((api) => ours.set(api, (ours.get(api) ?? 0) + 1));
    const oursMs: number[] = [];
    let coldRequests = new Map<string, number>();
    let oursTotalLag = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      ours.clear();
      const started = performance.now();
      const lags = await readLag(source, groups, { resetPolicy: 'latest', concurrency: 20 });
      const elapsed = performance.now() - started;
      if (lags.some((l) => l.status !== 'ok'))
        throw new Error(`our read was not ok: ${JSON.stringify(lags.find((l) => l.status !== 'ok'))}`);
      oursTotalLag = lags.reduce((sum, l) => sum + l.totalLag, 0);
      if (round === 0) coldRequests = new Map(ours);
      else oursMs.push(elapsed);
    }
    const warmRequests = new Map(ours);
    await source.close();

    // Naive: KafkaJS admin, fetchOffsets per group and fetchTopicOffsets per topic.
    const admin = new Kafka({ brokers: kafka.bootstrapServers, logLevel: logLevel.NOTHING, clientId: 'bench-naive' }).admin();
    const naive = new Map<string, number>();
    admin.on(admin.events.REQUEST, (event) => naive.set(event.payload.apiName, (naive.get(event.payload.apiName) ?? 0) + 1));
    await admin.connect();
    const naiveMs: number[] = [];
    let naiveTotalLag = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      naive.clear();
      const started = performance.now();
      const topicOffsets = new Map<string, Map<number, number>>();
      // One topic at a time: KafkaJS's fetchTopicOffsets fails when called concurrently.
      for (const topic of new Set(groups.flatMap((g) => g.topics))) {
        const offsets = await admin.fetchTopicOffsets(topic);
        topicOffsets.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      }
      const committed = await Promise.all(groups.map((g) => admin.fetchOffsets({ groupId: g.group, topics: g.topics })));
      naiveTotalLag = committed
        .flat()
        .reduce(
          (sum, { topic, partitions: ps }) =>
            sum + ps.reduce((s, p) => s + Math.max(0, (topicOffsets.get(topic)?.get(p.partition) ?? 0) - Math.max(0, Number(p.offset))), 0),
          0,
        );
      if (round > 0) naiveMs.push(performance.now() - started);
    }
    await admin.disconnect();
    if (naiveTotalLag !== oursTotalLag) throw new Error(`readers disagree: ours ${oursTotalLag}, naive ${naiveTotalLag}`);

    const minimumRequests = 1 + 2 * BROKERS + GROUPS;
    const requests = total(warmRequests);
    const naiveRequests = total(naive);
    console.log(`\ngroups ${GROUPS}, partitions read ${partitions}, total lag ${oursTotalLag} (both readers agree)`);
    console.log(`ours  (first read) : ${total(coldRequests)} requests  ${show(coldRequests)}`);
    console.log(`ours  (warm read)  : ${requests} requests  ${show(warmRequests)}  median ${median(oursMs).toFixed(0)} ms`);
    console.log(`naive (warm read)  : ${naiveRequests} requests  ${show(naive)}  median ${median(naiveMs).toFixed(0)} ms`);
    console.log(`protocol floor     : ${minimumRequests} requests (1 Metadata + ${2 * BROKERS} ListOffsets + ${GROUPS} OffsetFetch)`);
    console.log(
      `ratio requests/naive ${(requests / naiveRequests).toFixed(3)} (target ≤ 0.5), ours/floor ${(requests / minimumRequests).toFixed(3)}, time ${median(oursMs).toFixed(0)} ms (target ≤ 1000)`,
    );
    console.log(
      JSON.stringify({
        groups: GROUPS,
        partitions,
        requests,
        naiveRequests,
        minimumRequests,
        ms: Math.round(median(oursMs)),
        naiveMs: Math.round(median(naiveMs)),
      }),
    );
  } finally {
    await kafka.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
