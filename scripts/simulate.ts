/**
 * npm run simulate -- --trace FILE.csv [--autoscaler NAME] [--policy key=value,...] [--model key=value,...] [--tick SECONDS] [--html OUT.html]
 *
 * Replays one produce-rate trace under one autoscaler (our `decide` policy by default, or a
 * baseline) and prints the service model and the policy it ran, then cost and SLO figures
 * against the two references (every task from the start; the reactive limit); --html also writes
 * the run's charts as one self-contained page. --policy overrides the chosen autoscaler's
 * settings, --model the consumer service model's (tools/simulator/consumer-service.ts; a trace's
 * own `name.model.json` applies first). When our policy's taskThroughput differs from the
 * model's, it says so: the policy then sizes for tasks that are not the simulated ones.
 * Exit status: 0 done, 2 bad arguments or trace.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY, POLICY_FIELDS, type Policy, validatePolicy } from '../src/decision/index.js';
import { BASELINES } from '../tools/simulator/baselines/index.js';
import { simulationChartHtml } from '../tools/simulator/chart.js';
import {
  DEFAULT_SERVICE_MODEL,
  resolveServiceModel,
  SERVICE_MODEL_FIELDS,
  type ServiceModel,
} from '../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../tools/simulator/decide-autoscaler.js';
import { fixedAutoscaler } from '../tools/simulator/fixed-autoscaler.js';
import { type FieldSpec, OverrideError, parseOverrides } from '../tools/simulator/overrides.js';
import { reactiveLimitAutoscaler } from '../tools/simulator/reactive-limit.js';
import { SLO_TIME_LAG_SECONDS, simulate } from '../tools/simulator/simulate.js';
import { formatReasons } from '../tools/simulator/summary.js';
import { loadTrace, TraceFormatError } from '../tools/simulator/trace.js';
import type { Autoscaler } from '../tools/simulator/types.js';

const USAGE = `usage: npm run simulate -- --trace FILE.csv [--autoscaler NAME] [--policy key=value,...] [--model key=value,...] [--tick SECONDS] [--html OUT.html]
  --autoscaler  decide (default), ${BASELINES.map((b) => b.key).join(', ')}
  --policy      settings of that autoscaler, e.g. taskThroughput=100,maxTimeLagSeconds=180
  --model       consumer service model, e.g. startupSeconds=120,commitIntervalSeconds=5
  --tick        seconds between our policy's decisions (default 60)`;

class UsageError extends Error {}

interface Chosen {
  autoscaler: Autoscaler;
  /** The settings it runs with, as printed. */
  settings: Record<string, number | boolean>;
  /** Our policy's configured throughput (0: learned); undefined for a baseline. */
  taskThroughput?: number;
  /** Our policy's objective (maxTimeLagSeconds; 0 off); undefined for a baseline. */
  objectiveSeconds?: number;
}

function chooseAutoscaler(name: string, policyText: string, tickSeconds: number): Chosen {
  if (name === 'decide') {
    const overrides = parseOverrides(policyText, POLICY_FIELDS) as Partial<Policy>; // checked field by field
    const policy = { ...DEFAULT_POLICY, ...overrides };
    const problems = validatePolicy(policy);
    if (problems.length > 0) throw new UsageError(problems.join('; '));
    return {
      autoscaler: createDecideAutoscaler(overrides, { tickSeconds }),
      settings: overrides,
      taskThroughput: policy.taskThroughput,
      objectiveSeconds: policy.maxTimeLagSeconds,
    };
  }
  const baseline = BASELINES.find((b) => b.key === name);
  if (baseline === undefined) throw new UsageError(`unknown autoscaler "${name}"`);
  const fields: Record<string, FieldSpec> = Object.fromEntries(
    Object.keys(baseline.defaults).map((key) => [key, { kind: 'number', min: 0 }]),
  );
  const overrides = parseOverrides(policyText, fields) as Record<string, number>; // every field is numeric
  const settings = { ...baseline.defaults, ...overrides };
  return { autoscaler: baseline.create(settings), settings };
}

/** The model's settings that differ from the issue's model, or "the issue's model". */
function describeModel(model: ServiceModel): string {
  const core = `${model.partitions} partitions, ${model.taskThroughput} msg/s per task, ${model.startupSeconds} s start-up, ${model.rebalancePauseSeconds} s rebalance pause, ${model.minTasks}–${model.maxTasks} tasks`;
  const extras = (Object.keys(model) as (keyof ServiceModel)[])
    .filter((key) => !['partitions', 'taskThroughput', 'startupSeconds', 'rebalancePauseSeconds', 'minTasks', 'maxTasks'].includes(key))
    .filter((key) => model[key] !== DEFAULT_SERVICE_MODEL[key])
    .map((key) => `${key}=${model[key]}`);
  return extras.length > 0 ? `${core}; ${extras.join(', ')}` : core;
}

