/**
 * One tick of the controller: observe every target (lag in one batched read, ECS services
 * concurrently), decide each with its history, act where the decision differs and it is safe,
 * and return what happened per target. Each target goes on as soon as its own lag is read, so a
 * failure or a slow read in one target never stops or delays the others; the tick stops short of
 * the deadline rather than run past it.
 */

import type { Target } from '../config/controller-config.js';
import { type ControlsResult, holdOn, type OperatorHold } from '../config/operator-controls.js';
import { type Decision, type DecisionInput, decide, firstLookEntry, limitRate, stepBaseAt, toHistoryEntry } from '../decision/index.js';
import { missedDeadline } from '../lag/read-lag.js';
import type { GroupLag, GroupRequest } from '../lag/types.js';
import { concurrencyLimit } from '../util/concurrency-limit.js';
import { abortAfter, beforeDeadline } from '../util/deadline.js';
import type { HistoryStore } from './history-store.js';
import { toReading } from './lag-reading.js';
import { listedPartitions } from './listed-partitions.js';
import { CONTROLLER_REASONS, type ControllerReason, type TargetDecision, type TargetError, type TickResult } from './outcome.js';
import { callsForConfirmation } from './surge-watch.js';

/** What the controller needs to know of an ECS service. */
export interface ObservedService {
  /** MISSING: ECS does not know the service (DescribeServices listed it under failures). */
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'MISSING';
  desired: number;
  running: number;
  /** A deployment is replacing the service's tasks. */
  rollingOut: boolean;
}

export interface TickDependencies {
  /**
   * Starts reading every group's lag: one promise per request, in order, each settling on its own
   * by `deadline` (epoch ms) and never rejecting, so a slow group holds back only its own target.
   */
  readLag(requests: GroupRequest[], deadline: number): Promise<GroupLag>[];
  describeService(cluster: string, service: string, signal: AbortSignal): Promise<ObservedService>;
  /** Rejects when it fails; an error with `outcomeUnknown: true` (a timeout, a 5xx) may have been applied. */
  setDesiredCount(cluster: string, service: string, desired: number, signal: AbortSignal): Promise<void>;
  history: HistoryStore;
  now(): number;
}

export interface TickPlan {
  /** The targets to handle, each with the policy to decide with (overrides already applied). */
  targets: Target[];
  dryRun: boolean;
  /** Ticks that may act keep history; hand-run dry runs (maybe with other settings) must not. */
  keepHistory: boolean;
  /** The schedule's period: decisions within one period move the count by one step at most. */
  periodSeconds: number;
  /** Epoch ms by which the tick must be done. */
  deadline: number;
  /** ECS calls in flight at once. */
  concurrency: number;
  /** The operator's pause and pins, read while the tick observes; none: nothing is held. */
  controls?: Promise<ControlsResult>;
  /** A decision that would raise a count is confirmed by a second read this many seconds later (0: none; see callsForConfirmation). */
  confirmSeconds?: number;
}

/** Per target, what was observed of its lag (metrics need the offset sums). */
export interface TickOutput {
  result: TickResult;
  lagByTarget: Map<string, GroupLag>;
}

/** Kept back from the tick's deadline for the last UpdateService and the report. */
export const ACT_RESERVE_MS = 2_000;
/** Below this much time left, an unanswered UpdateService is not followed by a re-read. */
const REREAD_MIN_MS = 200;
/** A confirmation read starts only if, after its wait, this much is left to read and decide before the act reserve. */
const CONFIRM_READ_MIN_MS = 1_500;

export async function runTick(plan: TickPlan, deps: TickDependencies): Promise<TickOutput> {
  const { targets } = plan;
  const lagByTarget = new Map<string, GroupLag>();
  const observeUntil = plan.deadline - ACT_RESERVE_MS;
  const lagReads = deps.readLag(
    targets.map((t) => ({ group: t.group, ...(t.topics ? { topics: t.topics } : {}) })),
    observeUntil,
  );
  const ecsCall = concurrencyLimit(plan.concurrency);

  // Each target is observed, decided and acted on as soon as its own lag is in.
  const handled = await Promise.all(
    targets.map(async (target, index) => {
      const errors: TargetError[] = [];
      const seen = (lag: GroupLag) => lag.status !== 'failed' && lagByTarget.set(target.name, lag);
      const [lag, serviceRead] = await observe(target, lagReads[index]!, { plan, deps });
      seen(lag);
      const decision = await handleTarget(target, lag, serviceRead, { plan, deps, ecsCall, errors, seen });
      return { decision, errors };
    }),
  );
  return {
    result: { dryRun: plan.dryRun, decisions: handled.map((h) => h.decision), errors: handled.flatMap((h) => h.errors) },
    lagByTarget,
  };
}

