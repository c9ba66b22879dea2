/**
 * `npm run demo`: the whole control loop on one machine, no AWS account needed.
 *
 *   producer ──► embedded Kafka (3 brokers, 12 partitions) ──► worker processes (one consumer group)
 *                       ▲ lag                                       ▲ started / stopped
 *   controller Lambda (handlers/controller.ts, every few s) ──► ECS stand-in (UpdateService)
 *
 * The controller is the production handler in its own process, reaching the stand-in through the
 * real AWS SDK (AWS_ENDPOINT_URL_ECS). The stand-in's desired count drives the worker pool, and
 * the pool reports back how many workers have joined the group (running) or not yet (pending).
 * Meanwhile the run is measured every second from Kafka's offsets (timeline.ts) for the live view,
 * the summary and the chart. Faults (a worker killed, a broker down) can be injected at set times.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { KafkaJsOffsetsSource } from '../../src/adapters/kafka/kafkajs-offsets-source.js';
import { tasksForCapacity } from '../../src/decision/capacity.js';
import { DEFAULT_POLICY } from '../../src/decision/index.js';
import { readLag } from '../../src/lag/read-lag.js';
import { type EcsStandIn, type RecordedCall, startEcsStandIn } from '../local-stack/ecs-stand-in.js';
import { buildMockClusterLauncher, startEmbeddedKafka } from '../local-stack/embedded-kafka.js';
import { loadTrace } from '../simulator/trace.js';
import { bundleDemoProcesses } from './bundle.js';
import { demoChartHtml } from './chart.js';
import { startControllerProcess, type TickRecord } from './controller-loop.js';
import { type DemoFaults, type FaultEvent, scheduleFaults } from './faults.js';
import { createLiveView, type ViewMode } from './live-view.js';
import { startProducer } from './producer.js';
import { screenshotChart } from './screenshot.js';
import {
  controllerEnvironment,
  controllerPolicy,
  DEFAULT_RUN_SECONDS,
  DEFAULT_TICK_SECONDS,
  DEMO_SERVICE,
  describeRun,
  FULL_CAPACITY,
  LAMBDA_TIMEOUT_SECONDS,
  WORKER_THROUGHPUT,
} from './settings.js';
import { Shutdown } from './shutdown.js';
import { type DemoSummary, formatSummary, summarizeDemo } from './summary.js';
import { Timeline, type TimelinePoint } from './timeline.js';
import { monthEndSpike, replayTrace, type Traffic } from './traffic.js';
import { type WorkerEvent, WorkerPool } from './worker-pool.js';

export interface DemoOptions {
  /** Stop after this many seconds (default: the traffic's length; the built-in spike takes DEFAULT_RUN_SECONDS). */
  seconds?: number;
  /** A `t_seconds,rate` CSV to replay instead of the built-in spike. */
  tracePath?: string;
  /** Trace seconds per real second (default: the whole trace fits the run). */
  speed?: number;
  /** The controller decides but never calls UpdateService. */
  dryRun?: boolean;
  tickSeconds?: number;
  /** Where the chart, the summary and the logs go (default: a new directory under the OS temp dir). */
  outDir?: string;
  /** Also save a PNG of the chart here (needs Chromium; how docs/demo-chart.png is made). */
  screenshotPath?: string;
  faults?: DemoFaults;
  /** Default: a live view on a terminal, plain lines otherwise. */
  view?: ViewMode | 'auto';
  /** Where the settings, the view and the summary are written (default stdout). */
  out?: NodeJS.WritableStream;
  /** Stops the run early (Ctrl-C); the summary still follows. */
  signal?: AbortSignal;
  /** The user's environment: its SCALER_* policy variables override the demo's (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface DemoResult {
  summary: DemoSummary;
  timeline: TimelinePoint[];
  ticks: TickRecord[];
  /** Every call the ECS stand-in received, through the real SDK. */
  ecsCalls: RecordedCall[];
  workerEvents: WorkerEvent[];
  faults: FaultEvent[];
  /** Epoch ms of second 0 (when the traffic started). */
  startedAt: number;
  /** Every process the demo started (workers, the controller): none is left when runDemo returns. */
  pids: number[];
  /** host:port of everything the demo listened on: all closed when runDemo returns. */
  addresses: string[];
  chartPath: string;
  outDir: string;
}

/** Bad flags, trace or settings: the CLI exits 2. */
export class DemoUsageError extends Error {
  override name = 'DemoUsageError';
}

/** Something the machine lacks: the CLI says what to install and exits 1. */
export class DemoSetupError extends Error {
  override name = 'DemoSetupError';
}

