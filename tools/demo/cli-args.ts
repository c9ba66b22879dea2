/**
 * `npm run demo` flags → `DemoOptions`. Every bad value is a `DemoUsageError` naming the flag; the
 * CLI prints it with the usage and exits 2.
 */
import { parseArgs } from 'node:util';
import { type DemoOptions, DemoUsageError } from './run-demo.js';

export const DEMO_USAGE = `usage: npm run demo -- [--seconds N] [--trace FILE.csv] [--speed X] [--dry-run] [--tick-seconds N] [--out DIR] [--screenshot FILE]
  --seconds N        stop after N seconds and print the summary (default: the whole spike, 180 s)
  --trace FILE.csv   replay a t_seconds,rate trace (e.g. traces/synthetic/month-end.csv) instead of the built-in spike
  --speed X          trace seconds per real second (default: the whole trace fits the run)
  --dry-run          the controller decides but never calls UpdateService
  --tick-seconds N   seconds between controller invocations (default 3)
  --out DIR          where the chart, the summary and the logs go (default: a new directory under the OS temp dir)
  --screenshot FILE  also save the chart as a PNG (uses /usr/bin/chromium, or CHROMIUM_PATH)
fault injection:
  --kill-worker-at S[,S…]   kill a running worker S seconds into the run
  --broker-down FROM-TO     take broker 1 down from FROM to TO seconds into the run`;

/** Every flag, as parseArgs takes them (the table in docs/demo.md lists the same). */
export const DEMO_FLAGS = {
  seconds: { type: 'string' },
  trace: { type: 'string' },
  speed: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'tick-seconds': { type: 'string' },
  out: { type: 'string' },
  screenshot: { type: 'string' },
  'kill-worker-at': { type: 'string' },
  'broker-down': { type: 'string' },
} as const;

/** The flags, or the parser's refusal as a usage error (the demo prints usage for it). */
function readFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: DEMO_FLAGS }).values;
  } catch (error) {
    throw new DemoUsageError((error as Error).message);
  }
}

export function parseDemoArgs(argv: string[]): DemoOptions {
  const values = readFlags(argv);
  if (values.speed !== undefined && values.trace === undefined) throw new DemoUsageError('--speed: only applies with --trace');
  const seconds = values.seconds === undefined ? undefined : numberIn('--seconds', values.seconds, { min: 10, max: 86_400 });
  return {
    ...(seconds !== undefined ? { seconds } : {}),
    ...(values.trace !== undefined ? { tracePath: values.trace } : {}),
    ...(values.speed !== undefined ? { speed: numberIn('--speed', values.speed, { min: 0.001, max: 1e6 }) } : {}),
    dryRun: values['dry-run'] ?? false,
    ...(values['tick-seconds'] !== undefined
      ? { tickSeconds: numberIn('--tick-seconds', values['tick-seconds'], { min: 1, max: 60 }) }
      : {}),
    ...(values.out !== undefined ? { outDir: values.out } : {}),
    ...(values.screenshot !== undefined ? { screenshotPath: values.screenshot } : {}),
    faults: {
      ...(values['kill-worker-at'] !== undefined
        ? { killWorkerAt: values['kill-worker-at'].split(',').map((s) => numberIn('--kill-worker-at', s, { min: 0, max: 86_400 })) }
        : {}),
      ...(values['broker-down'] !== undefined ? { brokerDown: outageWindow(values['broker-down']) } : {}),
    },
  };
}

function numberIn(flag: string, text: string, bounds: { min: number; max: number }): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) throw new DemoUsageError(`${flag}: expected a number, got "${text}"`);
  if (value < bounds.min || value > bounds.max)
    throw new DemoUsageError(`${flag}: must be between ${bounds.min} and ${bounds.max}, got ${value}`);
  return value;
}

function outageWindow(text: string): { from: number; to: number } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (!match || !(to > from)) throw new DemoUsageError(`--broker-down: expected FROM-TO seconds with FROM < TO, e.g. 40-46, got "${text}"`);
  return { from, to };
}
