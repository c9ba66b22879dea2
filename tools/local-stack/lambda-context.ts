/** A Lambda context for running the handler outside Lambda (tests, the demo, benchmarks). */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A context whose deadline is `timeoutMs` from when it is made, like an invocation of a function with that timeout. */
export function lambdaContext(timeoutMs = 60_000, functionName = 'kafka-lag-scaler'): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
