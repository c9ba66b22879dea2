/**
 * npm run bench:control [-- --traces SETS] [--tick SECONDS] [--model key=value,...] [--ours field=value,...]
 * — does our scaling decision beat the alternatives, and how close does it come to the limits?
 *
 * Every trace of the chosen sets in traces/ (default: the in-sample synthetic and real ones; the
 * out-of-sample set is `--traces adversarial`), each with its own service model where it keeps
 * one (`name.model.json`), replayed under:
 * - our `decide` with what an operator gives it: the objective (maxTimeLagSeconds 180), the
 *   model's per-task throughput, start-up, rebalance pause and bounds; at one tick a minute, at the
 *   shorter `--tick` (default 10 s), and at one tick a minute with the throughput learned (0);
 * - the references: every task from t = 0 (the unavoidable violation) and the reactive limit
 *   (tools/simulator/reactive-limit.ts: what no controller that only reacts can avoid);
 * - each baseline at its best grid setting for that trace (tools/simulator/tuning.ts).
 * Prints a table per trace, a summary per policy, a PASS/FAIL line per target (the first targets
 * and issue 12's) and, as the LAST line, one JSON object with the summaries. It is a report:
 * exit 0 whatever the verdict. --model changes every trace's service model (sensitivity checks,
 * e.g. --model commitIntervalSeconds=5); --ours adds settings to ours, e.g. --ours backlogDrainSeconds=120.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTROLLER_SETTINGS } from '../src/config/controller-config.js';
import { DEFAULT_POLICY, POLICY_FIELDS, type Policy, validatePolicy } from '../src/decision/index.js';
import { BASELINES } from '../tools/simulator/baselines/index.js';
import { resolveServiceModel, SERVICE_MODEL_FIELDS, type ServiceModel } from '../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../tools/simulator/decide-autoscaler.js';
import { fixedAutoscaler } from '../tools/simulator/fixed-autoscaler.js';
import { OverrideError, parseOverrides } from '../tools/simulator/overrides.js';
import { reactiveLimitAutoscaler } from '../tools/simulator/reactive-limit.js';
import { type SimulationResult, simulate } from '../tools/simulator/simulate.js';
import {
  checkCeilingTargets,
  checkObjectiveTargets,
  checkTargets,
  type PolicySummary,
  summarizePolicy,
  violationBeyond,
} from '../tools/simulator/summary.js';
import { loadTrace, type Trace, TraceFormatError } from '../tools/simulator/trace.js';
import { tuneBaseline } from '../tools/simulator/tuning.js';

/** The traces the defaults were tuned on: what the README's figures (in-sample) come from. */
const IN_SAMPLE = 'synthetic,real';
/** The objective an operator states in issue 12's benchmark. */
const OBJECTIVE_SECONDS = 180;
const USAGE =
  'usage: npm run bench:control [-- --traces synthetic,real|adversarial] [--tick SECONDS] [--model key=value,...] [--ours policyField=value,...]';

const { modelOverrides, ourOverrides, traceSets, tickSeconds } = parseArguments();
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tracesDir = resolve(repoRoot, 'traces');

/** What an operator knows and configures about the service: the objective, the model's own figures, and what --ours adds. */
function ourSettings(model: ServiceModel): Partial<Policy> {
  return {
    maxTimeLagSeconds: OBJECTIVE_SECONDS,
    taskThroughput: model.taskThroughput,
    taskStartupSeconds: model.startupSeconds,
    rebalancePauseSeconds: model.rebalancePauseSeconds,
    minTasks: model.minTasks,
    maxTasks: model.maxTasks,
    ...ourOverrides,
  };
}

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
  /** How the row is labelled: ours at a tick, learned, a reference or a baseline. */
  label: string;
  runs: SimulationResult[];
}

