/**
 * The control loop of one target, as the Lambda runs it and the simulator replays it: what happens
 * from one read of the target's lag to the next. Pure: no I/O and no clock of its own. The caller
 * reads the lag and the service, says when (`now`), and applies the answer; the loop owns the rest:
 *
 *   history   the readings and decisions `decide` needs, trimmed to its windows; a history
 *             `decide` rejects is discarded and the target decides as after a cold start
 *   period    the count at the start of the step period: steps hold per period, however many
 *             reads (surge ticks, confirmations, redelivered events) fall in it
 *   confirm   a first look that would raise the count keeps it, and the read `confirmSeconds`
 *             later decides with that first look as its input (DecisionInput.firstLook)
 *   surge     after a decision that calls for a closer watch, a read every `surgeTickSeconds`
 *   holds     an operator's pause or pin, the controller's own hold, and a scale-in that waits
 *             while a deployment rolls out
 *
 *   const loop = createControlLoop({ policy: { maxTimeLagSeconds: 180 } });
 *   for (const read of reads) if (loop.due(read.now)) apply(loop.observe(read).desired);
 */
import {
  type Decision,
  type DecisionInput,
  decide,
  type HistoryEntry,
  type LagReading,
  limitRate,
  type Policy,
  resolvePolicy,
  SAME_PERIOD_SHARE,
  type ServiceCounts,
  stepBaseAt,
  toHistoryEntry,
  trimHistory,
} from '../decision/index.js';
import { type Cadence, resolveCadence, slotSecondsOf } from './cadence.js';
import { heldExplanation, LOOP_REASONS } from './loop-reasons.js';
import { callsForCloserWatch, callsForConfirmation } from './surge-watch.js';

/** What the loop keeps between reads: plain data, so the Lambda keeps it across warm invocations. Never changed once made. */
export interface LoopState {
  /** Oldest first. */
  history: HistoryEntry[];
  /** The step period the last tick fell in: when it began, and the desired count then. */
  period?: { start: number; base: number };
  /** Epoch ms of the first read ever (scheduled ticks fall on multiples of the tick after it) and of this tick's first read. */
  firstReadAt?: number;
  tickStartedAt?: number;
  /** The last decision called for a closer watch: surge ticks until one is calm. */
  watching?: boolean;
  /** A first look waiting for its confirmation read. */
  pending?: { now: number; lag: LagReading; service: ServiceCounts; decision: Decision };
}

/** What overrides the decision: an operator's pause or pin, or the controller's own hold. */
export type Override =
  | { kind: 'pause'; by: string }
  | { kind: 'pin'; by: string; tasks: number }
  /** The operator's intent cannot be known (the control parameter unreadable, a pin refused): the count is kept. */
  | { kind: 'hold'; reason: string; why: string; detail: string };

export interface LoopObservation {
  /** Epoch ms of the read. */
  now: number;
  lag: LagReading;
  service: ServiceCounts & { rollingOut?: boolean };
  override?: Override;
}

export interface LoopAnswer {
  /** The count to set. */
  desired: number;
  /** `decide`'s reason, a LOOP_REASONS one, or an override's. */
  reason: string;
  explanation: string;
  /** `decide`'s answer, before any hold (its health and figures describe the read). */
  decision: Decision;
  /** A first look: the count is kept until the confirmation read, due at nextReadAt(). */
  confirming: boolean;
  /** Who holds the count (an operator's pause or pin). */
  heldBy?: string;
}

export interface ControlLoopOptions {
  /** Resolved as the Lambda resolves its settings (resolvePolicy); default: the defaults. */
  policy?: Partial<Policy>;
  /** Default: the Lambda's (DEFAULT_CADENCE), a surge tick or confirmation that does not fit the tick off. */
  cadence?: Partial<Cadence>;
  /** A state from `loop.state()` (the Lambda's, kept between invocations, or restored); default: none. */
  state?: LoopState;
}

