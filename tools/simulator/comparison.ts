/**
 * The runs behind every published figure: the traces of a set with their service models, our
 * policy at each cadence with what an operator gives it, and the two references. bench:control
 * prints them (with the tuned baselines); the docs' figure tables are generated from them, and a
 * test holds the docs to them, so a change to the policy fails until the figures say the same.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_POLICY, type Policy, validatePolicy } from '../../src/decision/index.js';
import { DEFAULT_CADENCE, type Cadence as LoopCadence } from '../../src/index.js';
import { resolveServiceModel, type ServiceModel } from './consumer-service.js';
import { createDecideAutoscaler } from './decide-autoscaler.js';
import { fixedAutoscaler } from './fixed-autoscaler.js';
import { OverrideError } from './overrides.js';
import { reactiveLimitAutoscaler } from './reactive-limit.js';
import { type SimulationResult, simulate } from './simulate.js';
import type { References } from './summary.js';
import { loadTrace, type Trace } from './trace.js';

export const TRACES_DIR = resolve(import.meta.dirname, '..', '..', 'traces');
/** The traces the defaults were tuned on (in-sample). */
export const IN_SAMPLE_SETS = ['synthetic', 'real'];
/** Written against the controller; only the objective's derived knobs were chosen on them. */
export const OUT_OF_SAMPLE_SETS = ['adversarial'];
/** Issue 12's objective: the time lag the operator allows, and the SLO the simulator scores. */
export const OBJECTIVE_SECONDS = 180;

export interface Scenario {
  trace: Trace;
  model: ServiceModel;
}

/**
 * Every trace of the sets (folders of traces/), each with its own model (`name.model.json`) and the
 * model overrides on top; fails, naming the trace, when our policy with `ourOverrides` would be invalid there.
 */
export function loadScenarios(
  sets: readonly string[],
  modelOverrides: Partial<ServiceModel> = {},
  ourOverrides: Partial<Policy> = {},
): Scenario[] {
  return sets
    .flatMap((set) => tracesIn(resolve(TRACES_DIR, set)))
    .map((path) => {
      const trace = loadTrace(path, relative(TRACES_DIR, path));
      const model = resolveServiceModel(trace.name, trace.model, modelOverrides);
      const problems = validatePolicy({ ...DEFAULT_POLICY, ...operatorSettings(model), ...ourOverrides });
      if (problems.length > 0) throw new OverrideError(`our policy for ${trace.name}: ${problems.join('; ')}`);
      return { trace, model };
    });
}

function tracesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return tracesIn(path);
      return entry.name.endsWith('.csv') ? [path] : [];
    })
    .sort();
}

/** What an operator gives our policy (issue 12): the objective, and the service's figures and bounds. */
export function operatorSettings(model: ServiceModel): Partial<Policy> {
  return {
    maxTimeLagSeconds: OBJECTIVE_SECONDS,
    taskThroughput: model.taskThroughput,
    taskStartupSeconds: model.startupSeconds,
    rebalancePauseSeconds: model.rebalancePauseSeconds,
    minTasks: model.minTasks,
    maxTasks: model.maxTasks,
  };
}

/** How often our policy decides (as the Lambda's settings set it), and how the docs name it. */
export interface Cadence extends Partial<LoopCadence> {
  label: string;
  /** Settings beyond the operator's (e.g. the throughput learned). */
  extra?: Partial<Policy>;
}

const { surgeTickSeconds: SURGE_TICK_SECONDS } = DEFAULT_CADENCE;

/** As the Lambda's settings give them: what a cadence leaves out takes the Lambda's default where it fits. */
export const CADENCES = {
  /** One tick a minute, a scale-up acting on the tick's own read: what confirmation reads add is measured against it. */
  firstRead: { label: 'ours, 60 s ticks, acting on the first read', tickSeconds: 60, surgeTickSeconds: 0, confirmSeconds: 0 },
  /** One tick a minute; a scale-up confirmed by a second read (SCALER_CONFIRM_SECONDS) before it acts. */
  minute: { label: 'ours, 60 s ticks', tickSeconds: 60, surgeTickSeconds: 0 },
  default: { label: `ours, 60 s ticks + ${SURGE_TICK_SECONDS} s while surging (default)`, tickSeconds: 60 },
  learned: { label: 'ours learned, 60 s ticks', tickSeconds: 60, surgeTickSeconds: 0, extra: { taskThroughput: 0 } },
} satisfies Record<string, Cadence>;

/** Our policy at every tick `tickSeconds` apart all the time (SCALER_TICK_SECONDS below the period: no surge ticks). */
export function everyTick(tickSeconds: number): Cadence {
  return { label: `ours, ${tickSeconds} s ticks`, tickSeconds, surgeTickSeconds: 0 };
}

export function runOurs(scenarios: readonly Scenario[], cadence: Cadence, overrides: Partial<Policy> = {}): SimulationResult[] {
  return scenarios.map(({ trace, model }) =>
    simulate(trace, createDecideAutoscaler({ ...operatorSettings(model), ...overrides, ...cadence.extra }, loopCadence(cadence)), {
      model,
    }),
  );
}

function loopCadence({ tickSeconds, surgeTickSeconds, confirmSeconds }: Cadence): Partial<LoopCadence> {
  return {
    ...(tickSeconds !== undefined ? { tickSeconds } : {}),
    ...(surgeTickSeconds !== undefined ? { surgeTickSeconds } : {}),
    ...(confirmSeconds !== undefined ? { confirmSeconds } : {}),
  };
}

/** Every task from t = 0 (what no controller avoids) and the reactive limit (what no controller that only reacts avoids). */
export function runReferences(scenarios: readonly Scenario[]): References {
  return {
    unavoidable: scenarios.map(({ trace, model }) =>
      simulate(trace, fixedAutoscaler(model.maxTasks), { model, initialTasks: model.maxTasks }),
    ),
    reactive: scenarios.map(({ trace, model }) => simulate(trace, reactiveLimitAutoscaler(model), { model })),
  };
}
