/**
 * Each target's recent ticks, which `decide` needs for rates, learned throughput, health and
 * stabilization. Kept in memory: a module-level store survives warm Lambda invocations, and after a
 * cold start it is seeded from the controller's own CloudWatch metrics (history-restore.ts).
 */
import { type HistoryEntry, type Policy, trimHistory } from '../decision/index.js';

export class HistoryStore {
  private readonly byTarget = new Map<string, HistoryEntry[]>();

  has(target: string): boolean {
    return (this.byTarget.get(target)?.length ?? 0) > 0;
  }

  /** The entries `decide` may use at `now`: within the policy's window and strictly before `now`. */
  get(target: string, now: number, policy: Policy): HistoryEntry[] {
    return trimHistory(this.byTarget.get(target) ?? [], now, policy).filter((entry) => entry.now < now);
  }

  append(target: string, entry: HistoryEntry, policy: Policy): void {
    const kept = trimHistory(this.byTarget.get(target) ?? [], entry.now, policy).filter((e) => e.now < entry.now);
    this.byTarget.set(target, [...kept, entry]);
  }

  /** Forgets a target's history (one `decide` rejected): it then decides as after a cold start. */
  discard(target: string): void {
    this.byTarget.delete(target);
  }

  /** Seeds a target that has no history yet (restored entries never replace live ones). */
  seed(target: string, entries: HistoryEntry[]): void {
    if (!this.has(target))
      this.byTarget.set(
        target,
        [...entries].sort((a, b) => a.now - b.now),
      );
  }
}
