/**
 * npm run bench:control [-- --traces SETS] [--tick SECONDS] [--model key=value,...] [--ours field=value,...]
 * — does our scaling decision beat the alternatives, and how close does it come to the limits?
 *
 * Every trace of the chosen sets in traces/ (default: the in-sample synthetic and real ones; the
 * out-of-sample set is `--traces adversarial`), each with its own service model where it keeps
 * one (`name.model.json`), replayed under:
 * - our `decide` with what an operator gives it: the objective (maxTimeLagSeconds 180), the
 *   model's per-task throughput, start-up, rebalance pause and bounds; at the cadences of
 *   tools/simulator/comparison.ts (one tick a minute acting on the tick's read; one tick a minute
 *   with a scale-up confirmed by a second read; the Lambda's default, with surge ticks), at the
 *   shorter `--tick` (default 10 s), and at one tick a minute with the throughput learned (0);
 * - the references: every task from t = 0 (the unavoidable violation) and the reactive limit
 *   (tools/simulator/reactive-limit.ts: what no controller that only reacts can avoid);
 * - each baseline at its best grid setting for that trace (tools/simulator/tuning.ts).
 * Prints a table per trace, a summary per policy, a PASS/FAIL line per target (the first targets
 * and issue 12's) and, as the LAST line, one JSON object with the summaries. It is a report:
 * exit 0 whatever the verdict. --model changes every trace's service model (sensitivity checks,
 * e.g. --model commitIntervalSeconds=5); --ours adds settings to ours, e.g. --ours backlogDrainSeconds=120.
 */
import { parseArgs } from 'node:util';
import { POLICY_FIELDS, type Policy } from '../src/decision/index.js';
import { BASELINES } from '../tools/simulator/baselines/index.js';
import {
  CADENCES,
  type Cadence,
  everyTick,
  IN_SAMPLE_SETS,
  loadScenarios,
  operatorSettings,
  runOurs,
  runReferences,
  type Scenario,
} from '../tools/simulator/comparison.js';
import { SERVICE_MODEL_FIELDS, type ServiceModel } from '../tools/simulator/consumer-service.js';
import { OverrideError, parseOverrides } from '../tools/simulator/overrides.js';
import type { SimulationResult } from '../tools/simulator/simulate.js';
import {
  checkCeilingTargets,
  checkObjectiveTargets,
  checkTargets,
  checkTrafficViolation,
  type PolicySummary,
  summarizePolicy,
  violationBeyond,
} from '../tools/simulator/summary.js';
import { TraceFormatError } from '../tools/simulator/trace.js';
import { tuneBaseline } from '../tools/simulator/tuning.js';

const USAGE =
  'usage: npm run bench:control [-- --traces synthetic,real|adversarial] [--tick SECONDS] [--model key=value,...] [--ours policyField=value,...]';

const { modelOverrides, ourOverrides, traceSets, tickSeconds } = parseArguments();

interface PolicyRuns {
  /** How the row is labelled: ours at a cadence, a reference or a baseline. */
  label: string;
  runs: SimulationResult[];
}

const started = performance.now();
const scenarios = loadScenariosOrExit();
const traces = scenarios.map((s) => s.trace);
const references = runReferences(scenarios);
const { unavoidable } = references;
const reactive: PolicyRuns = { label: 'reactive limit (reference)', runs: [...references.reactive] };
const runCadence = (cadence: Cadence): PolicyRuns => ({ label: cadence.label, runs: runOurs(scenarios, cadence, ourOverrides) });
const oursFirstRead = runCadence(CADENCES.firstRead);
const oursAtMinute = runCadence(CADENCES.minute);
const oursDefault = runCadence(CADENCES.default);
const oursAtTick = tickSeconds === 60 ? undefined : runCadence(everyTick(tickSeconds));
const learned = runCadence(CADENCES.learned);
const baselines: PolicyRuns[] = BASELINES.map((baseline) => ({
  label: baseline.key,
  runs: scenarios.map(({ trace, model }) => tuneBaseline(trace, baseline, { model }).result),
}));
const ours = [oursFirstRead, oursAtMinute, oursDefault, ...(oursAtTick ? [oursAtTick] : []), learned];
const everyPolicy = [...ours, reactive, ...baselines];
const ourPolicies = scenarios.map(({ model }) => ({ ...operatorSettings(model), ...ourOverrides }));

console.log(
  `traces: ${traceSets.join(', ')}${traceSets.join(',') === IN_SAMPLE_SETS.join(',') ? ' (in-sample: the defaults were tuned on them)' : ''}`,
);
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

/** The traffic traces (no scenario model of their own): issue 12's violation target is set on such traffic. */
const traffic = traces.flatMap((trace, i) => (Object.keys(trace.model).length === 0 ? [i] : []));
const trafficSummary = ({ label, runs }: PolicyRuns) =>
  summarizePolicy(
    label,
    traffic.map((i) => runs[i]!),
    { unavoidable: traffic.map((i) => unavoidable[i]!), reactive: traffic.map((i) => reactive.runs[i]!) },
  );
const checks = [
  ...checkTargets(
    summaryOf(oursAtMinute),
    oursAtMinute.runs,
    baselines.map((b) => b.runs),
  ).map((check) => ({ ...check, target: `first targets, ours at 60 s: ${check.target}` })),
  ...checkObjectiveTargets(summaryOf(oursAtMinute), oursAtMinute.label),
  checkTrafficViolation(trafficSummary(oursAtMinute), oursAtMinute.label),
  ...checkObjectiveTargets(summaryOf(oursDefault), oursDefault.label),
  checkTrafficViolation(trafficSummary(oursDefault), oursDefault.label),
  ...(oursAtTick ? checkObjectiveTargets(summaryOf(oursAtTick), oursAtTick.label) : []),
  ...checkObjectiveTargets(summaryOf(learned), learned.label, 'learned'),
  checkTrafficViolation(trafficSummary(learned), learned.label, 'learned'),
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

function loadScenariosOrExit(): Scenario[] {
  try {
    return loadScenarios(traceSets, modelOverrides as Partial<ServiceModel>, ourOverrides);
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
        traces: { type: 'string', default: IN_SAMPLE_SETS.join(',') },
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
