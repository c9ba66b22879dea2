/**
 * bench:services — reading 200 ECS services the way a tick does, when ECS answers in 100 ms: one
 * DescribeServices per service (the first version, 5 at a time) against the batched reader (10
 * services per call, 5 calls at a time), both through the real SDK against the ECS stand-in, in the
 * same run. Last line: one JSON object.
 */
import { batchedServiceReader, createEcsClient, describeService } from '../src/adapters/ecs/ecs-service.js';
import { concurrencyLimit } from '../src/util/concurrency-limit.js';
import { startEcsStandIn } from '../tools/local-stack/ecs-stand-in.js';

const SERVICES = 200;
const LATENCY_MS = 100;
const CONCURRENCY = 5;

async function main() {
  const names = Array.from({ length: SERVICES }, (_, i) => `consumer-${i}`);
  const ecs = await startEcsStandIn({
    region: 'eu-west-1',
    services: names.map((service) => ({ cluster: 'prod', service, desiredCount: 2 })),
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
  ecs.setLatency(LATENCY_MS);
  try {
    const client = createEcsClient();
    const measure = async (read: (service: string) => Promise<unknown>) => {
      const before = ecs.callsOf('DescribeServices').length;
      const started = performance.now();
      await Promise.all(names.map(read));
      return { calls: ecs.callsOf('DescribeServices').length - before, ms: Math.round(performance.now() - started) };
    };
    const limit = concurrencyLimit(CONCURRENCY);
    const oneByOne = await measure((service) => limit(() => describeService(client, 'prod', service)));
    const batched = batchedServiceReader(client, CONCURRENCY);
    const together = await measure((service) => batched('prod', service));
    console.log(`one call per service : ${oneByOne.calls} calls, ${oneByOne.ms} ms`);
    console.log(`batched (10 per call): ${together.calls} calls, ${together.ms} ms`);
    console.log(`ratio calls ${(together.calls / oneByOne.calls).toFixed(2)}, time ${(together.ms / oneByOne.ms).toFixed(2)}`);
    console.log(
      JSON.stringify({
        services: SERVICES,
        latencyMs: LATENCY_MS,
        calls: together.calls,
        ms: together.ms,
        baselineCalls: oneByOne.calls,
        baselineMs: oneByOne.ms,
      }),
    );
  } finally {
    await ecs.stop();
  }
}

await main();
