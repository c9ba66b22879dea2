/**
 * One tick of the controller: observe every target (lag in one batched read, ECS services
 * concurrently), ask each target's control loop (src/control), act where the answer differs and it
 * is safe, and return what happened per target. Each target goes on as soon as its own lag is read,
 * so a failure or a slow read in one target never stops or delays the others; the tick stops short
 * of the deadline rather than run past it. The rules between reads are the loop's; this file reads,
 * asks, acts and reports.
 */

import { ACT_RESERVE_MS, type ActDependencies, setCount } from '../act/set-count.js';
import { type ControlsResult, holdOn } from '../config/operator-controls.js';
import type { Target } from '../config/targets.js';
import { type Cadence, createControlLoop, type LoopAnswer, type Override } from '../control/index.js';
import { missedDeadline } from '../lag/read-lag.js';
import type { GroupLag, GroupRequest } from '../lag/types.js';
import { CONTROLLER_REASONS, type TargetDecision, type TargetError, type TickResult } from '../report/outcome.js';
import { concurrencyLimit } from '../util/concurrency-limit.js';
import { abortAfter, beforeDeadline } from '../util/deadline.js';
import { present } from '../util/present.js';
import { settle } from '../util/settle.js';
import { toReading } from './lag-reading.js';
import type { LoopStore } from './loop-store.js';
import { checkObserved, type Observed, type ObservedService } from './observed-target.js';

export { ACT_RESERVE_MS } from '../act/set-count.js';
export type { ObservedService } from './observed-target.js';

export interface TickDependencies extends ActDependencies {
  describeService(cluster: string, service: string, signal: AbortSignal): Promise<ObservedService>;
  /**
   * Starts reading every group's lag: one promise per request, in order, each settling on its own
   * by `deadline` (epoch ms) and never rejecting, so a slow group holds back only its own target.
   */
  readLag(requests: GroupRequest[], deadline: number): Promise<GroupLag>[];
  loops: LoopStore;
  /** Waits for a confirmation read (the same clock as `now`, so tests need no fake timers). */
  sleep(ms: number): Promise<void>;
}

export interface TickPlan {
  /** The targets to handle, each with the policy to decide with (overrides already applied). */
  targets: Target[];
  dryRun: boolean;
  /** Ticks that may act keep their loops' state; hand-run dry runs (maybe with other settings) must not. */
  keepHistory: boolean;
  /** The loops' cadence: the tick is the step period; a confirmation runs only where the deadline leaves time for it. */
  cadence: Cadence;
  /** Epoch ms by which the tick must be done. */
  deadline: number;
  /** ECS calls in flight at once. */
  concurrency: number;
  /** The operator's pause and pins, read while the tick observes; none: nothing is held. */
  controls?: Promise<ControlsResult>;
}

/** Per target, what was observed of its lag (metrics need the offset sums). */
export interface TickOutput {
  result: TickResult;
  lagByTarget: Map<string, GroupLag>;
}

/** A confirmation read starts only if, after its wait, this much is left to read and decide before the act reserve. */
const CONFIRM_READ_MIN_MS = 1_500;

interface TargetContext {
  plan: TickPlan;
  deps: TickDependencies;
  ecsCall: <T>(call: () => Promise<T>) => Promise<T>;
  /** This target's failures, filled as they happen. */
  errors: TargetError[];
  /** Records a read of this target's lag: the figures published are those of the read decided on. */
  seen: (lag: GroupLag) => void;
}

export async function runTick(plan: TickPlan, deps: TickDependencies): Promise<TickOutput> {
  const lagByTarget = new Map<string, GroupLag>();
  const lagReads = deps.readLag(plan.targets.map(requestOf), plan.deadline - ACT_RESERVE_MS);
  const ecsCall = concurrencyLimit(plan.concurrency);
  // Each target is observed, decided and acted on as soon as its own lag is in.
  const handled = await Promise.all(
    plan.targets.map(async (target, index) => {
      const errors: TargetError[] = [];
      const seen = (lag: GroupLag) => lag.status !== 'failed' && lagByTarget.set(target.name, lag);
      const lagRead = present(lagReads[index], 'readLag answers every request');
      const decision = await handleTarget(target, lagRead, { plan, deps, ecsCall, errors, seen });
      return { decision, errors };
    }),
  );
  return {
    result: { dryRun: plan.dryRun, decisions: handled.map((h) => h.decision), errors: handled.flatMap((h) => h.errors) },
    lagByTarget,
  };
}

function requestOf(target: Target): GroupRequest {
  return { group: target.group, ...(target.topics ? { topics: target.topics } : {}) };
}

