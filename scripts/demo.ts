/**
 * npm run demo -- [--seconds N] [--trace FILE.csv] [--speed X] [--dry-run] [--tick-seconds N] [--out DIR]
 *
 * The whole control loop on this machine: embedded Kafka, a consumer service of worker processes,
 * the ECS stand-in, a producer replaying a spike, and the controller Lambda's handler on a short
 * schedule (tools/demo/run-demo.ts). Ctrl-C stops everything and still prints the summary.
 * Exit status: 0 done (after Ctrl-C too), 1 the machine lacks something or the run failed, 2 bad flags.
 */
import { DEMO_USAGE, parseDemoArgs } from '../tools/demo/cli-args.js';
import { DemoSetupError, DemoUsageError, runDemo } from '../tools/demo/run-demo.js';

/** One Ctrl-C under `npm run` arrives twice, from the terminal and relayed by tsx, milliseconds apart. */
const SAME_INTERRUPT_MS = 1_000;

const interrupted = new AbortController();
let interruptedAt = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!interrupted.signal.aborted) {
      interruptedAt = Date.now();
      process.stderr.write('\nStopping the producer, the controller, the workers, the ECS stand-in and Kafka…\n');
      interrupted.abort();
    } else if (Date.now() - interruptedAt > SAME_INTERRUPT_MS) {
      // Ctrl-C again: leave now. The workers and the controller exit when our IPC channels close,
      // the Kafka launcher when its stdin does.
      process.exit(130);
    }
  });
}

try {
  await runDemo({ ...parseDemoArgs(process.argv.slice(2)), signal: interrupted.signal });
  process.exit(0);
} catch (error) {
  if (error instanceof DemoUsageError) {
    console.error(`demo: ${error.message}\n${DEMO_USAGE}`);
    process.exit(2);
  }
  console.error(`demo: ${error instanceof DemoSetupError ? error.message : ((error as Error).stack ?? String(error))}`);
  process.exit(1);
}