export interface ControlLoop {
  readonly policy: Policy;
  readonly cadence: Cadence;
  /** Reads fall on multiples of this after the first (the greatest common divisor of the cadence's intervals). */
  readonly slotSeconds: number;
  /** Epoch ms of the loop's next read: a pending confirmation, a surge tick, else the next tick; undefined before the first. */
  nextReadAt(): number | undefined;
  /** Whether the loop takes a read at `now` (epoch ms): within half a slot of nextReadAt(), or before any read. */
  due(now: number): boolean;
  observe(observation: LoopObservation): LoopAnswer;
  state(): LoopState;
}

export function createControlLoop(options: ControlLoopOptions = {}): ControlLoop {
  const policy = resolvePolicy(options.policy ?? {});
  const { cadence, problems } = resolveCadence(options.cadence);
  if (problems.length > 0) throw new RangeError(problems.map((p) => `cadence.${p.field}: ${p.must}, got ${p.got}`).join('; '));
  const slotSeconds = slotSecondsOf(cadence);
  const tickMs = cadence.tickSeconds * 1000;
  // States are values: a read makes a new one and never changes the one it was given (nor its entries),
  // so a state is shared, not copied: the Lambda's history is not cloned twice a tick per target.
  let state: LoopState = options.state ?? { history: [] };

  const nextReadAt = (): number | undefined => {
    if (state.pending) return state.pending.now + cadence.confirmSeconds * 1000;
    if (state.tickStartedAt === undefined || state.firstReadAt === undefined) return undefined;
    if (state.watching && cadence.surgeTickSeconds > 0) return state.tickStartedAt + cadence.surgeTickSeconds * 1000;
    const ticks = Math.floor((state.tickStartedAt - state.firstReadAt) / tickMs) + 1;
    return state.firstReadAt + ticks * tickMs;
  };

  return {
    policy,
    cadence,
    slotSeconds,
    nextReadAt,
    due(now) {
      const next = nextReadAt();
      return next === undefined || now >= next - (slotSeconds * 1000) / 2;
    },
    observe(observation) {
      const { answer, next } = step(state, observation, { policy, cadence, tickMs });
      state = next;
      return answer;
    },
    state: () => state,
  };
}

interface Settings {
  policy: Policy;
  cadence: Cadence;
  tickMs: number;
}

/** One read through the loop: the answer, and the state after it. */
function step(
  before: LoopState,
  observation: LoopObservation,
  { policy, cadence, tickMs }: Settings,
): { answer: LoopAnswer; next: LoopState } {
  const { now, lag, service, override } = observation;
  const current = service.desired;
  const state: LoopState = {
    ...before,
    history: trimHistory(
      before.history.filter((e) => e.now < now),
      now,
      policy,
    ),
  };
  // The read a pending first look asked for, if it comes within the tick; else that first look kept the count, and is history.
  const pending = state.pending;
  delete state.pending;
  const confirms = pending !== undefined && now - pending.now < SAME_PERIOD_SHARE * tickMs;
  if (pending && !confirms) state.history = [...state.history, toHistoryEntry(firstInput(pending), keptCount(pending))];
  if (!confirms) {
    state.tickStartedAt = now;
    state.firstReadAt ??= now;
  }
  const period = periodAt(state, now, current, tickMs);
  state.period = period.current;

  const input: DecisionInput = {
    now,
    lag,
    service: { desired: current, running: service.running },
    history: state.history,
    ...(period.base !== undefined ? { stepBase: period.base } : {}),
    ...(confirms && pending ? { firstLook: firstLookOf(pending) } : {}),
  };
  let decision = decide(input, policy);
  if (decision.reason === 'invalid-history') {
    // History never freezes a target: one `decide` rejects is dropped, and the target decides as after a cold start.
    state.history = [];
    decision = decide({ ...input, history: [] }, policy);
    decision = { ...decision, explanation: `${decision.explanation} (Its history was inconsistent and was discarded.)` };
  }
  if (!confirms && override === undefined && cadence.confirmSeconds > 0 && callsForConfirmation({ desired: decision.desired, current })) {
    state.pending = { now, lag, service: input.service, decision };
    const explanation = `${LOOP_REASONS['awaiting-confirmation']} The first read asks for ${decision.desired} (${decision.reason}): ${decision.explanation}`;
    return { answer: { desired: current, reason: 'awaiting-confirmation', explanation, decision, confirming: true }, next: state };
  }

  const chosen = choose(decision, current, period.base ?? current, override, policy);
  state.history = [...state.history, toHistoryEntry(input, { ...decision, desired: chosen.desired })];
  const rollout = service.rollingOut === true && chosen.desired < current;
  const held = rollout
    ? { desired: current, reason: 'deployment-in-progress', explanation: heldExplanation(LOOP_REASONS['deployment-in-progress'], chosen) }
    : chosen;
  const note =
    confirms && pending
      ? ` (Read again ${Math.round((now - pending.now) / 1000)} s after a first read that alone asked for ${pending.decision.desired}.)`
      : '';
  const answer: LoopAnswer = { ...held, explanation: `${held.explanation}${note}`, decision, confirming: false };
  state.watching = callsForCloserWatch({ desired: answer.desired, current, reason: answer.reason, figures: decision.figures });
  return { answer, next: state };
}

