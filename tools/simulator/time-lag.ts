/**
 * Time lag: the age of the oldest unconsumed message — the SLO quantity (≤ 180 s).
 *
 * The consumed position C (cumulative messages consumed) names the oldest unconsumed message;
 * it was produced when the cumulative produced count reached C. Given the cumulative produced
 * count at every whole second, the meter finds that moment, interpolating within the second.
 * The consumed position never moves back, so the search resumes where it last stopped: a whole
 * run costs O(duration).
 */
export class TimeLagMeter {
  private second = 0;

  constructor(private readonly producedBy: Float64Array) {}

  /** Age in seconds, at time `now`, of the message at consumed position `consumed`. */
  ageAt(now: number, consumed: number): number {
    const producedNow = this.producedBy[now] ?? 0;
    if (consumed >= producedNow) return 0;
    while (this.second + 1 < now && this.producedBy[this.second + 1]! <= consumed) this.second++;
    const before = this.producedBy[this.second]!;
    const after = this.producedBy[this.second + 1]!;
    const producedAt = this.second + (after > before ? (consumed - before) / (after - before) : 0);
    return now - producedAt;
  }
}
