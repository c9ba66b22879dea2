/**
 * A dry run with no history to go on measures the current rates itself: it reads every target's lag
 * and service once, waits a few seconds, and the tick that follows reads them again. The first
 * reading becomes the one history entry, so the decision sees the produce and consume rates of that
 * window as a scheduled tick sees them over its history, instead of answering `cold-start`.
 *
 * The entry carries no decision: a count decided blind must not steer the real decision's
 * stabilization. A reading the tick would not act on (failed, partial, no service counts) gives no
 * entry: the target then decides without history, and says why.
 */
import type { Target } from '../config/targets.js';
import type { HistoryEntry } from '../decision/index.js';
import type { GroupLag } from '../lag/types.js';
import { abortAfter } from '../util/deadline.js';
import { present } from '../util/present.js';
import { toReading } from './lag-reading.js';
import type { LoopStore } from './loop-store.js';
import type { TickDependencies } from './tick.js';

export type SampleOutcome = { ok: true; seconds: number } | { ok: false; why: string };

export interface SamplePlan {
  targets: Target[];
  /** The window asked for; it is cut to leave the tick at least half of the time left. */
  seconds: number;
  /** Epoch ms by which the whole run must be done. */
  deadline: number;
}

type Sampling = Pick<TickDependencies, 'readLag' | 'describeService' | 'now'>;

export async function sampleHistory(plan: SamplePlan, deps: Sampling, into: LoopStore): Promise<Map<string, SampleOutcome>> {
  const outcomes = new Map<string, SampleOutcome>();
  const start = deps.now();
  const readUntil = start + (plan.deadline - start) / 4;
  const lagReads = deps.readLag(
    plan.targets.map((t) => ({ group: t.group, ...(t.topics ? { topics: t.topics } : {}) })),
    readUntil,
  );
  const firsts = await Promise.all(
    plan.targets.map(async (target, index) => {
      const [lag, service] = await Promise.all([
        present(lagReads[index], 'readLag answers every request'),
        deps.describeService(target.cluster, target.service, abortAfter(readUntil - deps.now())).catch((error: unknown) => error as Error),
      ]);
      return { target, entry: toEntry(lag, service, deps.now()) };
    }),
  );
  const readAt = deps.now();
  const until = Math.min(readAt + plan.seconds * 1000, readAt + (plan.deadline - readAt) / 2);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - deps.now())));
  for (const { target, entry } of firsts) {
    if ('why' in entry) {
      outcomes.set(target.name, { ok: false, why: entry.why });
      continue;
    }
    into.append(target.name, entry, target.policy);
    outcomes.set(target.name, { ok: true, seconds: Math.round((until - entry.now) / 100) / 10 });
  }
  return outcomes;
}

function toEntry(
  lag: GroupLag,
  service: Awaited<ReturnType<Sampling['describeService']>> | Error,
  now: number,
): HistoryEntry | { why: string } {
  if (lag.status === 'failed' || lag.incomplete) return { why: `the first lag read failed: ${lag.error?.message ?? lag.status}` };
  if (service instanceof Error) return { why: `the first service read failed: ${service.message}` };
  if (service.status !== 'ACTIVE') return { why: `the service is ${service.status}` };
  return {
    now,
    lag: toReading(lag),
    service: { desired: service.desired, running: service.running },
  };
}
