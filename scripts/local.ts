/**
 * `npm run local`: the embedded Kafka, the ECS stand-in and the CloudWatch stand-in on this machine,
 * with a consumer group that has a backlog and keeps moving (tools/local-stack/local-stack.ts). It
 * prints the environment to export for the CLI, then waits; Ctrl-C stops everything it started.
 */
import { startLocalStack } from '../tools/local-stack/local-stack.js';

const stack = await startLocalStack();
const exports = Object.entries(stack.env).map(([name, value]) => `export ${name}=${shellQuoted(value)}`);
process.stdout.write(
  [
    'The local stack is up: the embedded Kafka (topic orders, group orders-consumer with a backlog,',
    '30 msg/s produced and consumed), the ECS stand-in (local/orders-worker at 2 tasks) and the',
    'CloudWatch stand-in. In another shell:',
    '',
    ...exports,
    'npx kafka-lag-scaler decide --dry-run',
    '',
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stopping the local stack failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  });
}

/** A value as one shell word: single quotes, with any single quote closed, escaped and reopened. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
