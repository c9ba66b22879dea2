/**
 * What each target's control loop keeps between ticks (its history above all, which `decide` needs
 * for rates, learned throughput, health and stabilization). Kept in memory: a module-level store
 * survives warm Lambda invocations, and after a cold start it is seeded from the controller's own
 * CloudWatch metrics (history-restore.ts).
 */
import type { LoopState } from '../control/index.js';
import { type HistoryEntry, type Policy, trimHistory } from '../decision/index.js';

export class LoopStore {
  private readonly byTarget = new Map<string, LoopState>();

  has(target: string): boolean {
    return (this.byTarget.get(target)?.history.length ?? 0) > 0;
  }

  /** The target's loop state, as its last tick left it; none before its first. */
  get(target: string): LoopState | undefined {
    return this.byTarget.get(target);
  }

  set(target: string, state: LoopState): void {
    this.byTarget.set(target, state);
  }

  /** The history `decide` may use at `now`: within the policy's window and strictly before `now`. */
  history(target: string, now: number, policy: Policy): HistoryEntry[] {
    return trimHistory(this.byTarget.get(target)?.history ?? [], now, policy).filter((entry) => entry.now < now);
  }

  /** Adds a reading to a target's history (a dry run's sample). */
  append(target: string, entry: HistoryEntry, policy: Policy): void {
    const state = this.byTarget.get(target) ?? { history: [] };
    this.byTarget.set(target, { ...state, history: [...this.history(target, entry.now, policy), entry] });
  }

  /** Seeds a target that has no history yet (restored entries never replace live ones). */
  seed(target: string, entries: HistoryEntry[]): void {
    if (!this.has(target)) this.byTarget.set(target, { ...this.byTarget.get(target), history: [...entries].sort((a, b) => a.now - b.now) });
  }
}
