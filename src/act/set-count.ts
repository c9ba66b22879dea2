/**
 * Act: set the count a tick settled on, within the time left, and report what ECS has. UpdateService
 * sets an absolute count, so a call that did not answer may still have applied it: the service is
 * looked at once more, if there is time, before the outcome is said.
 */
import type { Target } from '../config/targets.js';
import { heldExplanation } from '../control/index.js';
import { CONTROLLER_REASONS, type ControllerReason, type TargetDecision, type TargetError } from '../report/outcome.js';
import { abortAfter } from '../util/deadline.js';
import { messageOf, settle } from '../util/settle.js';

/** Kept back from the tick's deadline for the last UpdateService and the report. */
export const ACT_RESERVE_MS = 2_000;
/** Below this much time left, an unanswered UpdateService is not followed by a re-read. */
const REREAD_MIN_MS = 200;

/** The ECS calls acting takes, and the clock. */
export interface ActDependencies {
  /** Rejects when it fails; an error with `outcomeUnknown: true` (a timeout, a 5xx) may have been applied. */
  setDesiredCount(cluster: string, service: string, desired: number, signal: AbortSignal): Promise<void>;
  /** The re-read after an unanswered UpdateService needs the desired count only. */
  describeService(cluster: string, service: string, signal: AbortSignal): Promise<{ desired: number }>;
  now(): number;
}

export interface ActContext {
  deps: ActDependencies;
  deadline: number;
  ecsCall: <T>(call: () => Promise<T>) => Promise<T>;
  errors: TargetError[];
}

/** `decided` moves the count from `before`: set it, or say why the service keeps its count. */
export async function setCount(target: Target, before: number, decided: TargetDecision, context: ActContext): Promise<TargetDecision> {
  const { deps, errors } = context;
  const desired = decided.desired as number;
  const remaining = context.deadline - deps.now();
  if (remaining < ACT_RESERVE_MS / 2) {
    errors.push({ target: target.name, step: 'deadline', message: `${remaining} ms left before the deadline` });
    return { ...decided, inControl: false, ...holdAt(before, 'deadline', decided) };
  }
  try {
    await context.ecsCall(() => deps.setDesiredCount(target.cluster, target.service, desired, abortAfter(remaining)));
    return { ...decided, changed: true };
  } catch (error) {
    if (!(error as { outcomeUnknown?: boolean }).outcomeUnknown) {
      errors.push({ target: target.name, step: 'update-service', message: messageOf(error) });
      return { ...decided, inControl: false, ...holdAt(before, 'update-failed', decided, messageOf(error)) };
    }
    return settleUnknownUpdate(target, before, decided, messageOf(error), context);
  }
}

/** The decision stands as information, but the count stays where it is, with the controller's reason. */
function holdAt(current: number, reason: ControllerReason, decision: TargetDecision, detail?: string): Partial<TargetDecision> {
  const chosen = { desired: decision.desired as number, reason: decision.reason };
  return { desired: current, reason, explanation: heldExplanation(CONTROLLER_REASONS[reason], chosen, detail) };
}

async function settleUnknownUpdate(
  target: Target,
  before: number,
  decided: TargetDecision,
  failure: string,
  { deps, deadline, errors }: ActContext,
): Promise<TargetDecision> {
  const left = deadline - deps.now();
  const reread = left >= REREAD_MIN_MS ? await settle(deps.describeService(target.cluster, target.service, abortAfter(left))) : undefined;
  if (reread?.ok && reread.value.desired === decided.desired) {
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
      ...holdAt(before, 'update-failed', decided, `${failure}; DescribeServices still shows ${before}`),
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
    explanation: `${CONTROLLER_REASONS['update-unknown']} The decision was ${decided.desired} (${decided.reason}): ${failure}; ${seen}.`,
  };
}