/** One target's lag (from a read already started) and service, each bounded by the tick's observe deadline. */
function observe(
  target: Target,
  lagRead: Promise<GroupLag>,
  { plan, deps }: Pick<TargetContext, 'plan' | 'deps'>,
): Promise<[GroupLag, Settled<ObservedService>]> {
  const observeUntil = plan.deadline - ACT_RESERVE_MS;
  return Promise.all([
    // The reader settles by the deadline itself; the tick holds that line on its own as well.
    beforeDeadline(lagRead, observeUntil - deps.now(), () => missedDeadline(target.group, deps.now())),
    // Not through ecsCall: the service reader batches reads and bounds its own calls.
    settle(deps.describeService(target.cluster, target.service, abortAfter(observeUntil - deps.now()))),
  ]);
}

interface TargetContext {
  plan: TickPlan;
  deps: TickDependencies;
  ecsCall: <T>(call: () => Promise<T>) => Promise<T>;
  /** This target's failures, filled as they happen. */
  errors: TargetError[];
  /** Records a read of this target's lag: the figures published are those of the read decided on. */
  seen: (lag: GroupLag) => void;
}

async function handleTarget(
  target: Target,
  lag: GroupLag,
  serviceRead: Settled<ObservedService>,
  context: TargetContext,
): Promise<TargetDecision> {
  const { plan, deps, ecsCall, errors } = context;
  const base = baseDecision(target, lag, plan.dryRun);
  const hold = (reason: ControllerReason, step: TargetError['step'] | null, detail?: string): TargetDecision => {
    if (step) errors.push({ target: target.name, step, message: detail ?? CONTROLLER_REASONS[reason] });
    return { ...base, reason, explanation: detail ? `${CONTROLLER_REASONS[reason]} (${detail})` : CONTROLLER_REASONS[reason] };
  };

  if (lag.status === 'failed' && lag.error?.kind === 'deadline') return hold('deadline', 'deadline', lag.error.message);
  if (lag.status === 'failed') return hold('lag-read-failed', 'lag', lag.error?.message);
  if (lag.incomplete) return hold('lag-read-incomplete', 'lag', describeIncomplete(lag));
  if (lag.status === 'no-offsets' && !target.allowNoCommits) return hold('group-has-no-offsets', 'lag', describeNoOffsets(lag));
  if (!serviceRead.ok)
    return hold(
      serviceRead.kind === 'incomplete' ? 'service-read-incomplete' : 'service-read-failed',
      'describe-service',
      serviceRead.message,
    );
  const service = serviceRead.value;
  const observed = { ...base, current: service.desired, running: service.running, desired: service.desired };
  if (service.status === 'MISSING')
    return { ...hold('service-missing', 'describe-service', `${target.cluster}/${target.service}`), current: null };
  if (service.status !== 'ACTIVE') return { ...observed, ...hold('service-not-active', 'describe-service', `status ${service.status}`) };

  const now = deps.now();
  const history = deps.history.get(target.name, now, target.policy);
  const stepBase = stepBaseAt(history, now, plan.periodSeconds);
  const input: DecisionInput = {
    now,
    lag: toReading(lag),
    service: { desired: service.desired, running: service.running },
    history,
    ...(stepBase !== undefined ? { stepBase } : {}),
  };
  let decision = decide(input, target.policy);
  if (decision.reason === 'invalid-history') {
    // History never freezes a target: one decide rejects is dropped, and the target decides as after a cold start.
    deps.history.discard(target.name);
    decision = decide({ ...input, history: [] }, target.policy);
    decision = { ...decision, explanation: `${decision.explanation} (Its history was inconsistent and was discarded.)` };
  }
  if (confirmationFits(plan, deps) && callsForConfirmation({ desired: decision.desired, current: service.desired })) {
    return confirmScaleUp(target, input, decision, context);
  }
  // Bounded here too: the SSM call's own signal does not cover finding credentials.
  const controls = plan.controls
    ? await beforeDeadline(plan.controls, plan.deadline - ACT_RESERVE_MS - deps.now(), () => ({
        ok: false as const,
        problem: 'control parameter: not read before the deadline',
      }))
    : undefined;
  // The operator's intent cannot be known: a parameter that cannot be read holds every target, a refused pin its own.
  const unknownIntent = controls && !controls.ok ? { reason: 'control-unreadable' as const, problem: controls.problem } : undefined;
  const refusedPin = controls?.ok ? controls.controls.refused.get(target.name) : undefined;
  const controlHold = unknownIntent ?? (refusedPin !== undefined ? { reason: 'pin-refused' as const, problem: refusedPin } : undefined);
  if (controlHold) {
    if (plan.keepHistory) deps.history.append(target.name, toHistoryEntry(input, { ...decision, desired: service.desired }), target.policy);
    errors.push({ target: target.name, step: 'control', message: controlHold.problem });
    return {
      ...observed,
      health: decision.health,
      figures: decision.figures,
      ...holdAt(service.desired, controlHold.reason, decision, controlHold.problem),
    };
  }
  const operatorHold = controls?.ok ? holdOn(controls.controls, target.name) : undefined;
  const chosen = operatorHold ? operatorChoice(operatorHold, decision, service.desired, stepBase ?? service.desired, target) : decision;
  if (plan.keepHistory) deps.history.append(target.name, toHistoryEntry(input, { ...decision, desired: chosen.desired }), target.policy);
  // Seen completely and decided: in control, unless only advising or it cannot act below.
  const decided: TargetDecision = {
    ...observed,
    desired: chosen.desired,
    inControl: !plan.dryRun,
    reason: chosen.reason,
    explanation: chosen.explanation,
    health: decision.health,
    figures: decision.figures,
    ...(operatorHold ? { heldBy: operatorHold.by } : {}),
  };

  if (chosen.desired === service.desired) return decided;
  if (service.rollingOut && chosen.desired < service.desired) {
    return { ...decided, ...holdAt(service.desired, 'deployment-in-progress', chosen) };
  }
  if (plan.dryRun) return decided;
  const remaining = plan.deadline - deps.now();
  if (remaining < ACT_RESERVE_MS / 2) {
    errors.push({ target: target.name, step: 'deadline', message: `${remaining} ms left before the deadline` });
    return { ...decided, inControl: false, ...holdAt(service.desired, 'deadline', chosen) };
  }
  try {
    await ecsCall(() => deps.setDesiredCount(target.cluster, target.service, chosen.desired, abortAfter(remaining)));
    return { ...decided, changed: true };
  } catch (error) {
    if (!(error as { outcomeUnknown?: boolean }).outcomeUnknown) {
      errors.push({ target: target.name, step: 'update-service', message: messageOf(error) });
      return { ...decided, inControl: false, ...holdAt(service.desired, 'update-failed', chosen, messageOf(error)) };
    }
    return settleUnknownUpdate(target, service.desired, chosen, messageOf(error), context, decided);
  }
}

