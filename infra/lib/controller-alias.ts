/**
 * What the schedule invokes: the alias `live` on the version this deploy published. A deploy that
 * changes the function publishes a new version and moves the alias to it; earlier versions are
 * kept, so a rollback is one `aws lambda update-alias` to the previous version, without a deploy.
 */
import { Duration } from 'aws-cdk-lib';
import { Alias, type IFunction, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { TICK_PERIOD_SECONDS } from './config/controller-environment.js';

export const LIVE_ALIAS_NAME = 'live';

export function liveAlias(controller: LambdaFunction): IFunction & Alias {
  return new Alias(controller, 'LiveAlias', {
    aliasName: LIVE_ALIAS_NAME,
    version: controller.currentVersion,
    // Asynchronous invocations (the schedule's): a late tick is worthless, the next one comes within a period.
    retryAttempts: 0,
    maxEventAge: Duration.seconds(TICK_PERIOD_SECONDS),
  });
}
