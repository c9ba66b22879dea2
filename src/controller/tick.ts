/**
 * One tick of the controller: observe every target (lag in one batched read, ECS services
 * concurrently), decide each with its history, act where the decision differs and it is safe,
 * and return what happened per target. A failure in one target never stops the others; the tick
 * stops short of the deadline rather than run past it.
 */
import { decide, toHistoryEntry, type Decision, type DecisionInput, type LagReading } from '../decision/index.js';
import type { Target } from '../config/controller-config.js';
import type { GroupLag, GroupRequest } from '../lag/types.js';
import { mapConcurrently } from '../util/map-concurrently.js';
import type { HistoryStore } from './history-store.js';
import { CONTROLLER_REASONS, type ControllerReason, type TargetDecision, type TargetError, type TickResult } from './outcome.js';

/** What the controller needs to know of an ECS service. */
export interface ObservedService {
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'MISSING';
  desired: number;
  running: number;
  pending: number;
  rollingOut: boolean;
}

export interface TickDependencies {
  readLag(requests: GroupRequest[]): Promise<GroupLag[]>;
  describeService(cluster: string, service: string, signal: AbortSignal): Promise<ObservedService>;
  setDesiredCount(cluster: string, service: string, desired: number, signal: AbortSignal): Promise<void>;
  history: HistoryStore;
  now(): number;
}

export interface TickPlan {
  /** The targets to handle, each with the policy to decide with (overrides already applied). */
  targets: Target[];
  dryRun: boolean;
  /** Scheduled ticks keep history; hand-run dry runs (maybe with other settings) must not. */
  keepHistory: boolean;
  /** Epoch ms by which the tick must be done. */
  deadline: number;
  concurrency: number;
}

/** Per target, what was observed of its lag (metrics need the offset sums). */
export interface TickOutput {
  result: TickResult;
  lagByTarget: Map<string, GroupLag>;
}

/** Time kept back for an UpdateService call and for reporting after the last target. */
const ACT_RESERVE_MS = 2_000;