/**
 * A tick that is part of the record confirms (a scheduled one, dry or not, so shadow mode shows what
 * the live controller would do; the caller gives hand-runs none), and only with time left for the
 * second read.
 */
function confirmationFits(plan: TickPlan, deps: TickDependencies): boolean {
  const seconds = plan.confirmSeconds ?? 0;
  if (seconds <= 0 || !plan.keepHistory) return false;
  return deps.now() + seconds * 1000 + CONFIRM_READ_MIN_MS <= plan.deadline - ACT_RESERVE_MS;
}

/**
 * A decision to raise the count, confirmed before it acts (callsForConfirmation): the first read
 * goes into the history as a first look that kept the count (its recommendation still counts for
 * the scale-down stabilization, so the second read cannot turn a scale-up into a scale-down), the
 * target is read again `confirmSeconds` later, and the tick decides and acts on that read, whose
 * produce rate over those seconds shows a surge the minute's average hides. A second read that
 * fails holds as any failed read does: nothing scales on missing data.
 */
async function confirmScaleUp(
  target: Target,
  first: DecisionInput,
  firstDecision: Decision,
  context: TargetContext,
): Promise<TargetDecision> {
  const { plan, deps } = context;
  const seconds = plan.confirmSeconds!;
  deps.history.append(target.name, firstLookEntry(first, firstDecision), target.policy);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, first.now + seconds * 1000 - deps.now())));
  const request = { group: target.group, ...(target.topics ? { topics: target.topics } : {}) };
  const [lag, serviceRead] = await observe(target, deps.readLag([request], plan.deadline - ACT_RESERVE_MS)[0]!, context);
  context.seen(lag);
  const confirmed = await handleTarget(target, lag, serviceRead, { ...context, plan: { ...plan, confirmSeconds: 0 } });
  const note = `(Read again ${seconds} s after a first read that alone asked for ${firstDecision.desired}.)`;
  return { ...confirmed, explanation: `${confirmed.explanation} ${note}` };
}

/** What the tick settles on: the decision, or the operator's hold over it. */
interface Choice {
  desired: number;
  reason: string;
  explanation: string;
}

/**
 * An operator's hold over the decision: a pause keeps the count; a pin moves toward its count by a
 * step per period at most, never away from it (the step limits hold for operators too), and says
 * what the decision was.
 */
