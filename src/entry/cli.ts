/**
 * `kafka-lag-scaler decide [--dry-run] [--json] [--publish-metrics] [--target NAME]… [--set FIELD=VALUE]… [--sample-seconds N]`
 *
 * One tick on this machine with the same environment variables as the Lambda. ECS is reached
 * through the SDK as usual (AWS_ENDPOINT_URL_ECS points it at a stand-in); CloudWatch is read for
 * history (GetMetricData) and written only with --publish-metrics. Exit 0: every target decided;
 * 1: a target failed, the control parameter had an entry that was refused, or the metrics could not
 * be published (the decisions are printed all the same); 2: invalid configuration or arguments
 * (then nothing is called and the problems go to stderr).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MetricsBuffer } from '../adapters/cloudwatch/metrics-buffer.js';
import { DECIMAL, didYouMean } from '../config/problem-text.js';
import { POLICY_FIELD_NAMES, POLICY_FIELDS } from '../decision/index.js';
import type { HistoryOrigin, TickResult } from '../report/outcome.js';
import { parseInvocation } from '../tick/invocation.js';
import type { ControllerLogger } from '../wiring/logger.js';
import { publishMetrics, releaseConnections, runController } from '../wiring/run-controller.js';

const USAGE = `usage: kafka-lag-scaler decide [--dry-run] [--json] [--publish-metrics] [--target NAME]... [--set FIELD=VALUE]... [--sample-seconds N]
       kafka-lag-scaler --version

  --dry-run           decide but change nothing (no UpdateService, no history kept)
  --json              print exactly one JSON object on stdout
  --publish-metrics   publish the tick's metrics to CloudWatch
  --target NAME       only this target (repeatable; default: all in SCALER_TARGETS)
  --set FIELD=VALUE   with --dry-run: try a policy setting (repeatable), e.g. --set maxTasks=12;
                      the decision with the configured settings is shown beside it
  --sample-seconds N  with --dry-run: when neither memory nor CloudWatch has history, read the
                      lag twice N seconds apart to measure the rates (default 5; 0: do not)
  --version           print the version
`;
const OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'publish-metrics': { type: 'boolean', default: false },
  target: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  'sample-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;
type OptionName = keyof typeof OPTIONS;
const FLAGS = Object.keys(OPTIONS).map((name) => `--${name}`);
const COMMANDS = ['decide'];
/** Each policy field by its environment variable, for `--set SCALER_MAX_TASKS=3`. */
const FIELD_BY_VARIABLE = new Map<string, string>(POLICY_FIELD_NAMES.map((name) => [POLICY_FIELDS[name].env, name]));

/** How long one CLI tick may take, like a Lambda timeout. */
const CLI_DEADLINE_MS = 55_000;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseCommandLine(argv);
  if (!args.ok) {
    process.stderr.write(`kafka-lag-scaler: ${args.problem}\n${USAGE}`);
    return 2;
  }
  const { values } = args;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }

  const overrides = parseSettings(values.set ?? [], values['dry-run']);
  // Metrics under the target's name feed its alarms and the next cold start's history: never from tried settings.
  if (values['publish-metrics'] && (values.set ?? []).length > 0)
    overrides.problems.push('--publish-metrics: not with --set (metrics of tried settings would feed the target’s alarms and history)');
  const sampleSeconds = values['sample-seconds'];
  const invocation = parseInvocation({
    dryRun: values['dry-run'],
    ...(values.target ? { targets: values.target } : {}),
    // Without --dry-run, --set is refused above in the CLI's words; the payload check need not say it again.
    ...(overrides.values && values['dry-run'] ? { overrides: overrides.values } : {}),
    // Decimal digits only become a number: anything else is passed on for the payload check to name.
    ...(sampleSeconds !== undefined ? { sampleSeconds: DECIMAL.test(sampleSeconds) ? Number(sampleSeconds) : sampleSeconds } : {}),
  });
  const argProblems = [...overrides.problems, ...(invocation.ok ? [] : invocation.problems.map(asCliProblem))];
  if (!invocation.ok || argProblems.length > 0) return refuse('arguments', argProblems);

  const logger = stderrLogger(values.json);
  const metrics = new MetricsBuffer();
  try {
    const outcome = await runController({
      env,
      invocation: invocation.invocation,
      deadline: Date.now() + CLI_DEADLINE_MS,
      useCloudWatch: values['publish-metrics'],
      logger,
      metrics,
    });
    if (!outcome.ok) return refuse(outcome.kind === 'payload' ? 'arguments' : 'configuration', outcome.problems.map(asCliProblem));
    let published = true;
    if (values['publish-metrics']) {
      try {
        await publishMetrics(metrics, outcome.config);
      } catch (error) {
        // The decision stands (and was maybe acted on): say what was lost, never lose the decision.
        published = false;
        logger.warn('metrics not published', { error: (error as Error).message });
      }
    }
    process.stdout.write(values.json ? `${JSON.stringify(outcome.result)}\n` : formatTable(outcome.result));
    const failed = outcome.result.errors.length > 0 || (outcome.result.warnings ?? []).length > 0;
    return failed || !published ? 1 : 0;
  } finally {
    await releaseConnections();
  }
}