export async function runTick(plan: TickPlan, deps: TickDependencies): Promise<TickOutput> {
  const { targets } = plan;
  const errors: TargetError[] = [];
  const lagByTarget = new Map<string, GroupLag>();

  const observeUntil = plan.deadline - ACT_RESERVE_MS;
  const lagRead = beforeDeadline(
    deps.readLag(targets.map((t) => ({ group: t.group, ...(t.topics ? { topics: t.topics } : {}) }))),
    observeUntil - deps.now(),
  );
  const services = mapConcurrently(targets, plan.concurrency, (target) =>
    settle(deps.describeService(target.cluster, target.service, AbortSignal.timeout(Math.max(1, observeUntil - deps.now())))),
  );
  const [lags, serviceReads] = await Promise.all([lagRead, services]);

  const decisions = await mapConcurrently(targets, plan.concurrency, async (target, index) => {
    const lag = lags.ok ? lags.value[index] : undefined;
    if (lag) lagByTarget.set(target.name, lag);
    const serviceRead = serviceReads[index]!;
    const base = baseDecision(target, lag, plan.dryRun);
    const hold = (reason: ControllerReason, step: TargetError['step'] | null, detail?: string): TargetDecision => {
      if (step) errors.push({ target: target.name, step, message: detail ?? CONTROLLER_REASONS[reason] });
      return { ...base, reason, explanation: detail ? `${CONTROLLER_REASONS[reason]} (${detail})` : CONTROLLER_REASONS[reason] };
    };

    if (!lags.ok) return hold(lags.timedOut ? 'deadline' : 'lag-read-failed', lags.timedOut ? 'deadline' : 'lag', lags.message);
    if (!lag || lag.status === 'failed') return hold('lag-read-failed', 'lag', lag?.error?.message);
    if (lag.incomplete) return hold('lag-read-incomplete', 'lag', describeIncomplete(lag));
    if (!serviceRead.ok) return hold('service-read-failed', 'describe-service', serviceRead.message);
    const service = serviceRead.value;
    const observed = { ...base, current: service.desired, running: service.running, desired: service.desired };
    if (service.status === 'MISSING') return { ...hold('service-missing', 'describe-service', `${target.cluster}/${target.service}`), current: null };
    if (service.status !== 'ACTIVE') return { ...observed, ...hold('service-not-active', 'describe-service', `status ${service.status}`) };

    const now = deps.now();
    const input: DecisionInput = {
      now,
      lag: toReading(lag),
      service: { desired: service.desired, running: service.running },
      history: deps.history.get(target.name, now, target.policy),
    };
    const decision = decide(input, target.policy);
    if (plan.keepHistory) deps.history.append(target.name, toHistoryEntry(input, decision), target.policy);
    const decided: TargetDecision = {
      ...observed,
      desired: decision.desired,
      reason: decision.reason,
      explanation: decision.explanation,
      health: decision.health,
      figures: decision.figures,
    };

    if (decision.desired === service.desired) return decided;
    if (service.rollingOut && decision.desired < service.desired) {
      return { ...decided, ...holdAt(service.desired, 'deployment-in-progress', decision) };
    }
    if (plan.dryRun) return decided;
    const remaining = plan.deadline - deps.now();
    if (remaining < ACT_RESERVE_MS / 2) {
      errors.push({ target: target.name, step: 'deadline', message: `${remaining} ms left before the deadline` });
      return { ...decided, ...holdAt(service.desired, 'deadline', decision) };
    }
    try {
      await deps.setDesiredCount(target.cluster, target.service, decision.desired, AbortSignal.timeout(remaining));
      return { ...decided, changed: true };
    } catch (error) {
      errors.push({ target: target.name, step: 'update-service', message: messageOf(error) });
      return { ...decided, ...holdAt(service.desired, 'update-failed', decision, messageOf(error)) };
    }
  });

  return { result: { dryRun: plan.dryRun, decisions, errors }, lagByTarget };
}

function baseDecision(target: Target, lag: GroupLag | undefined, dryRun: boolean): TargetDecision {
  return {
    target: target.name,
    group: target.group,
    cluster: target.cluster,
    service: target.service,
    lag: lag && lag.status !== 'failed'
      ? { total: lag.totalLag, max: lag.maxPartitionLag, status: lag.status, partitions: lag.partitions.map(({ topic, partition, lag: l }) => ({ topic, partition, lag: l })) }
      : null,
    current: null,
    running: null,
    desired: null,
    changed: false,
    dryRun,
    reason: '',
    explanation: '',
  };
}

/** The decision stands as information, but the count stays where it is, with the controller's reason. */
function holdAt(current: number, reason: ControllerReason, decision: Decision, detail?: string): Partial<TargetDecision> {
  return {
    desired: current,
    reason,
    explanation: `${CONTROLLER_REASONS[reason]} The decision was ${decision.desired} (${decision.reason})${detail ? `: ${detail}` : '.'}`,
  };
}

function toReading(lag: GroupLag): LagReading {
  const { totalLag, maxPartitionLag, partitionCount, partitionsWithLag, logEndSum, committedSum } = lag;
  return { totalLag, maxPartitionLag, partitionCount, partitionsWithLag, logEndSum, committedSum, partial: lag.incomplete };
}

function describeIncomplete(lag: GroupLag): string {
  if (lag.status === 'unknown-topic') return `missing topics: ${lag.missingTopics.join(', ')}`;
  if (lag.status === 'no-offsets') return 'the group has no committed offsets and no topics are configured';
  return lag.error?.message ?? lag.status;
}

type Settled<T> = { ok: true; value: T } | { ok: false; message: string; timedOut?: boolean };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

/** Resolves with the promise's value, or as timed out once `ms` have passed (the promise is left to finish). */
async function beforeDeadline<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true, message: 'the lag read did not finish before the deadline' }), Math.max(0, ms));
  });
  try {
    return await Promise.race([settle(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