function operatorChoice(hold: OperatorHold, decision: Decision, current: number, stepBase: number, target: Target): Choice {
  const would = `The decision would be ${decision.desired} (${decision.reason}): ${decision.explanation}`;
  if (hold.pinnedTasks === undefined) {
    return { desired: current, reason: 'paused', explanation: `Paused by ${hold.by}: held at ${current}. ${would}` };
  }
  const pin = hold.pinnedTasks;
  const { tasks: desired } = limitRate(pin, { base: stepBase, current }, target.policy);
  const toward = desired === pin ? `at ${pin}` : `moving to ${pin}, now ${desired} (a step per period at most)`;
  return { desired, reason: 'pinned', explanation: `Pinned by ${hold.by} ${toward}. ${would}` };
}

/**
 * UpdateService failed in a way that may still have applied it (it sets an absolute count, so ECS may
 * run the new count though we never heard back): look once, if there is time, and report what ECS has.
 */
async function settleUnknownUpdate(
  target: Target,
  before: number,
  decision: Choice,
  failure: string,
  { plan, deps, errors }: TargetContext,
  decided: TargetDecision,
): Promise<TargetDecision> {
  const left = plan.deadline - deps.now();
  const reread = left >= REREAD_MIN_MS ? await settle(deps.describeService(target.cluster, target.service, abortAfter(left))) : undefined;
  if (reread?.ok && reread.value.desired === decision.desired) {
    return {
      ...decided,
      changed: true,
      explanation: `${decided.explanation} UpdateService did not answer in time (${failure}), but DescribeServices shows the new count.`,
    };
  }
  errors.push({ target: target.name, step: 'update-service', message: failure });
  if (reread?.ok && reread.value.desired === before) {
    return {
      ...decided,
      inControl: false,
      ...holdAt(before, 'update-failed', decision, `${failure}; DescribeServices still shows ${before}`),
    };
  }
  const seen =
    reread === undefined
      ? 'no time was left to re-read the service'
      : reread.ok
        ? `DescribeServices now shows ${reread.value.desired}`
        : `the re-read failed too: ${reread.message}`;
  return {
    ...decided,
    inControl: false,
    desired: null,
    reason: 'update-unknown',
    explanation: `${CONTROLLER_REASONS['update-unknown']} The decision was ${decision.desired} (${decision.reason}): ${failure}; ${seen}.`,
  };
}

function baseDecision(target: Target, lag: GroupLag, dryRun: boolean): TargetDecision {
  return {
    target: target.name,
    group: target.group,
    cluster: target.cluster,
    service: target.service,
    lag:
      lag.status !== 'failed'
        ? {
            total: lag.totalLag,
            max: lag.maxPartitionLag,
            status: lag.status,
            ...listedPartitions(lag.partitions),
            warnings: lag.warnings,
            ...(lag.description ? { group: lag.description } : {}),
          }
        : null,
    current: null,
    running: null,
    desired: null,
    changed: false,
    inControl: false,
    dryRun,
    reason: '',
    explanation: '',
    ...(target.policy.maxTimeLagSeconds > 0 ? { objectiveSeconds: target.policy.maxTimeLagSeconds } : {}),
  };
}

/** The decision stands as information, but the count stays where it is, with the controller's reason. */
function holdAt(current: number, reason: ControllerReason, decision: Choice, detail?: string): Partial<TargetDecision> {
  return {
    desired: current,
    reason,
    explanation: `${CONTROLLER_REASONS[reason]} The decision was ${decision.desired} (${decision.reason})${detail ? `: ${detail}` : '.'}`,
  };
}

function describeIncomplete(lag: GroupLag): string {
  if (lag.status === 'unknown-topic') return `missing topics: ${lag.missingTopics.join(', ')}`;
  if (lag.status === 'no-offsets') return 'the group has no committed offsets and no topics are configured';
  return lag.error?.message ?? lag.status;
}

/** What Kafka says of a group without commits, where it says anything (DescribeGroups). */
function describeNoOffsets(lag: GroupLag): string {
  const state = lag.description?.state;
  if (state === 'Dead') return `group ${lag.group} does not exist: misspelt?`;
  if (state === 'Empty') return `group ${lag.group} exists with no members and no committed offsets: expired, or never committed`;
  if (state) return `group ${lag.group} is ${state} with ${lag.description?.members} members but has no committed offsets yet`;
  return `group ${lag.group}: no committed offset on any of its ${lag.partitionCount} partitions`;
}

/** A settled call; a failure keeps the error's kind where it has one (an EcsError's). */
type Settled<T> = { ok: true; value: T } | { ok: false; message: string; kind?: string };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const kind = (error as { kind?: unknown })?.kind;
    return { ok: false, message: messageOf(error), ...(typeof kind === 'string' ? { kind } : {}) };
  }
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