/** One target's lag (from a read already started) and service, each bounded by the tick's observe deadline. */
async function observe(target: Target, lagRead: Promise<GroupLag>, { plan, deps, seen }: TargetContext): Promise<Observed> {
  const observeUntil = plan.deadline - ACT_RESERVE_MS;
  const [lag, serviceRead] = await Promise.all([
    // The reader settles by the deadline itself; the tick holds that line on its own as well.
    beforeDeadline(lagRead, observeUntil - deps.now(), () => missedDeadline(target.group, deps.now())),
    // Not through ecsCall: the service reader batches reads and bounds its own calls.
    settle(deps.describeService(target.cluster, target.service, abortAfter(observeUntil - deps.now()))),
  ]);
  seen(lag);
  return checkObserved(target, lag, serviceRead, plan.dryRun);
}

async function handleTarget(target: Target, lagRead: Promise<GroupLag>, context: TargetContext): Promise<TargetDecision> {
  const { plan, deps, errors } = context;
  let observed = await observe(target, lagRead, context);
  if (!observed.ok) return failed(observed, errors);
  const override = await overrideFor(target, plan, deps);
  const loop = createControlLoop({
    policy: target.policy,
    cadence: { ...plan.cadence, confirmSeconds: timeForConfirmation(plan, deps) ? plan.cadence.confirmSeconds : 0 },
    state: deps.loops.get(target.name) ?? { history: [] },
  });
  const ask = (o: Extract<Observed, { ok: true }>): LoopAnswer =>
    loop.observe({ now: deps.now(), lag: toReading(o.lag), service: o.service, ...(override ? { override } : {}) });
  let answer = ask(observed);
  if (answer.confirming) {
    // The first look kept the count; the read it asks for decides. One that fails holds, as any failed read does.
    await deps.sleep((loop.nextReadAt() ?? deps.now()) - deps.now());
    const [again] = deps.readLag([requestOf(target)], plan.deadline - ACT_RESERVE_MS);
    observed = await observe(target, present(again, 'readLag answers every request'), context);
    if (plan.keepHistory) deps.loops.set(target.name, loop.state());
    if (!observed.ok) return failed(observed, errors);
    answer = ask(observed);
  }
  if (plan.keepHistory) deps.loops.set(target.name, loop.state());

  const held = override?.kind === 'hold';
  if (held) errors.push({ target: target.name, step: 'control', message: override.detail });
  const current = observed.service.desired;
  const decided: TargetDecision = {
    ...observed.base,
    desired: answer.desired,
    // Seen completely and decided: in control, unless only advising or the operator's intent is unknown.
    inControl: !plan.dryRun && !held,
    reason: answer.reason,
    explanation: answer.explanation,
    health: answer.decision.health,
    figures: answer.decision.figures,
    ...(answer.heldBy ? { heldBy: answer.heldBy } : {}),
  };
  if (answer.desired === current || plan.dryRun) return decided;
  return setCount(target, current, decided, { deps, deadline: plan.deadline, ecsCall: context.ecsCall, errors });
}

function failed(observed: { held: TargetDecision; error: TargetError }, errors: TargetError[]): TargetDecision {
  errors.push(observed.error);
  return observed.held;
}

/**
 * What holds the decision: the operator's pause or pin; or, when the operator's intent cannot be
 * known, the controller's own hold (a parameter that cannot be read holds every target, a refused
 * pin its own). Bounded here too: the SSM call's own signal does not cover finding credentials.
 */
async function overrideFor(target: Target, plan: TickPlan, deps: TickDependencies): Promise<Override | undefined> {
  if (!plan.controls) return undefined;
  const controls = await beforeDeadline(plan.controls, plan.deadline - ACT_RESERVE_MS - deps.now(), () => ({
    ok: false as const,
    problem: 'control parameter: not read before the deadline',
  }));
  if (!controls.ok)
    return { kind: 'hold', reason: 'control-unreadable', why: CONTROLLER_REASONS['control-unreadable'], detail: controls.problem };
  const refused = controls.controls.refused.get(target.name);
  if (refused !== undefined) return { kind: 'hold', reason: 'pin-refused', why: CONTROLLER_REASONS['pin-refused'], detail: refused };
  const hold = holdOn(controls.controls, target.name);
  if (hold === undefined) return undefined;
  return hold.pinnedTasks === undefined ? { kind: 'pause', by: hold.by } : { kind: 'pin', by: hold.by, tasks: hold.pinnedTasks };
}

/**
 * A tick that is part of the record confirms (a scheduled one, dry or not, so shadow mode shows what
 * the live controller would do; the caller gives hand-runs none), and only with time left for the
 * second read.
 */
function timeForConfirmation(plan: TickPlan, deps: TickDependencies): boolean {
  const seconds = plan.cadence.confirmSeconds;
  if (seconds <= 0 || !plan.keepHistory) return false;
  return deps.now() + seconds * 1000 + CONFIRM_READ_MIN_MS <= plan.deadline - ACT_RESERVE_MS;
}
