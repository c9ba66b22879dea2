/**
 * The docs' figure tables, generated from the simulator runs behind them (tools/simulator/
 * comparison.ts), so a change to the policy fails the docs test until the figures say the same.
 * Our policy and the references run in seconds and are held by the test; the tuned baselines take a
 * minute and more (a grid per trace), so their rows of the README's comparison are regenerated on
 * request (`tsx scripts/readme-tables.ts --write --with-baselines`) and are not held.
 */
import { BASELINES } from '../simulator/baselines/index.js';
import {
  CADENCES,
  type Cadence,
  everyTick,
  IN_SAMPLE_SETS,
  loadScenarios,
  OUT_OF_SAMPLE_SETS,
  runOurs,
  runReferences,
  type Scenario,
} from '../simulator/comparison.js';
import type { SimulationResult } from '../simulator/simulate.js';
import { OBJECTIVE_TARGETS, type PolicySummary, type References, summarizePolicy, violationBeyond } from '../simulator/summary.js';
import { tuneBaseline } from '../simulator/tuning.js';

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const seconds = (value: number) => `${thousands(value)} s`;
/** Trace names without their set: `adversarial/db-bottleneck.csv` → `db-bottleneck`. */
const shortName = (trace: string) => trace.replace(/^.*\//, '').replace(/\.csv$/, '');

/** The out-of-sample runs every figure table needs, run once. */
export interface OutOfSample {
  scenarios: Scenario[];
  references: References;
  runs: Map<Cadence, SimulationResult[]>;
}

const TEN_SECOND_TICKS = everyTick(10);
/** The cadences the docs compare, in the order they are shown. */
const SHOWN: readonly Cadence[] = [CADENCES.firstRead, CADENCES.minute, CADENCES.default, TEN_SECOND_TICKS, CADENCES.learned];

export function runOutOfSample(): OutOfSample {
  const scenarios = loadScenarios(OUT_OF_SAMPLE_SETS);
  return {
    scenarios,
    references: runReferences(scenarios),
    runs: new Map(SHOWN.map((cadence) => [cadence, runOurs(scenarios, cadence)])),
  };
}

/** docs/decision.md: ours at the default cadence, trace by trace, against both references. */
export function perTraceTable({ scenarios, references, runs }: OutOfSample): string {
  const ours = runs.get(CADENCES.default)!;
  const rows = scenarios.map(({ trace }, i) => {
    const run = ours[i]!;
    return `| \`${shortName(trace.name)}\` | ${run.costOverFloor.toFixed(3)} | ${thousands(run.sloViolationSeconds)} | ${thousands(violationBeyond(run, references.unavoidable[i]))} | ${thousands(violationBeyond(run, references.reactive[i]))} | ${run.scaleActions} |`;
  });
  return [
    '| trace | cost/floor | violation s | beyond all tasks s | beyond the reactive limit s | actions |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Where the violation beyond the reactive limit goes: the traces that have any, by name. */
function breakdown(scenarios: readonly Scenario[], runs: readonly SimulationResult[], references: References): string {
  const parts = scenarios
    .map(({ trace }, i) => [shortName(trace.name), violationBeyond(runs[i]!, references.reactive[i])] as const)
    .filter(([, beyond]) => beyond > 0)
    .map(([name, beyond]) => `${name} ${thousands(beyond)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** docs/decision.md: ours at each cadence against issue 12's targets. */
export function cadenceTable({ scenarios, references, runs }: OutOfSample): string {
  const rows = SHOWN.map((cadence) => {
    const summary = summarizePolicy(cadence.label, runs.get(cadence)!, references);
    return `| ${cadence.label} | ${summary.geomeanCostOverFloor.toFixed(3)} | ${seconds(summary.violationSecondsBeyondReactive)}${breakdown(scenarios, runs.get(cadence)!, references)} | ${summary.actionsPerHour.toFixed(2)} |`;
  });
  const { configured, learned } = OBJECTIVE_TARGETS;
  return [
    '| ours | cost/floor (geomean) | beyond the reactive limit | actions/h |',
    '| --- | --- | --- | --- |',
    ...rows,
    `| issue 12's target | ≤ ${configured.maxGeomeanCostOverFloor.toFixed(2)} (learned ≤ ${learned.maxGeomeanCostOverFloor.toFixed(2)}) | ≤ ${configured.maxViolationSecondsBeyondReactive} s (learned ≤ ${learned.maxViolationSecondsBeyondReactive} s) | ≤ ${configured.maxActionsPerHour} |`,
  ].join('\n');
}

/** What each cadence costs in Lambda time (512 MB arm64, us-east-1, $0.0000133334 per GB-second): a tick takes about a second. */
const LAMBDA_TIME = new Map<Cadence, string>([
  [CADENCES.firstRead, 'about 1 s, about $0.30'],
  [CADENCES.minute, 'about 1 s, plus 5 s in a minute that scales up'],
  [CADENCES.default, 'about 1 s, plus up to 50 s in a minute that scales up or has a stuck partition'],
  [TEN_SECOND_TICKS, 'about 51 s, about $15'],
]);

/** docs/operating.md: what each cadence buys (the violation, the spike alone) and costs. */
export function cadenceCostTable({ scenarios, references, runs }: OutOfSample): string {
  const spike = scenarios.findIndex(({ trace }) => trace.name.includes('spike'));
  const rows = [...LAMBDA_TIME].map(([cadence, lambda]) => {
    const ours = runs.get(cadence)!;
    const summary = summarizePolicy(cadence.label, ours, references);
    return `| ${cadence.label} | ${seconds(summary.violationSecondsBeyondReactive)} | ${seconds(violationBeyond(ours[spike]!, references.reactive[spike]))} | ${summary.geomeanCostOverFloor.toFixed(3)} | ${summary.actionsPerHour.toFixed(2)} | ${lambda} |`;
  });
  return [
    '| cadence | beyond the reactive limit | the spike alone | cost/floor | actions/h | Lambda time a minute, cost a month (512 MB arm64, us-east-1) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export const COMPARISON_HEADER =
  '| default settings | in-sample¹ cost/floor | violation s | actions/h | out-of-sample² cost/floor | violation s | beyond reactive limit s | actions/h |';

function comparisonRow(label: string, inSample: PolicySummary, outOfSample: PolicySummary): string {
  const cells = [
    inSample.geomeanCostOverFloor.toFixed(2),
    thousands(inSample.violationSeconds),
    inSample.actionsPerHour.toFixed(1),
    outOfSample.geomeanCostOverFloor.toFixed(2),
    thousands(outOfSample.violationSeconds),
    thousands(outOfSample.violationSecondsBeyondReactive),
    outOfSample.actionsPerHour.toFixed(1),
  ];
  return `| ${label} | ${cells.join(' | ')} |`;
}

export const OURS_ROW_LABEL = '**kafka-lag-scaler**';
export const REFERENCE_ROW_LABEL = 'reactive limit (reference)';
/** How the README names each baseline. */
const BASELINE_LABELS: Record<string, string> = {
  keda: 'KEDA Kafka scaler + HPA',
  'cloudwatch-alarm': 'CloudWatch alarm + step scaling',
  'target-tracking': 'target tracking on backlog per task',
};

/**
 * The README's comparison rows for ours (bold) and the reactive limit; with `withBaselines`, each
 * baseline at its best setting per trace too (slow: a grid per trace).
 */
export function comparisonRows(outOfSample: OutOfSample, withBaselines = false): Map<string, string> {
  const inSampleScenarios = loadScenarios(IN_SAMPLE_SETS);
  const inSampleReferences = runReferences(inSampleScenarios);
  const summarize = (label: string, inSample: SimulationResult[], out: SimulationResult[]) =>
    comparisonRow(label, summarizePolicy(label, inSample, inSampleReferences), summarizePolicy(label, out, outOfSample.references));
  const ours = summarize(OURS_ROW_LABEL, runOurs(inSampleScenarios, CADENCES.default), outOfSample.runs.get(CADENCES.default)!);
  const rows = new Map<string, string>([[OURS_ROW_LABEL, ours.replace(/\| ([\d.,]+) /g, '| **$1** ')]]);
  if (withBaselines) {
    for (const baseline of BASELINES) {
      const tuned = (scenarios: readonly Scenario[]) =>
        scenarios.map(({ trace, model }) => tuneBaseline(trace, baseline, { model }).result);
      const label = BASELINE_LABELS[baseline.key] ?? baseline.key;
      rows.set(label, summarize(label, tuned(inSampleScenarios), tuned(outOfSample.scenarios)));
    }
  }
  rows.set(REFERENCE_ROW_LABEL, summarize(REFERENCE_ROW_LABEL, [...inSampleReferences.reactive], [...outOfSample.references.reactive]));
  return rows;
}
