/**
 * What a KafkaJS failure means for a lag read: its kind (a timeout, a broker down, a coordinator
 * moved, an unsupported request) and a message that names its cause, KafkaJS's wrapping unwound.
 */
import { errorCodes } from 'kafkajs/src/protocol/error.js';
import type { LagReadErrorKind } from '../../lag/types.js';

/** Kafka error codes that mean "ask another broker for the group": retried after a fresh lookup. */
export const COORDINATOR_ERRORS = new Set([14, 15, 16]);

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);

/** Walks KafkaJS's wrapped errors (retries exceeded → the last cause) to name what went wrong. */
export function classify(error: unknown): LagReadErrorKind {
  const e = error as { name?: string; code?: unknown; type?: string; message?: string; originalError?: unknown };
  if (e?.name === 'KafkaJSRequestTimeoutError' || e?.type === 'REQUEST_TIMED_OUT') return 'timeout';
  if (typeof e?.code === 'number' && COORDINATOR_ERRORS.has(e.code)) return 'coordinator-unavailable';
  if (e?.name === 'KafkaJSNotImplemented' || e?.name === 'KafkaJSServerDoesNotSupportApiKey' || e?.type === 'UNSUPPORTED_VERSION')
    return 'unsupported';
  if (CONNECTION_ERRORS.has(e?.name ?? '') || /ECONNREFUSED|ECONNRESET|Connection error|Closed connection/.test(e?.message ?? ''))
    return 'broker-unavailable';
  if (e?.originalError) return classify(e.originalError);
  return 'request-failed';
}

export function errorMessage(error: unknown): string {
  const e = error as { message?: string; originalError?: unknown };
  if (e?.originalError) return `${e.message} (${errorMessage(e.originalError)})`;
  return e?.message ?? String(error);
}

/** Kafka's name for an error code, e.g. TOPIC_AUTHORIZATION_FAILED. */
export function kafkaErrorName(code: number): string {
  return errorCodes.find((e) => e.code === code)?.type ?? `error code ${code}`;
}