/** The step period `now` falls in, and its base when an earlier tick already fell in it (none: this tick starts it). */
function periodAt(
  state: LoopState,
  now: number,
  current: number,
  tickMs: number,
): { current: { start: number; base: number }; base?: number } {
  const tickStart = state.tickStartedAt ?? now;
  const known = state.period;
  if (known && tickStart - known.start < SAME_PERIOD_SHARE * tickMs) return { current: known, base: known.base };
  // A state rebuilt from history alone (after a cold start) still finds a period an earlier read began.
  const restored = known === undefined ? stepBaseAt(state.history, tickStart, tickMs / 1000) : undefined;
  if (restored !== undefined) return { current: { start: tickStart, base: restored }, base: restored };
  return { current: { start: tickStart, base: current } };
}

/** What settles the count: the decision, or an override over it. */
function choose(
  decision: Decision,
  current: number,
  stepBase: number,
  override: Override | undefined,
  policy: Policy,
): Pick<LoopAnswer, 'desired' | 'reason' | 'explanation' | 'heldBy'> {
  if (override === undefined) return decision;
  if (override.kind === 'hold')
    return { desired: current, reason: override.reason, explanation: heldExplanation(override.why, decision, override.detail) };
  const would = `The decision would be ${decision.desired} (${decision.reason}): ${decision.explanation}`;
  if (override.kind === 'pause')
    return {
      desired: current,
      reason: 'paused',
      explanation: `Paused by ${override.by}: held at ${current}. ${would}`,
      heldBy: override.by,
    };
  // A pin moves toward its count by a step per period at most, never away from it: the step limits hold for operators too.
  const pin = override.tasks;
  const { tasks: desired } = limitRate(pin, { base: stepBase, current }, policy);
  const toward = desired === pin ? `at ${pin}` : `moving to ${pin}, now ${desired} (a step per period at most)`;
  return { desired, reason: 'pinned', explanation: `Pinned by ${override.by} ${toward}. ${would}`, heldBy: override.by };
}

function firstInput(pending: NonNullable<LoopState['pending']>): DecisionInput {
  return { now: pending.now, lag: pending.lag, service: pending.service, history: [] };
}

/** A first look kept the count; its recommendation still counts for the scale-down stabilization. */
function keptCount(pending: NonNullable<LoopState['pending']>): Decision {
  return { ...pending.decision, desired: pending.service.desired };
}

function firstLookOf(pending: NonNullable<LoopState['pending']>): NonNullable<DecisionInput['firstLook']> {
  const recommendation = pending.decision.figures.recommendations?.compute;
  return { now: pending.now, lag: pending.lag, ...(recommendation !== undefined ? { recommendation } : {}) };
}