/** How long the first workers may take to join before the demo gives up. */
const WARM_UP_TIMEOUT_MS = 60_000;
const SAMPLE_INTERVAL_MS = 1_000;
/** How long an injected fault stays mentioned in the live view. */
const FAULT_NOTE_SECONDS = 10;

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const tickSeconds = options.tickSeconds ?? DEFAULT_TICK_SECONDS;
  const dryRun = options.dryRun ?? false;
  const traffic = loadTraffic(options);
  const runSeconds = options.seconds ?? traffic.durationSeconds;
  const { policy, fromUserEnv, problems } = controllerPolicy(tickSeconds, options.env ?? process.env);
  if (problems.length > 0) throw new DemoUsageError(`invalid policy settings in your environment:\n  ${problems.join('\n  ')}`);
  prepareEmbeddedKafka();

  const outDir = options.outDir ?? mkdtempSync(join(tmpdir(), 'kafka-lag-scaler-demo-'));
  mkdirSync(outDir, { recursive: true });
  const { group, topic, cluster, service, partitions } = DEMO_SERVICE;
  const utilization = policy.targetUtilization ?? DEFAULT_POLICY.targetUtilization;
  // The service starts settled for the calm before the spike, as a real one would be.
  const initialDesired = Math.max(1, tasksForCapacity(traffic.rateAt(0) / utilization, WORKER_THROUGHPUT, partitions));

  const shutdown = new Shutdown();
  const addresses: string[] = [];
  const faults: FaultEvent[] = [];
  const ticks: TickRecord[] = [];
  let ecs: EcsStandIn | undefined;
  let pool: WorkerPool | undefined;
  let controllerPid: number | undefined;
  let timeline: Timeline | undefined;
  let startedAt = Date.now();
  let endedAt: number | undefined;
  try {
    const buildDir = mkdtempSync(join(tmpdir(), 'kafka-lag-scaler-demo-build-'));
    shutdown.release(() => rmSync(buildDir, { recursive: true, force: true }));
    const bundles = await bundleDemoProcesses(buildDir);

    const kafka = await startEmbeddedKafka({ brokers: DEMO_SERVICE.brokers, topics: { [topic]: partitions } });
    shutdown.release(() => kafka.stop());
    addresses.push(...kafka.bootstrapServers);

    const stand = await startEcsStandIn({
      services: [{ cluster, service, desiredCount: initialDesired, runningCount: 0 }],
      taskCounting: 'external',
      onDesiredCountChange: (_cluster, _service, desired) => pool?.setDesiredCount(desired),
    });
    ecs = stand;
    shutdown.release(() => stand.stop());
    addresses.push(new URL(stand.url).host);

    const workerLog = openLog(outDir, 'workers.log', shutdown);
    const workers = new WorkerPool({
      script: bundles.worker,
      settings: {
        brokers: kafka.bootstrapServers,
        topic,
        group,
        costMs: DEMO_SERVICE.messageCostMs,
        startupMs: DEMO_SERVICE.workerStartupSeconds * 1000,
      },
      logFd: workerLog,
      onCountsChange: ({ running, pending }) => stand.setRunningCount(cluster, service, running, pending),
    });
    pool = workers;
    shutdown.halt(() => workers.stop());

    const controller = await startControllerProcess({
      script: bundles.controller,
      env: controllerEnvironment(policy, { bootstrapServers: kafka.bootstrapServers, ecsUrl: stand.url, dryRun }),
      tickSeconds,
      timeoutSeconds: LAMBDA_TIMEOUT_SECONDS,
      logFd: openLog(outDir, 'controller.log', shutdown),
      onTick: (tick) => ticks.push(tick),
    });
    shutdown.halt(() => controller.stop());
    controllerPid = controller.pid;

    out.write(
      describeRun({
        traffic: traffic.description,
        runSeconds,
        tickSeconds,
        dryRun,
        policy,
        fromUserEnv,
        bootstrapServers: kafka.bootstrapServers,
        ecsUrl: stand.url,
        outDir,
      }),
    );
    out.write(`Starting ${initialDesired} workers and waiting for them to join the group…\n`);
    workers.startRunning(initialDesired);
    const warm = await waitFor(() => workers.counts().running >= initialDesired, WARM_UP_TIMEOUT_MS, options.signal);
    if (!warm && !options.signal?.aborted) {
      throw new Error(
        `the first ${initialDesired} workers did not join the group within ${WARM_UP_TIMEOUT_MS / 1000} s; see ${join(outDir, 'workers.log')}`,
      );
    }

    startedAt = Date.now();
    const producer = await startProducer({ brokers: kafka.bootstrapServers, topic, partitions, traffic, startedAt });
    shutdown.halt(() => producer.stop());
    const lagSource = new KafkaJsOffsetsSource({
      brokers: kafka.bootstrapServers,
      clientId: 'demo-meter',
      ssl: false,
      connectTimeoutMs: 500,
      requestTimeoutMs: 1_000,
      coordinatorRetries: 1,
    });
    shutdown.release(() => lagSource.close());
    const measured = new Timeline(startedAt, WORKER_THROUGHPUT, partitions);
    timeline = measured;
    const view = createLiveView(resolveViewMode(options.view, out), out);
    shutdown.release(() => view.close());
    controller.start();

    const seconds = () => (Date.now() - startedAt) / 1000;
    const sample = async () => {
      const at = Date.now();
      const [lag] = await readLag(lagSource, [{ group, topics: [topic] }], { resetPolicy: 'earliest', concurrency: 1 });
      const counts = stand.getService(cluster, service);
      const point = measured.record({
        at,
        offeredRate: traffic.rateAt((at - startedAt) / 1000),
        lag: lag && !lag.incomplete ? lag : null,
        desired: counts.desiredCount,
        running: counts.runningCount,
        pending: counts.pendingCount,
      });
      const lastTick = ticks.at(-1);
      view.update({
        elapsedSeconds: seconds(),
        runSeconds,
        phase: traffic.phaseAt(seconds()),
        sloTimeLagSeconds: DEMO_SERVICE.sloTimeLagSeconds,
        dryRun,
        point,
        lastTick,
        lastTickSeconds: lastTick ? (lastTick.scheduledAt - startedAt) / 1000 : 0,
        notes: faults.filter((f) => f.t > seconds() - FAULT_NOTE_SECONDS).map((f) => `${f.description} at ${Math.round(f.t)} s`),
      });
    };
    shutdown.halt(repeat(sample, SAMPLE_INTERVAL_MS));

    scheduleFaults(options.faults ?? {}, { kafka, workers, seconds, record: (fault) => faults.push(fault), shutdown });

    await waitFor(() => seconds() >= runSeconds, runSeconds * 1000 + 1_000, options.signal);
    endedAt = Date.now();
  } finally {
    await shutdown.run();
  }

  const summary = summarizeDemo({
    seconds: ((endedAt ?? Date.now()) - startedAt) / 1000,
    traffic: traffic.description,
    dryRun,
    sloTimeLagSeconds: DEMO_SERVICE.sloTimeLagSeconds,
    timeline: timeline?.points ?? [],
    ticks,
    updateServiceCalls: ecs?.callsOf('UpdateService') ?? [],
    initialDesired,
    startedAt,
  });
  const chartPath = join(outDir, 'chart.html');
  writeFileSync(
    chartPath,
    demoChartHtml({ timeline: timeline?.points ?? [], ticks, summary, startedAt, faults, objectiveSeconds: policy.maxTimeLagSeconds ?? 0 }),
  );
  if (options.screenshotPath) await screenshotChart(chartPath, options.screenshotPath);
  const summaryText = formatSummary(summary, { chart: chartPath, outDir });
  writeFileSync(join(outDir, 'summary.txt'), `${summaryText}\n`);
  out.write(`\n${summaryText}\n`);
  return {
    summary,
    timeline: timeline?.points ?? [],
    ticks,
    ecsCalls: [...(ecs?.calls ?? [])],
    workerEvents: pool?.events ?? [],
    faults,
    startedAt,
    pids: [...(controllerPid === undefined ? [] : [controllerPid]), ...(pool?.pids ?? [])],
    addresses,
    chartPath,
    outDir,
  };
}

