/**
 * npm run simulate -- --trace FILE.csv [--autoscaler NAME] [--policy key=value,...] [--model key=value,...] [--html OUT.html]
 *
 * Replays one produce-rate trace under one autoscaler (our `decide` policy by default, or a
 * baseline) and prints cost and SLO figures; --html also writes the run's charts as one
 * self-contained page. --policy overrides the chosen autoscaler's settings, --model the consumer
 * service model's (tools/simulator/consumer-service.ts).
 * Exit status: 0 done, 2 bad arguments or trace.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY, POLICY_FIELDS, type Policy, validatePolicy } from '../src/decision/index.js';
import { BASELINES } from '../tools/simulator/baselines/index.js';
import { simulationChartHtml } from '../tools/simulator/chart.js';
import { DEFAULT_SERVICE_MODEL, SERVICE_MODEL_FIELDS } from '../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../tools/simulator/decide-autoscaler.js';
import { fixedAutoscaler } from '../tools/simulator/fixed-autoscaler.js';
import { type FieldSpec, OverrideError, parseOverrides } from '../tools/simulator/overrides.js';
import { SLO_TIME_LAG_SECONDS, simulate } from '../tools/simulator/simulate.js';
import { loadTrace, TraceFormatError } from '../tools/simulator/trace.js';
import type { Autoscaler } from '../tools/simulator/types.js';

const USAGE = `usage: npm run simulate -- --trace FILE.csv [--autoscaler NAME] [--policy key=value,...] [--model key=value,...] [--html OUT.html]
  --autoscaler  decide (default), ${BASELINES.map((b) => b.key).join(', ')}
  --policy      settings of that autoscaler, e.g. taskThroughput=100,targetUtilization=0.8
  --model       consumer service model, e.g. startupSeconds=120,commitIntervalSeconds=5`;

class UsageError extends Error {}

function createAutoscaler(name: string, policyText: string): Autoscaler {
  if (name === 'decide') {
    const overrides = parseOverrides(policyText, POLICY_FIELDS) as Partial<Policy>; // checked field by field
    const problems = validatePolicy({ ...DEFAULT_POLICY, ...overrides });
    if (problems.length > 0) throw new UsageError(problems.join('; '));
    return createDecideAutoscaler(overrides);
  }
  const baseline = BASELINES.find((b) => b.key === name);
  if (baseline === undefined) throw new UsageError(`unknown autoscaler "${name}"`);
  const fields: Record<string, FieldSpec> = Object.fromEntries(
    Object.keys(baseline.defaults).map((key) => [key, { kind: 'number', min: 0 }]),
  );
  const overrides = parseOverrides(policyText, fields) as Record<string, number>; // every field is numeric
  return baseline.create({ ...baseline.defaults, ...overrides });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      trace: { type: 'string' },
      autoscaler: { type: 'string', default: 'decide' },
      policy: { type: 'string', default: '' },
      model: { type: 'string', default: '' },
      html: { type: 'string' },
    },
  });
  if (values.trace === undefined) throw new UsageError('--trace is required');

  const trace = loadTrace(values.trace);
  const autoscaler = createAutoscaler(values.autoscaler, values.policy);
  const model = { ...DEFAULT_SERVICE_MODEL, ...parseOverrides(values.model, SERVICE_MODEL_FIELDS) };
  const result = simulate(trace, autoscaler, { model, recordSeries: values.html !== undefined });
  const unavoidable = simulate(trace, fixedAutoscaler(model.maxTasks), { model, initialTasks: model.maxTasks });

  const hours = (seconds: number) => (seconds / 3600).toFixed(1);
  console.log(`trace          ${trace.name} (${hours(trace.durationSeconds)} h)`);
  console.log(`autoscaler     ${result.autoscaler}`);
  console.log(
    `cost           ${hours(result.cost)} task-hours; floor ${hours(result.floor)}; cost/floor ${result.costOverFloor.toFixed(3)}`,
  );
  console.log(
    `SLO            time lag > ${SLO_TIME_LAG_SECONDS} s for ${result.sloViolationSeconds} s ` +
      `(unavoidable: ${unavoidable.sloViolationSeconds} s); max time lag ${result.maxTimeLagSeconds.toFixed(0)} s`,
  );
  console.log(`scale actions  ${result.scaleActions} (${result.actionsPerHour.toFixed(2)} per hour)`);
  if (values.html !== undefined) {
    writeFileSync(values.html, simulationChartHtml(result));
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