const started = performance.now();
const { traces, models } = loadScenarios();
const ourPolicies = models.map(ourSettings);
const unavoidable = traces.map((trace, i) =>
  simulate(trace, fixedAutoscaler(models[i]!.maxTasks), { model: models[i], initialTasks: models[i]!.maxTasks }),
);
const reactive: PolicyRuns = {
  label: 'reactive limit (reference)',
  runs: traces.map((trace, i) => simulate(trace, reactiveLimitAutoscaler(models[i]!), { model: models[i] })),
};
/** The Lambda's default: a tick a minute, and surge ticks while a surge is on (SCALER_SURGE_TICK_SECONDS). */
const SURGE_TICK_SECONDS = CONTROLLER_SETTINGS.surgeTickSeconds.default;
const runOurs = (label: string, tick: number, extra: Partial<Policy> = {}, surge = 0): PolicyRuns => ({
  label,
  runs: traces.map((trace, i) =>
    simulate(trace, createDecideAutoscaler({ ...ourPolicies[i], ...extra }, tick, surge), { model: models[i] }),
  ),
});
const oursAtMinute = runOurs('ours, 60 s ticks', 60);
const oursDefault = runOurs(`ours, 60 s ticks + ${SURGE_TICK_SECONDS} s while surging (default)`, 60, {}, SURGE_TICK_SECONDS);
const oursAtTick = tickSeconds === 60 ? undefined : runOurs(`ours, ${tickSeconds} s ticks`, tickSeconds);
const learned = runOurs('ours learned, 60 s ticks', 60, { taskThroughput: 0 });
const baselines: PolicyRuns[] = BASELINES.map((baseline) => ({
  label: baseline.key,
  runs: traces.map((trace, i) => tuneBaseline(trace, baseline, { model: models[i] }).result),
}));
const ours = [oursAtMinute, oursDefault, ...(oursAtTick ? [oursAtTick] : []), learned];
const everyPolicy = [...ours, reactive, ...baselines];
const references = { unavoidable, reactive: reactive.runs };

console.log(`traces: ${traceSets.join(', ')}${traceSets.join(',') === IN_SAMPLE ? ' (in-sample: the defaults were tuned on them)' : ''}`);
console.log(`ours: ${JSON.stringify(ourPolicies[0])} (the model's figures, per trace)`);
for (const trace of traces) {
  if (Object.keys(trace.model).length > 0) console.log(`model of ${trace.name}: ${JSON.stringify(trace.model)}`);
}
if (Object.keys(modelOverrides).length > 0) console.log(`model overrides: ${JSON.stringify(modelOverrides)}`);
console.log('');

printTable([
  [
    'trace',
    'policy (best setting for baselines)',
    'cost/floor',
    'violation s',
    'unavoidable s',
    'beyond unavoidable s',
    'beyond reactive s',
    'max time lag s',
    'actions',
    'actions/h',
  ],
  ...traces.flatMap((trace, i) =>
    everyPolicy.map(({ label, runs }) => {
      const run = runs[i]!;
      return [
        trace.name,
        baselines.some((b) => b.label === label) ? run.autoscaler : label,
        run.costOverFloor.toFixed(3),
        String(run.sloViolationSeconds),
        String(unavoidable[i]!.sloViolationSeconds),
        String(violationBeyond(run, unavoidable[i])),
        String(violationBeyond(run, reactive.runs[i])),
        run.maxTimeLagSeconds.toFixed(0),
        String(run.scaleActions),
        run.actionsPerHour.toFixed(2),
      ];
    }),
  ),
]);

const summaries: PolicySummary[] = everyPolicy.map(({ label, runs }) => summarizePolicy(label, runs, references));
const summaryOf = (runs: PolicyRuns) => summaries[everyPolicy.indexOf(runs)]!;
console.log('');
printTable([
  ['policy', 'geomean cost/floor', 'violation s', 'beyond unavoidable s', 'beyond reactive s', 'actions/h'],
  ...summaries.map((s) => [
    s.policy,
    s.geomeanCostOverFloor.toFixed(3),
    String(s.violationSeconds),
    String(s.violationSecondsBeyondUnavoidable),
    String(s.violationSecondsBeyondReactive),
    s.actionsPerHour.toFixed(2),
  ]),
]);

