/**
 * `kafka-lag-scaler decide [--dry-run] [--json] [--publish-metrics] [--target NAME]… [--set FIELD=VALUE]…`
 *
 * One tick on this machine with the same environment variables as the Lambda. ECS is reached
 * through the SDK as usual (AWS_ENDPOINT_URL_ECS points it at a stand-in); CloudWatch is not
 * touched unless --publish-metrics. Exit 0: every target decided; 1: a target failed or the metrics
 * could not be published (the decisions are printed all the same); 2: invalid configuration or
 * arguments (then nothing is called and the problems go to stderr).
 */
import { parseArgs } from 'node:util';
import { MetricsBuffer } from '../adapters/cloudwatch/metrics-buffer.js';
import { DECIMAL } from '../config/problem-text.js';
import { parseInvocation } from '../tick/invocation.js';
import type { TickResult } from '../tick/outcome.js';
import { type ControllerLogger, publishMetrics, releaseConnections, runController } from '../wiring/run-controller.js';

const USAGE = `usage: kafka-lag-scaler decide [--dry-run] [--json] [--publish-metrics] [--target NAME]... [--set FIELD=VALUE]...

  --dry-run           decide but change nothing (no UpdateService)
  --json              print exactly one JSON object on stdout
  --publish-metrics   publish the tick's metrics to CloudWatch (and restore history from them)
  --target NAME       only this target (repeatable; default: all in SCALER_TARGETS)
  --set FIELD=VALUE   with --dry-run: try a policy setting (repeatable), e.g. --set maxTasks=12
`;
const OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'publish-metrics': { type: 'boolean', default: false },
  target: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** How long one CLI tick may take, like a Lambda timeout. */
const CLI_DEADLINE_MS = 55_000;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.positionals[0] !== 'decide' || args.positionals.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }

  const overrides = parseSettings(args.values.set ?? []);
  const invocation = parseInvocation({
    dryRun: args.values['dry-run'],
    ...(args.values.target ? { targets: args.values.target } : {}),
    ...(overrides.values ? { overrides: overrides.values } : {}),
  });
  const argProblems = [...overrides.problems, ...(invocation.ok ? [] : invocation.problems.map(asCliProblem))];
  if (!invocation.ok || argProblems.length > 0) return refuse('arguments', argProblems);

  const logger = stderrLogger(args.values.json);
  const metrics = new MetricsBuffer();
  try {
    const outcome = await runController({
      env,
      invocation: invocation.invocation,
      deadline: Date.now() + CLI_DEADLINE_MS,
      useCloudWatch: args.values['publish-metrics'],
      logger,
      metrics,
    });
    if (!outcome.ok) return refuse(outcome.kind === 'payload' ? 'arguments' : 'configuration', outcome.problems.map(asCliProblem));
    let published = true;
    if (args.values['publish-metrics']) {
      try {
        await publishMetrics(metrics, outcome.config);
      } catch (error) {
        // The decision stands (and was maybe acted on): say what was lost, never lose the decision.
        published = false;
        logger.warn('metrics not published', { error: (error as Error).message });
      }
    }
    process.stdout.write(args.values.json ? `${JSON.stringify(outcome.result)}\n` : formatTable(outcome.result));
    return outcome.result.errors.length > 0 || !published ? 1 : 0;
  } finally {
    await releaseConnections();
  }
}

function refuse(what: string, problems: string[]): number {
  process.stderr.write(`kafka-lag-scaler: invalid ${what}:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  return 2;
}

/** The CLI names its flags where the Lambda names payload fields. */
function asCliProblem(problem: string): string {
  return problem
    .replace(
      /^payload\.overrides(?: \(target ([^)]+)\))?\.(\w+)/,
      (_, target, field) => `--set ${field}${target ? ` (target ${target})` : ''}`,
    )
    .replace(/^payload\.overrides/, '--set')
    .replace(/^payload\.targets(\[\d+\])?/, '--target');
}

function parseSettings(pairs: string[]): { values?: Record<string, unknown>; problems: string[] } {
  if (pairs.length === 0) return { problems: [] };
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const match = /^(\w+)=(.*)$/.exec(pair);
    if (!match) {
      problems.push(`--set ${pair}: must be FIELD=VALUE`);
      continue;
    }
    const [, field, raw] = match as unknown as [string, string, string];
    // Decimal digits only: `0x10` stays text, and the policy check then names it.
    values[field] = raw === 'true' ? true : raw === 'false' ? false : DECIMAL.test(raw) ? Number(raw) : raw;
  }
  return { values, problems };
}

function stderrLogger(quiet: boolean): ControllerLogger {
  const write =
    (level: string) =>
    (message: string, ...attributes: Record<string, unknown>[]) => {
      if (quiet && level === 'INFO') return;
      process.stderr.write(`${JSON.stringify({ level, message, ...Object.assign({}, ...attributes) })}\n`);
    };
  return { info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}

function formatTable(result: TickResult): string {
  if (result.skipped) return `skipped: ${result.skipped}\n`;
  const rows = result.decisions.map((d) => [
    d.target,
    d.lag ? String(d.lag.total) : '-',
    d.current === null ? '-' : String(d.current),
    d.running === null ? '-' : String(d.running),
    d.desired === null ? '-' : String(d.desired),
    d.changed ? 'yes' : d.dryRun && d.desired !== d.current ? 'dry run' : 'no',
    d.reason,
  ]);
  const header = ['TARGET', 'LAG', 'CURRENT', 'RUNNING', 'DESIRED', 'CHANGED', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const explanations = result.decisions.map((d) => `  ${d.target}: ${d.explanation}`);
  const errors = result.errors.map((e) => `  ${e.target} (${e.step}): ${e.message}`);
  return [line(header), ...rows.map(line), '', ...explanations, ...(errors.length ? ['', 'errors:', ...errors] : []), ''].join('\n');
}
