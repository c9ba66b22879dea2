/**
 * Our SNS adapter: after a tick, one message per scale action of at least the configured size to
 * the notification topic. A notification is a courtesy to the operator, never part of the
 * decision: every Publish is bounded (the shared client bounds, and the caller's deadline), and a
 * failure is logged as a warning and never fails the tick.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { TargetDecision } from '../../report/outcome.js';
import { boundedClientConfig } from '../aws-client-config.js';
import { scaleActionsToNotify, scaleNotice } from './scale-notice.js';

/** Attempts per Publish, the first included: a throttle or a 5xx is retried once. */
const PUBLISH_ATTEMPTS = 2;

/**
 * An SNS client whose calls are bounded (SCALER_AWS_TIMEOUT_MS per attempt, two attempts). The
 * endpoint, region and credentials come from the environment (`AWS_ENDPOINT_URL_SNS` points it at
 * the local stand-in).
 */
export function createSnsClient({ requestTimeoutMs }: { requestTimeoutMs: number }): SNSClient {
  return new SNSClient(boundedClientConfig({ timeoutMs: requestTimeoutMs, maxAttempts: PUBLISH_ATTEMPTS }));
}

export interface ScaleNotification {
  topicArn: string;
  /** Smallest change in tasks, up or down, worth a message (SCALER_NOTIFY_MIN_CHANGE). */
  minChange: number;
  /** Cuts every Publish off, e.g. at the invocation's deadline. */
  signal?: AbortSignal;
}

/** Where a failed notification is told: the controller's logger. */
export interface NotificationLogger {
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** Publishes every scale action worth telling, all at once; resolves when each has been sent or has failed. */
export async function notifyScaleActions(
  sns: SNSClient,
  { topicArn, minChange, signal }: ScaleNotification,
  decisions: readonly TargetDecision[],
  logger: NotificationLogger,
): Promise<void> {
  const actions = scaleActionsToNotify(decisions, minChange);
  await Promise.all(
    actions.map(async (action) => {
      const { subject, message } = scaleNotice(action);
      try {
        await sns.send(
          new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }),
          signal ? { abortSignal: signal } : {},
        );
      } catch (error) {
        logger.warn('scale notification not sent', {
          target: action.target,
          topicArn,
          error: `${(error as Error).name}: ${(error as Error).message}`,
        });
      }
    }),
  );
}
