/**
 * The history a run decides with, and where each target's came from. A run that may act (a
 * scheduled tick, a hand-run with "dryRun": false) uses the history kept across warm invocations,
 * seeded after a cold start from the controller's own metrics. A dry run changes nothing, that
 * history included: it decides on a copy filled the same way (memory, else the metrics, read
 * only), and where neither has anything, measures the rates itself over a few seconds
 * (src/tick/sample-history.ts). So its answer is the one the scheduled controller would give now.
 */
import type { RestoredHistory } from '../adapters/cloudwatch/history-restore.js';
import type { Target } from '../config/targets.js';
import type { HistoryOrigin } from '../report/outcome.js';
import { LoopStore } from '../tick/loop-store.js';
import { sampleHistory } from '../tick/sample-history.js';
import type { TickDependencies } from '../tick/tick.js';
import { beforeDeadline } from '../util/deadline.js';
import type { ControllerLogger } from './logger.js';
import { HISTORY_RESTORE_MAX_MS } from './time-reserves.js';

export interface HistoryRun {
  /** The history kept across warm invocations. */
  shared: LoopStore;
  targets: Target[];
  /** Decide on a copy: the run must leave the kept history as it found it (a dry run). */
  isolated: boolean;
  /** Reads the controller's own metrics for these targets, within `budgetMs`; absent when SCALER_RESTORE_HISTORY is off. */
  restore?: (targets: Target[], budgetMs: number) => Promise<RestoredHistory>;
  /** An isolated run with no history samples the lag over this many seconds (0: it does not). */
  sampleSeconds: number;
  sampling: Pick<TickDependencies, 'readLag' | 'describeService' | 'now'>;
  /** Epoch ms by which the whole run must be done. */
  deadline: number;
  logger: ControllerLogger;
}

export interface RunHistory {
  store: LoopStore;
  origins: Map<string, HistoryOrigin>;
  /** The latest scheduled time the restored metrics show a tick handled. */
  lastScheduledAt?: number;
}

export async function historyForRun(run: HistoryRun): Promise<RunHistory> {
  const now = run.sampling.now();
  const store = run.isolated ? new LoopStore() : run.shared;
  const origins = new Map<string, HistoryOrigin>();
  for (const target of run.targets) {
    const kept = run.shared.history(target.name, now, target.policy);
    if (kept.length === 0) continue;
    // A copy of the whole loop state: the dry run steps from the same period base the scheduled tick would.
    // States are never changed once made (control-loop.ts): the dry run's copy shares what it does not replace.
    if (run.isolated) store.set(target.name, { ...run.shared.get(target.name), history: kept });
    origins.set(target.name, { source: 'memory', entries: kept.length });
  }

  const unexplained = () => run.targets.filter((t) => !origins.has(t.name));
  let restoreWhy = 'history restore is off (SCALER_RESTORE_HISTORY=false)';
  let lastScheduledAt: number | undefined;
  const toRestore = unexplained().filter((t) => !store.has(t.name));
  if (toRestore.length > 0 && run.restore) {
    const restored = await restoreWithin(run, run.restore, toRestore);
    if (restored.ok) {
      restoreWhy = 'CloudWatch has no rows of its metrics in the history window';
      lastScheduledAt = restored.history.lastScheduledAt;
      for (const [name, entries] of restored.history.entries) {
        if (entries.length === 0) continue;
        store.seed(name, entries);
        origins.set(name, { source: 'cloudwatch', entries: entries.length });
      }
    } else restoreWhy = `CloudWatch could not be read (${restored.why})`;
  }

  const toSample = run.isolated ? unexplained() : [];
  if (toSample.length > 0 && run.sampleSeconds > 0) {
    const sampled = await sampleHistory({ targets: toSample, seconds: run.sampleSeconds, deadline: run.deadline }, run.sampling, store);
    for (const [name, outcome] of sampled) {
      origins.set(
        name,
        outcome.ok
          ? { source: 'sampled', seconds: outcome.seconds }
          : { source: 'none', why: `${restoreWhy}, and sampling failed: ${outcome.why}` },
      );
    }
  }
  const notSampled = run.isolated ? ', and sampling is off (sampleSeconds 0)' : '';
  for (const target of unexplained()) {
    const why = store.has(target.name) ? 'the history kept in memory is older than the history window' : restoreWhy;
    origins.set(target.name, { source: 'none', why: `${why}${notSampled}` });
  }
  return { store, origins, ...(lastScheduledAt !== undefined ? { lastScheduledAt } : {}) };
}

type RestoreAnswer = { ok: true; history: RestoredHistory } | { ok: false; why: string };

/** The restore, cut off after HISTORY_RESTORE_MAX_MS or a quarter of the time left: deciding without history is always possible. */
async function restoreWithin(run: HistoryRun, restore: NonNullable<HistoryRun['restore']>, targets: Target[]): Promise<RestoreAnswer> {
  const budgetMs = Math.max(0, Math.min(HISTORY_RESTORE_MAX_MS, (run.deadline - run.sampling.now()) / 4));
  // Besides the call's own abort, a bound on the whole: finding credentials is not covered by the call's signal.
  const answer = await beforeDeadline<RestoreAnswer>(
    restore(targets, budgetMs).then(
      (history) => ({ ok: true, history }),
      (error: unknown) => ({ ok: false, why: (error as Error).message }),
    ),
    budgetMs,
    () => ({ ok: false, why: `no answer within ${Math.round(budgetMs)} ms` }),
  );
  if (!answer.ok) {
    run.logger.warn('history restore failed; deciding without history', { error: answer.why });
    return answer;
  }
  run.logger.info('history restored', {
    targets: Object.fromEntries([...answer.history.entries].map(([name, entries]) => [name, entries.length])),
  });
  if (answer.history.unsupportedThroughput.size > 0) {
    run.logger.warn(
      "restored learned throughput dropped: the restored rows' own consume rates do not support it; the target learns again",
      {
        rows: Object.fromEntries(answer.history.unsupportedThroughput),
      },
    );
  }
  if (answer.history.dropped.size > 0) {
    run.logger.warn('restored history rows dropped: they fail the checks live input gets (foreign or inconsistent data)', {
      dropped: Object.fromEntries(answer.history.dropped),
    });
  }
  return answer;
}
