/**
 * The Lambda entry point: scheduled ticks (EventBridge Scheduler or rule) and hand-run invocations,
 * `{"targets": [...], "overrides": {...}}`, dry runs unless they say `"dryRun": false`. The work is in src/wiring
 * (run-controller.ts) and src/tick; the cross-cutting parts are middleware (src/entry), which
 * hands this function a validated Invocation.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { MetricsBuffer } from '../src/adapters/cloudwatch/metrics-buffer.js';
import { boundedResult } from '../src/entry/bounded-result.js';
import { flushMetrics, logFailures, logManualActions, RefusedError, validateInvocation } from '../src/entry/lambda-middleware.js';
import type { TickResult } from '../src/report/outcome.js';
import type { Invocation } from '../src/tick/invocation.js';
import { cloudwatch } from '../src/wiring/run-controller.js';
import { runInvocation } from '../src/wiring/run-invocation.js';
import { PUBLISH_RESERVE_MS } from '../src/wiring/time-reserves.js';

const logger = new Logger({ serviceName: 'kafka-lag-scaler' });
const metrics = new MetricsBuffer();

async function controllerHandler(invocation: Invocation, context: Context): Promise<TickResult> {
  const outcome = await runInvocation({
    env: process.env,
    invocation,
    deadline: Date.now() + context.getRemainingTimeInMillis() - PUBLISH_RESERVE_MS,
    // Only scheduled ticks publish metrics: a hand-run invocation, dry run or not, publishes nothing
    // (above all no heartbeat: it says nothing about the schedule running). Every run reads them back as history.
    useCloudWatch: invocation.kind === 'scheduled',
    logger,
    metrics,
  });
  if (!outcome.ok) throw new RefusedError(outcome.kind, outcome.problems);
  if (outcome.result.skipped) logger.warn('tick skipped', { reason: outcome.result.skipped });
  const result = boundedResult(outcome.result);
  if (result.cut) logger.warn('result cut to fit the response limit', { cut: result.cut });
  return result;
}

export const handler = middy<Invocation, TickResult, Error, Context>(controllerHandler)
  .use(injectLambdaContext(logger))
  .use(logFailures(logger))
  .use(validateInvocation())
  .use(logManualActions(logger))
  .use(flushMetrics(metrics, cloudwatch, logger));