function describeSettings(settings: Record<string, number | boolean>): string {
  const pairs = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  return pairs.length > 0 ? pairs.join(', ') : 'the defaults';
}

function main(): void {
  const { values } = parseArgs({
    options: {
      trace: { type: 'string' },
      autoscaler: { type: 'string', default: 'decide' },
      policy: { type: 'string', default: '' },
      model: { type: 'string', default: '' },
      tick: { type: 'string', default: '60' },
      html: { type: 'string' },
    },
  });
  if (values.trace === undefined) throw new UsageError('--trace is required');
  const tickSeconds = Number(values.tick);
  if (!Number.isInteger(tickSeconds) || tickSeconds < 1 || tickSeconds > 60) {
    throw new UsageError(`--tick: expected whole seconds from 1 to 60, got "${values.tick}"`);
  }

  const trace = loadTrace(values.trace);
  const chosen = chooseAutoscaler(values.autoscaler, values.policy, tickSeconds);
  const model = resolveServiceModel(trace.name, trace.model, parseOverrides(values.model, SERVICE_MODEL_FIELDS) as Partial<ServiceModel>);
  const result = simulate(trace, chosen.autoscaler, { model, recordSeries: values.html !== undefined });
  const unavoidable = simulate(trace, fixedAutoscaler(model.maxTasks), { model, initialTasks: model.maxTasks });
  const reactive = simulate(trace, reactiveLimitAutoscaler(model), { model });

  const hours = (seconds: number) => (seconds / 3600).toFixed(1);
  console.log(`trace          ${trace.name} (${hours(trace.durationSeconds)} h)`);
  console.log(`model          ${describeModel(model)}${Object.keys(trace.model).length > 0 ? ' (with the trace’s model.json)' : ''}`);
  console.log(`autoscaler     ${result.autoscaler}`);
  console.log(
    `policy         ${describeSettings(chosen.settings)}${values.autoscaler === 'decide' ? `; one decision every ${tickSeconds} s` : ''}`,
  );
  if (chosen.taskThroughput !== undefined && chosen.taskThroughput > 0 && chosen.taskThroughput !== model.taskThroughput) {
    console.log(
      `WARNING        the policy's taskThroughput (${chosen.taskThroughput} msg/s) is not the model's (${model.taskThroughput} msg/s per task): ` +
        `it sizes for tasks that are not the simulated ones. To simulate such tasks, pass --model taskThroughput=${chosen.taskThroughput}.`,
    );
  }
  console.log(
    `cost           ${hours(result.cost)} task-hours; floor ${hours(result.floor)}; cost/floor ${result.costOverFloor.toFixed(3)}` +
      (result.endBacklog >= 1
        ? ` (includes ${hours(result.endBacklogTaskSeconds)} task-hours for ${Math.round(result.endBacklog)} messages left at the end)`
        : ''),
  );
  console.log(
    `SLO            time lag > ${SLO_TIME_LAG_SECONDS} s for ${result.sloViolationSeconds} s ` +
      `(unavoidable: ${unavoidable.sloViolationSeconds} s; reactive limit: ${reactive.sloViolationSeconds} s); max time lag ${result.maxTimeLagSeconds.toFixed(0)} s`,
  );
  console.log(`scale actions  ${result.scaleActions} (${result.actionsPerHour.toFixed(2)} per hour)`);
  if (result.ceilingWindow !== undefined) {
    const w = result.ceilingWindow;
    console.log(
      `ceiling        ${w.ceilingRate} msg/s: mean ${w.meanTasks.toFixed(1)} tasks while it holds (the fewest reaching it: ${w.fewestTasksReaching}); reasons ${formatReasons(w.reasons) || 'none given'}`,
    );
  }
  if (values.html !== undefined) {
    const objective = chosen.objectiveSeconds ?? 0;
    writeFileSync(values.html, simulationChartHtml(result, objective > 0 ? { objectiveSeconds: objective } : {}));
    console.log(`chart          ${values.html}`);
  }
}

try {
  main();
} catch (error) {
  if (error instanceof UsageError || error instanceof OverrideError || error instanceof TraceFormatError) {
    console.error(`simulate: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`simulate: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
    console.error(`simulate: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