const checks = [
  ...checkTargets(
    summaryOf(oursAtMinute),
    oursAtMinute.runs,
    baselines.map((b) => b.runs),
  ).map((check) => ({ ...check, target: `first targets, ours at 60 s: ${check.target}` })),
  ...checkObjectiveTargets(summaryOf(oursAtMinute), oursAtMinute.label),
  ...checkObjectiveTargets(summaryOf(oursDefault), oursDefault.label),
  ...(oursAtTick ? checkObjectiveTargets(summaryOf(oursAtTick), oursAtTick.label) : []),
  ...checkObjectiveTargets(summaryOf(learned), learned.label, 'learned'),
  ...checkCeilingTargets(oursAtMinute.runs, oursAtMinute.label),
  ...checkCeilingTargets(oursDefault.runs, oursDefault.label),
  ...(oursAtTick ? checkCeilingTargets(oursAtTick.runs, oursAtTick.label) : []),
];
console.log('');
for (const check of checks) console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.detail}`);
const verdict = checks.every((c) => c.pass) ? 'PASS' : 'FAIL';
console.log(
  `${verdict}: ${checks.filter((c) => c.pass).length} of ${checks.length} targets (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
console.log(
  JSON.stringify({
    verdict,
    traces: traceSets,
    tickSeconds,
    ourSettings: ourPolicies[0],
    modelOverrides,
    ours: ours.map(summaryOf),
    reference: summaryOf(reactive),
    baselines: baselines.map(summaryOf),
    checks: checks.map(({ target, pass }) => ({ target, pass })),
  }),
);

function loadScenarios(): { traces: Trace[]; models: ServiceModel[] } {
  try {
    const traces = traceSets
      .flatMap((set) => findTraces(resolve(tracesDir, set)))
      .map((path) => loadTrace(path, relative(tracesDir, path)));
    const models = traces.map((trace) => resolveServiceModel(trace.name, trace.model, modelOverrides as Partial<ServiceModel>));
    for (const [i, model] of models.entries()) {
      const problems = validatePolicy({ ...DEFAULT_POLICY, ...ourSettings(model) });
      if (problems.length > 0) throw new OverrideError(`our policy for ${traces[i]!.name}: ${problems.join('; ')}`);
    }
    return { traces, models };
  } catch (error) {
    const known =
      error instanceof OverrideError ||
      error instanceof TraceFormatError ||
      (error instanceof Error && 'code' in error && error.code === 'ENOENT');
    if (!known) throw error;
    console.error(`bench:control: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

function parseArguments(): {
  modelOverrides: Record<string, number | boolean>;
  ourOverrides: Partial<Policy>;
  traceSets: string[];
  tickSeconds: number;
} {
  try {
    const { values } = parseArgs({
      options: {
        model: { type: 'string', default: '' },
        ours: { type: 'string', default: '' },
        traces: { type: 'string', default: IN_SAMPLE },
        tick: { type: 'string', default: '10' },
      },
    });
    const tickSeconds = Number(values.tick);
    if (!Number.isInteger(tickSeconds) || tickSeconds < 1 || tickSeconds > 60) {
      throw new OverrideError(`--tick: expected whole seconds from 1 to 60, got "${values.tick}"`);
    }
    return {
      modelOverrides: parseOverrides(values.model, SERVICE_MODEL_FIELDS),
      ourOverrides: parseOverrides(values.ours, POLICY_FIELDS) as Partial<Policy>, // checked field by field
      traceSets: values.traces.split(',').map((set) => set.trim()),
      tickSeconds,
    };
  } catch (error) {
    if (!(error instanceof OverrideError || (error instanceof TypeError && 'code' in error))) throw error;
    console.error(`bench:control: ${error.message}\n${USAGE}`);
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
