/**
 * A CloudWatch metric as an alarm sees it: one datapoint per minute, each visible only once it
 * has been published a minute later. Alarms in the baselines are "M out of M" alarms over the
 * latest published datapoints, re-evaluated every minute; while an alarm stays in ALARM its
 * scaling action is re-invoked each minute (as CloudWatch does for Auto Scaling actions), subject
 * to the policy's cooldowns.
 */
import { SampleHistory } from './sample-history.js';

const PUBLISH_DELAY_MS = 60_000;
const MINUTE_MS = 60_000;

export class CloudWatchMetric<T> {
  private readonly datapoints: SampleHistory<T>;

  constructor(longestAlarmDatapoints: number) {
    this.datapoints = new SampleHistory<T>((longestAlarmDatapoints + 1) * MINUTE_MS + PUBLISH_DELAY_MS);
  }

  /** Records the datapoint for the minute observed at `now`. */
  record(now: number, value: T): void {
    this.datapoints.record(now, value);
  }

  /** The latest `count` datapoints published by `now`, oldest first; undefined if not yet that many. */
  published(now: number, count: number): T[] | undefined {
    return this.datapoints.lastUpTo(now - PUBLISH_DELAY_MS, count);
  }

  /** Whether the alarm "`count` out of `count` datapoints satisfy `breaches`" is in ALARM at `now`. */
  inAlarm(now: number, count: number, breaches: (value: T) => boolean): boolean {
    return this.published(now, count)?.every(breaches) ?? false;
  }
}
