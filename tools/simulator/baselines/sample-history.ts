/**
 * Timestamped samples an autoscaler remembers: HPA's recent recommendations, or a CloudWatch
 * metric's per-minute datapoints. Samples older than `retentionMs` are dropped, so memory stays
 * bounded over week-long traces.
 */
export class SampleHistory<T> {
  private readonly samples: { at: number; value: T }[] = [];

  constructor(private readonly retentionMs: number) {}

  record(at: number, value: T): void {
    this.samples.push({ at, value });
    while (this.samples.length > 0 && this.samples[0]!.at < at - this.retentionMs) this.samples.shift();
  }

  /** Values recorded at or after `from`, oldest first. */
  since(from: number): T[] {
    return this.samples.filter((s) => s.at >= from).map((s) => s.value);
  }

  /** The last `count` values recorded at or before `until`, oldest first; undefined if there are fewer. */
  lastUpTo(until: number, count: number): T[] | undefined {
    const available = this.samples.filter((s) => s.at <= until);
    return available.length >= count ? available.slice(-count).map((s) => s.value) : undefined;
  }
}
