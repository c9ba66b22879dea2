/**
 * The tick: an EventBridge Scheduler schedule invoking the controller every minute with the
 * payload the controller recognises as scheduled (`{"scheduledTime": …}`). A tick that cannot be
 * delivered within about one period is dropped: the next one carries fresher lag.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { TICK_PERIOD_SECONDS } from './config/controller-environment.js';

/** Enough to ride out a throttle or a brief Lambda API error inside the event's age limit. */
const SCHEDULE_RETRY_ATTEMPTS = 2;

export class ControllerSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, controller: IFunction) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'kafka-lag-scaler controller tick',
      schedule: ScheduleExpression.rate(Duration.seconds(TICK_PERIOD_SECONDS)),
      target: new LambdaInvoke(controller, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        // Scheduler's minimum, and one period: a late tick is worthless.
        maxEventAge: Duration.seconds(TICK_PERIOD_SECONDS),
      }),
    });
  }
}
