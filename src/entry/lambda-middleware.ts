/**
 * The handler's cross-cutting parts as Middy middleware, so the handler itself stays a few lines:
 * the invocation is validated before anything runs, metrics are flushed after (even on failure),
 * and refusals are logged with every problem before they are returned to the invoker.
 */

import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { MetricsBuffer } from '../adapters/cloudwatch/metrics-buffer.js';
import type { TickResult } from '../report/outcome.js';
import { type Invocation, parseInvocation } from '../tick/invocation.js';
import { abortAfter } from '../util/deadline.js';
import type { ControllerLogger } from '../wiring/logger.js';

/** A configuration or payload the controller will not run with; nothing was done. */
export class RefusedError extends Error {
  constructor(
    readonly kind: 'configuration' | 'payload',
    readonly problems: string[],
  ) {
    super(`invalid ${kind}: ${problems.join('; ')}`);
    this.name = kind === 'configuration' ? 'InvalidConfiguration' : 'InvalidPayload';
  }
}

/** Replaces the raw event with a parsed Invocation, or refuses it naming every bad field. */
export function validateInvocation(): MiddlewareObj<Invocation, TickResult, Error, Context> {
  return {
    name: 'validateInvocation',
    before: (request) => {
      // What Lambda passed, whatever its declared type: checked here, before the handler sees it.
      const parsed = parseInvocation(request.event as unknown);
      if (!parsed.ok) throw new RefusedError('payload', parsed.problems);
      request.event = parsed.invocation satisfies Invocation;
    },
  };
}

/**
 * A hand-run invocation that may act (`"dryRun": false`) is a manual action: logged before it runs,
 * with who invoked it as far as Lambda tells (the ARN invoked, the request id, a Cognito identity or
 * a mobile client's context when present), so a change nobody scheduled can be traced to its invoker.
 */
export function logManualActions(logger: ControllerLogger): MiddlewareObj<Invocation, TickResult, Error, Context> {
  return {
    name: 'logManualActions',
    before: (request) => {
      const { event, context } = request;
      if (event.kind !== 'manual' || event.dryRun) return;
      logger.warn('manual action: a hand-run invocation with "dryRun": false may scale', {
        targets: event.targets ?? 'all',
        invokedFunctionArn: context.invokedFunctionArn,
        awsRequestId: context.awsRequestId,
        ...(context.identity ? { identity: context.identity } : {}),
        ...(context.clientContext ? { clientContext: context.clientContext } : {}),
      });
    },
  };
}

/** Publishes what the run recorded, after success and failure alike, within the time left. */
export function flushMetrics(
  buffer: MetricsBuffer,
  cloudwatch: () => Pick<CloudWatchClient, 'send'>,
  logger: ControllerLogger,
): MiddlewareObj<Invocation, TickResult, Error, Context> {
  const flush = async (context: Context) => {
    if (buffer.size === 0 || !buffer.namespace) return;
    const budget = Math.max(100, Math.min(5_000, context.getRemainingTimeInMillis() - 500));
    try {
      await buffer.flush(cloudwatch(), buffer.namespace, abortAfter(budget));
    } catch (error) {
      logger.warn('metrics not published', { error: (error as Error).message });
    }
  };
  return { name: 'flushMetrics', after: (request) => flush(request.context), onError: (request) => flush(request.context) };
}

/** Logs a failed invocation once, with its problems, and lets the error reach the invoker. */
export function logFailures(logger: ControllerLogger): MiddlewareObj<Invocation, TickResult, Error, Context> {
  return {
    name: 'logFailures',
    onError: (request) => {
      const error = request.error;
      if (error instanceof RefusedError) logger.error(`refused: invalid ${error.kind}`, { problems: error.problems });
      else logger.error('invocation failed', { error: error?.message, stack: error?.stack });
    },
  };
}
