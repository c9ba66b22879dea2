/**
 * The embedded Kafka cluster: librdkafka's mock cluster (real wire protocol, loopback only)
 * run by our small launcher, `mock-cluster.c`, compiled on first use against Debian's
 * librdkafka-dev. Tests, benchmarks and the local demo start it through this module.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const launcherSource = join(here, 'mock-cluster.c');
const rdkafkaMockHeader = '/usr/include/librdkafka/rdkafka_mock.h';

/** Kafka protocol API keys the fault commands take. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  DescribeGroups: 15,
  ApiVersions: 18,
} as const;

/** Kafka protocol error codes useful for fault injection. */
export const KafkaErrorCode = {
  UnknownTopicOrPartition: 3,
  LeaderNotAvailable: 5,
  NotLeaderForPartition: 6,
  RequestTimedOut: 7,
  CoordinatorLoadInProgress: 14,
  CoordinatorNotAvailable: 15,
  NotCoordinator: 16,
  TopicAuthorizationFailed: 29,
  UnknownServerError: -1,
} as const;

export interface EmbeddedKafkaOptions {
  /** Brokers in the cluster (ids 1..brokers). */
  brokers?: number;
  /** Topics created at start: name → partition count. */
  topics?: Record<string, number>;
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: number;
}

export interface EmbeddedKafka {
  /** host:port of every broker, for KAFKA_BROKERS or a client's `brokers`. */
  readonly bootstrapServers: string[];
  createTopic(name: string, partitions: number): Promise<void>;
  /** Disconnect a broker and refuse new connections (-1: every broker). */
  brokerDown(brokerId: number): Promise<void>;
  brokerUp(brokerId: number): Promise<void>;
  /** Add round-trip latency to a broker's responses (-1: every broker). */
  setLatency(brokerId: number, milliseconds: number): Promise<void>;
  /** Fail the next `count` requests of an API cluster-wide with a Kafka error code. */
  failRequests(apiKey: number, errorCode: number, count?: number): Promise<void>;
  clearFailures(apiKey: number): Promise<void>;
  /** Answer Metadata for a topic with a topic-level error code (0: clear it). */
  setTopicError(topic: string, errorCode: number): Promise<void>;
  /** Make a broker the leader of a partition (-1: leaderless). */
  setLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  /** Make a broker the coordinator of a consumer group. */
  setGroupCoordinator(group: string, brokerId: number): Promise<void>;
  /** Commit offsets for a group as a standalone consumer would (a real OffsetCommit request). */
  commitOffsets(group: string, offsets: OffsetToCommit[]): Promise<void>;
  stop(): Promise<void>;
}

/** Compiles the launcher once per source version and returns the binary's path. */
export function buildMockClusterLauncher(cacheDir = defaultCacheDir()): string {
  const source = readFileSync(launcherSource);
  const version = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const binary = join(cacheDir, `mock-cluster-${version}`);
  if (existsSync(binary)) return binary;
  if (!existsSync(rdkafkaMockHeader)) {
    throw new Error(
      `The embedded Kafka needs librdkafka's mock cluster (${rdkafkaMockHeader}). Install it with: apt-get install -y librdkafka-dev`,
    );
  }
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O2', '-o', partial, launcherSource, '-lrdkafka'], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`Could not compile the embedded Kafka launcher (needs cc and librdkafka-dev): ${stderr}`);
  }
  // Rename is atomic: concurrent first uses never run a half-written binary.
  renameSync(partial, binary);
  return binary;
}

function defaultCacheDir(): string {
  return join(here, '..', '..', 'node_modules', '.cache', 'kafka-lag-scaler');
}

export async function startEmbeddedKafka(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
  const brokers = options.brokers ?? 1;
  const topicArgs = Object.entries(options.topics ?? {}).map(([name, partitions]) => `${name}:${partitions}`);
  const launcher = buildMockClusterLauncher();
  const child = spawn(launcher, [String(brokers), ...topicArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const first = await Promise.race([
    lines.next(),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`embedded Kafka exited (${code}): ${stderr.trim()}`)))),
  ]);
  const banner = first.done ? '' : first.value;
  if (!banner.startsWith('bootstrap ')) {
    child.kill();
    throw new Error(`embedded Kafka did not start: ${banner || stderr.trim()}`);
  }
  return new LauncherClient(child, lines, banner.slice('bootstrap '.length).split(','));
}

/** Talks to a running launcher: one command line out, one answer line back, in order. */
class LauncherClient implements EmbeddedKafka {
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    readonly bootstrapServers: string[],
  ) {
    // A launcher that dies mid-write is reported by its exit, not by a crash of ours on EPIPE.
    child.stdin.on('error', () => undefined);
  }

  createTopic(name: string, partitions: number) {
    return this.command(`topic ${name} ${partitions}`);
  }
  brokerDown(brokerId: number) {
    return this.command(`down ${brokerId}`);
  }
  brokerUp(brokerId: number) {
    return this.command(`up ${brokerId}`);
  }
  setLatency(brokerId: number, milliseconds: number) {
    return this.command(`rtt ${brokerId} ${milliseconds}`);
  }
  failRequests(apiKey: number, errorCode: number, count = 1) {
    return this.command(`error ${apiKey} ${errorCode} ${count}`);
  }
  clearFailures(apiKey: number) {
    return this.command(`clear ${apiKey}`);
  }
  setTopicError(topic: string, errorCode: number) {
    return this.command(`topicerror ${topic} ${errorCode}`);
  }
  setLeader(topic: string, partition: number, brokerId: number) {
    return this.command(`leader ${topic} ${partition} ${brokerId}`);
  }
  setGroupCoordinator(group: string, brokerId: number) {
    return this.command(`coordinator group ${group} ${brokerId}`);
  }
  commitOffsets(group: string, offsets: OffsetToCommit[]) {
    const triples = offsets.map((o) => `${o.topic} ${o.partition} ${o.offset}`).join(' ');
    return this.command(`commit ${group} ${triples}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // A launcher that already died (an exit, or a signal) has nothing left to stop.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end('quit\n');
    const forced = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(forced);
  }

  private command(line: string): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('embedded Kafka is stopped'));
    const run = this.queue.then(async () => {
      this.child.stdin.write(`${line}\n`);
      const answer = await this.lines.next();
      if (answer.done) throw new Error(`embedded Kafka exited while running "${line}"`);
      if (answer.value !== 'ok') throw new Error(`embedded Kafka: "${line}" failed: ${answer.value}`);
    });
    // Keep the queue going after a failed command; the caller still sees the failure.
    this.queue = run.catch(() => undefined);
    return run;
  }
}
