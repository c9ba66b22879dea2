/**
 * Every AWS client the controller builds is bounded the same way: a timeout per attempt that
 * covers connecting and the whole response, and few attempts. Without `throwOnRequestTimeout` the
 * SDK only logs a warning when the timeout passes and keeps waiting on a socket that may never
 * answer; without a timeout at all a hung endpoint would hold a tick until the Lambda is killed.
 */
export interface AwsCallBounds {
  /** Time for one attempt, from connecting to the whole response. */
  timeoutMs: number;
  /** Attempts per call, the first included (standard retry mode: throttling and 5xx are retried). */
  maxAttempts: number;
}

/** Connecting takes at most this long, within the attempt's timeout: an endpoint that is not there fails fast. */
const CONNECT_TIMEOUT_MS = 2_000;

export function boundedClientConfig({ timeoutMs, maxAttempts }: AwsCallBounds) {
  return {
    retryMode: 'standard',
    maxAttempts,
    requestHandler: {
      requestTimeout: timeoutMs,
      connectionTimeout: Math.min(timeoutMs, CONNECT_TIMEOUT_MS),
      throwOnRequestTimeout: true,
    },
  } as const;
}

/** The longest a call with these bounds can take, retries and their backoff included (standard mode backs off at most 20 s; with our few attempts about 1 s each). */
export function worstCaseCallMs({ timeoutMs, maxAttempts }: AwsCallBounds): number {
  return maxAttempts * timeoutMs + (maxAttempts - 1) * 1_000;
}
