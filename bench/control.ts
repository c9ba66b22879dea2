/**
 * npm run bench:control [-- --model key=value,...] [--ours field=value,...] — does our scaling decision beat the alternatives?
 *
 * Every policy over every trace in traces/** (copied from the shared set, so the figures are reproducible from this repository): our `decide` with the settings an operator
 * would give it, and each baseline at its best grid setting for that trace (see
 * tools/simulator/tuning.ts). Prints a table, a summary per policy, a pass/fail line per target and,
 * as the LAST line, one JSON object with the summaries. It is a report: exit 0 whatever the verdict.
 * --model changes the consumer service model (tools/simulator/consumer-service.ts) for a
 * sensitivity check, e.g. --model commitIntervalSeconds=5.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { POLICY_FIELDS } from '../src/decision/index.js';
import { BASELINES } from '../tools/simulator/baselines/index.js';
import { DEFAULT_SERVICE_MODEL, SERVICE_MODEL_FIELDS } from '../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../tools/simulator/decide-autoscaler.js';
import { fixedAutoscaler } from '../tools/simulator/fixed-autoscaler.js';
import { OverrideError, parseOverrides } from '../tools/simulator/overrides.js';
import { type SimulationResult, simulate } from '../tools/simulator/simulate.js';
import { checkTargets, type PolicySummary, summarizePolicy } from '../tools/simulator/summary.js';
import { loadTrace, type Trace } from '../tools/simulator/trace.js';
import { tuneBaseline } from '../tools/simulator/tuning.js';

/** The traces the defaults were tuned on: what the README's figures (in-sample) come from. */
const IN_SAMPLE = 'synthetic,real';
const { modelOverrides, ourOverrides, traceSets, tickSeconds } = parseArguments();
const model = { ...DEFAULT_SERVICE_MODEL, ...modelOverrides };
/** What an operator knows and configures: how many msgs/s one task consumes (and whatever --ours adds, e.g. an objective). */
const OUR_SETTINGS = { taskThroughput: model.taskThroughput, ...ourOverrides };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tracesDir = resolve(repoRoot, 'traces');

function findTraces(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return findTraces(path);
      return entry.name.endsWith('.csv') ? [path] : [];
    })
    .sort();
}

interface PolicyRuns {
  policy: string;
  runs: SimulationResult[];
}

const started = performance.now();
const traces: Trace[] = traceSets
  .flatMap((set) => findTraces(resolve(tracesDir, set)))
  .map((path) => loadTrace(path, relative(tracesDir, path)));
const unavoidable = traces.map((trace) => simulate(trace, fixedAutoscaler(model.maxTasks), { model, initialTasks: model.maxTasks }));
const oursRuns = traces.map((trace) => simulate(trace, createDecideAutoscaler(OUR_SETTINGS, tickSeconds), { model }));
const ours: PolicyRuns = { policy: oursRuns[0]?.autoscaler ?? 'decide', runs: oursRuns };
const baselines: PolicyRuns[] = BASELINES.map((baseline) => ({
  policy: baseline.key,
  runs: traces.map((trace) => tuneBaseline(trace, baseline, { model }).result),
}));
if (Object.keys(modelOverrides).length > 0) console.log(`model overrides: ${JSON.stringify(modelOverrides)}\n`);
const everyPolicy = [ours, ...baselines];

const table = [
  ['trace', 'policy (best setting for baselines)', 'cost/floor', 'violation s', 'unavoidable s', 'max time lag s', 'actions', 'actions/h'],
  ...traces.flatMap((trace, i) =>
    everyPolicy.map(({ runs }) => {
      const run = runs[i]!;
      return [
        trace.name,
        run.autoscaler,
        run.costOverFloor.toFixed(3),
        String(run.sloViolationSeconds),
        String(unavoidable[i]!.sloViolationSeconds),
        run.maxTimeLagSeconds.toFixed(0),
        String(run.scaleActions),
        run.actionsPerHour.toFixed(2),
      ];
    }),
  ),
];
printTable(table);

const summaries: PolicySummary[] = everyPolicy.map(({ policy, runs }) => summarizePolicy(policy, runs, unavoidable));
console.log('');
printTable([
  ['policy', 'geomean cost/floor', 'violation s', 'beyond unavoidable s', 'actions/h'],
  ...summaries.map((s) => [
    s.policy,
    s.geomeanCostOverFloor.toFixed(3),
    String(s.violationSeconds),
    String(s.violationSecondsBeyondUnavoidable),
    s.actionsPerHour.toFixed(2),
  ]),
]);

const checks = checkTargets(
  summaries[0]!,
  ours.runs,
  baselines.map((b) => b.runs),
);
console.log('');
for (const check of checks) console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.detail}`);
const verdict = checks.every((c) => c.pass) ? 'PASS' : 'FAIL';
console.log(`${verdict}: ${ours.policy} with ${JSON.stringify(OUR_SETTINGS)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(
  JSON.stringify({
    verdict,
    ourSettings: OUR_SETTINGS,
    modelOverrides,
    ours: summaries[0],
    baselines: summaries.slice(1),
    checks: checks.map(({ target, pass }) => ({ target, pass })),
  }),
);

function parseArguments(): {
  modelOverrides: Record<string, number | boolean>;
  ourOverrides: Record<string, number | boolean>;
  traceSets: string[];
  tickSeconds: number;
} {
  try {
    const { values } = parseArgs({
      options: {
        model: { type: 'string', default: '' },
        ours: { type: 'string', default: '' },
        traces: { type: 'string', default: IN_SAMPLE },
        tick: { type: 'string', default: '60' },
      },
    });
    return {
      modelOverrides: parseOverrides(values.model, SERVICE_MODEL_FIELDS),
      ourOverrides: parseOverrides(values.ours, POLICY_FIELDS),
      traceSets: values.traces.split(',').map((set) => set.trim()),
      tickSeconds: Number(values.tick),
    };
  } catch (error) {
    if (!(error instanceof OverrideError || (error instanceof TypeError && 'code' in error))) throw error;
    console.error(
      `bench:control: ${error.message}\nusage: npm run bench:control [-- --model key=value,...] [--ours policyField=value,...] [--traces synthetic,real|adversarial] [--tick SECONDS]`,
    );
    process.exit(2);
  }
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = (cell: string) => /^-?[\d.]+$/.test(cell);
  for (const row of rows) {
    console.log(
      row
        .map((cell, c) => (numeric(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    );
  }
}