/** The built-in month-end spike, or the given trace, fitted to the run's length. */
function loadTraffic(options: DemoOptions): Traffic {
  const fitSeconds = options.seconds ?? DEFAULT_RUN_SECONDS;
  if (options.tracePath === undefined) return monthEndSpike(fitSeconds, FULL_CAPACITY);
  try {
    return replayTrace(loadTrace(options.tracePath, basename(options.tracePath)), {
      fitSeconds,
      fullCapacity: FULL_CAPACITY,
      ...(options.speed ? { speed: options.speed } : {}),
    });
  } catch (error) {
    throw new DemoUsageError(`--trace ${options.tracePath}: ${(error as Error).message}`);
  }
}

/** Compiles the embedded Kafka's launcher if needed, or says exactly what to install. */
function prepareEmbeddedKafka(): void {
  try {
    buildMockClusterLauncher();
  } catch (error) {
    throw new DemoSetupError(
      `${(error as Error).message.trim()}\nInstall what the demo needs, then run it again:\n  apt-get install -y librdkafka-dev gcc`,
    );
  }
}

/** The live view on a terminal; one line per tick otherwise (a pipe, a CI log). */
function resolveViewMode(view: DemoOptions['view'], out: NodeJS.WritableStream): ViewMode {
  if (view !== undefined && view !== 'auto') return view;
  return 'isTTY' in out && out.isTTY ? 'live' : 'lines';
}

/** A log file in the run's directory for a child process's output, closed at shutdown. */
function openLog(outDir: string, name: string, shutdown: Shutdown): number {
  const fd = openSync(join(outDir, name), 'a');
  shutdown.release(() => closeSync(fd));
  return fd;
}

/** Runs `task` every `intervalMs`, skipping a beat while the previous run is still going; returns the stop. */
function repeat(task: () => Promise<void>, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= task()
      .catch(() => undefined)
      .finally(() => (running = undefined));
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** Resolves true once `condition` holds, false on timeout or abort (checked every 100 ms). */
function waitFor(condition: () => boolean, timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = () => {
      if (condition()) return resolve(true);
      if (signal?.aborted || Date.now() >= deadline) return resolve(false);
      setTimeout(check, 100);
    };
    check();
  });
}
