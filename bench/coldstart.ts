/**
 * bench:coldstart — the controller bundle's size, and the time for a fresh Node.js process to load
 * it and run its first dry-run tick against the embedded Kafka and the local ECS stand-in, beside a
 * bare `node -e 0` start measured in the same run. Last line: one JSON object.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { BUNDLES, buildAll } from '../scripts/build.js';
import { startCloudWatchStandIn } from '../tools/local-stack/cloudwatch-stand-in.js';
import { startEcsStandIn } from '../tools/local-stack/ecs-stand-in.js';
import { startEmbeddedKafka } from '../tools/local-stack/embedded-kafka.js';

const ROUNDS = 9;
const TARGET_EXTRA_MS = 300;
const TARGET_BUNDLE_BYTES = 1_000_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Wall time of a fresh Node.js process (asynchronous: the ECS stand-in in this process must keep serving). */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${output}`));
    });
  });
}

async function main() {
  const sizes = await buildAll();
  const bundle = join(process.cwd(), BUNDLES['handlers/controller.ts']);
  const bundleBytes = statSync(bundle).size;

  const kafka = await startEmbeddedKafka({ brokers: 3, topics: { 'loan-events': 12 } });
  const ecs = await startEcsStandIn({ services: [{ cluster: 'prod', service: 'loan-worker', desiredCount: 2, runningCount: 2 }] });
  // A cold dry run reads its history back from CloudWatch (GetMetricData), as in Lambda: locally, not across the internet.
  const cloudwatch = await startCloudWatchStandIn();
  const work = mkdtempSync(join(tmpdir(), 'coldstart-'));
  try {
    const producer = new Kafka({ brokers: kafka.bootstrapServers, logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({ topic: 'loan-events', messages: Array.from({ length: 1200 }, (_, i) => ({ partition: i % 12, value: 'loan' })) });
    await producer.disconnect();
    await kafka.commitOffsets(
      'loan-approvals',
      Array.from({ length: 12 }, (_, partition) => ({ topic: 'loan-events', partition, offset: 40 })),
    );

    const runner = join(work, 'first-tick.mjs');
    writeFileSync(
      runner,
      `const { handler } = await import(${JSON.stringify(bundle)});
const context = { functionName: 'kafka-lag-scaler', awsRequestId: 'bench', getRemainingTimeInMillis: () => 60000 };
const result = await handler({ dryRun: true, sampleSeconds: 0 }, context);
if (result.errors.length > 0 || result.decisions.length !== 1) { console.error(JSON.stringify(result)); process.exit(1); }
process.exit(0);
`,
    );
    const env = {
      PATH: process.env.PATH,
      KAFKA_BROKERS: kafka.bootstrapServers.join(','),
      KAFKA_AUTH_MODE: 'none',
      SCALER_TARGETS: JSON.stringify([
        { name: 'loans', group: 'loan-approvals', topics: ['loan-events'], cluster: 'prod', service: 'loan-worker', maxTasks: 12 },
      ]),
      AWS_ENDPOINT_URL_ECS: ecs.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };

    const bare: number[] = [];
    const loadAndTick: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await timeProcess(['-e', '0'], env));
      loadAndTick.push(await timeProcess([runner], env));
    }
    const bareNodeMs = Math.round(median(bare));
    const loadAndTickMs = Math.round(median(loadAndTick));

    for (const [file, bytes] of Object.entries(sizes)) console.log(`bundle ${file}: ${bytes} bytes (${(bytes / 1024).toFixed(0)} KiB)`);
    console.log(`bare node -e 0          : median ${bareNodeMs} ms over ${ROUNDS} runs`);
    console.log(
      `load bundle + first tick: median ${loadAndTickMs} ms over ${ROUNDS} runs (dry run, 12 partitions, 3 brokers, ECS stand-in)`,
    );
    console.log(
      `extra over bare node ${loadAndTickMs - bareNodeMs} ms (target ≤ ${TARGET_EXTRA_MS}); bundle ${bundleBytes} bytes (target ≤ ${TARGET_BUNDLE_BYTES}): ${loadAndTickMs - bareNodeMs <= TARGET_EXTRA_MS && bundleBytes <= TARGET_BUNDLE_BYTES ? 'PASS' : 'FAIL'}`,
    );
    console.log(JSON.stringify({ bundleBytes, loadAndTickMs, bareNodeMs }));
  } finally {
    rmSync(work, { recursive: true, force: true });
    await ecs.stop();
    await cloudwatch.stop();
    await kafka.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