interface CliValues {
  'dry-run': boolean;
  json: boolean;
  'publish-metrics': boolean;
  target?: string[];
  set?: string[];
  'sample-seconds'?: string;
  help: boolean;
  version: boolean;
}

/**
 * The arguments, or the first problem in our words: node's parseArgs, strict, answers an unknown
 * flag with advice about `--` and positionals, which is no help here.
 */
function parseCommandLine(argv: string[]): { ok: true; values: CliValues } | { ok: false; problem: string } {
  const { tokens, values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as OptionName] : undefined;
    if (!option) return { ok: false, problem: `unknown option ${token.rawName}${didYouMean(token.rawName, FLAGS)}` };
    const needsValue = option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')));
    if (needsValue) return { ok: false, problem: `${token.rawName} needs a value` };
    if (option.type === 'boolean' && token.value !== undefined) return { ok: false, problem: `${token.rawName} takes no value` };
  }
  // Checked above: every option is ours, with a value of its type (defaults fill the booleans).
  const asked = values as unknown as CliValues;
  if (asked.help || asked.version) return { ok: true, values: asked };
  const [command, ...extra] = positionals;
  if (command === undefined) return { ok: false, problem: 'no command given' };
  if (!COMMANDS.includes(command)) return { ok: false, problem: `unknown command '${command}'${didYouMean(command, COMMANDS)}` };
  if (extra.length > 0) return { ok: false, problem: `unexpected argument '${extra[0]}' after ${command}` };
  return { ok: true, values: asked };
}

/** The version in the package.json next to this file (src/entry in a checkout, dist/ in the package). */
function packageVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'kafka-lag-scaler' && manifest.version) return manifest.version;
    } catch {
      // Not there: try the next place.
    }
  }
  return 'unknown';
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
    .replace(/^payload\.sampleSeconds/, '--sample-seconds')
    .replace(', not with "dryRun": false', ': add --dry-run')
    .replace(/^payload\.targets(\[\d+\])?/, '--target');
}

function parseSettings(pairs: string[], dryRun: boolean): { values?: Record<string, unknown>; problems: string[] } {
  if (pairs.length === 0) return { problems: [] };
  const values: Record<string, unknown> = {};
  const problems: string[] = dryRun
    ? []
    : ['--set: needs --dry-run (settings are only tried in a dry run; they change through the environment)'];
  for (const pair of pairs) {
    const match = /^(\w+)=(.*)$/.exec(pair);
    if (!match) {
      problems.push(`--set ${pair}: must be FIELD=VALUE`);
      continue;
    }
    const [, field, raw] = match as unknown as [string, string, string];
    const named = FIELD_BY_VARIABLE.get(field);
    if (named) {
      problems.push(`--set ${field}=${raw}: --set takes the policy field's name, not its variable: use --set ${named}=${raw}`);
      continue;
    }
    // Decimal digits only: `0x10` stays text, and the policy check then names it. Defined, not assigned:
    // `__proto__=1` must arrive as a field the check refuses, not vanish into the object's prototype.
    const value = raw === 'true' ? true : raw === 'false' ? false : DECIMAL.test(raw) ? Number(raw) : raw;
    Object.defineProperty(values, field, { value, enumerable: true, writable: true, configurable: true });
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

/** What the table shows for a count or lag nobody knows: never 0, which reads as "no backlog". */
const UNKNOWN = '—';
/** Holds whose lag total is not a reading of the group (failed, partial, or no commits to measure from). */
const LAG_UNKNOWN = new Set(['lag-read-failed', 'lag-read-incomplete', 'group-has-no-offsets']);

function formatTable(result: TickResult): string {
  if (result.skipped) return `skipped: ${result.skipped}\n`;
  const comparing = result.decisions.some((d) => d.withoutOverrides);
  const count = (value: number | null) => (value === null ? UNKNOWN : String(value));
  const rows = result.decisions.map((d) => [
    d.target,
    d.lag && !LAG_UNKNOWN.has(d.reason) ? String(d.lag.total) : UNKNOWN,
    count(d.current),
    count(d.running),
    count(d.desired),
    d.changed ? 'yes' : d.dryRun && d.desired !== d.current ? 'dry run' : 'no',
    d.reason,
    seconds(d.figures?.timeLagSeconds),
    seconds(d.figures?.expectedTimeLagSeconds) + (d.objectiveSeconds ? ` / ${d.objectiveSeconds} s` : ''),
    seconds(d.figures?.drainSeconds),
    d.history ? historyCell(d.history) : UNKNOWN,
    ...(comparing ? [d.withoutOverrides ? `${count(d.withoutOverrides.desired)} ${d.withoutOverrides.reason}` : UNKNOWN] : []),
  ]);
  const header = [
    'TARGET',
    'LAG',
    'CURRENT',
    'RUNNING',
    'DESIRED',
    'CHANGED',
    'REASON',
    'TIME LAG',
    'EXPECTED',
    'DRAINED IN',
    'HISTORY',
    ...(comparing ? ['WITHOUT --set'] : []),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const explanations = result.decisions.flatMap((d) => [
    `  ${d.target}: ${d.explanation}`,
    ...(d.withoutOverrides ? [`  ${d.target} without --set: ${d.withoutOverrides.explanation}`] : []),
    ...(d.history?.source === 'none' ? [`  ${d.target}: no history: ${d.history.why}`] : []),
  ]);
  const errors = result.errors.map((e) => `  ${e.target} (${e.step}): ${e.message}`);
  const warnings = (result.warnings ?? []).map((w) => `  ${w}`);
  return [
    line(header),
    ...rows.map(line),
    '',
    ...explanations,
    ...(errors.length ? ['', 'errors:', ...errors] : []),
    ...(warnings.length ? ['', 'warnings:', ...warnings] : []),
    '',
  ].join('\n');
}

/** A figure in whole seconds, or — when the decision has none (a hold, a cold start, no backlog to drain). */
function seconds(value: number | null | undefined): string {
  return value === null || value === undefined ? UNKNOWN : `${Math.round(value)} s`;
}

/** Where the history came from, in a table cell: memory (12), CloudWatch (3 rows), sampled 5 s, none. */
function historyCell(origin: HistoryOrigin): string {
  switch (origin.source) {
    case 'memory':
      return `memory (${origin.entries})`;
    case 'cloudwatch':
      return `CloudWatch (${origin.entries} rows)`;
    case 'sampled':
      return `sampled ${origin.seconds} s`;
    case 'none':
      return 'none';
  }
}
