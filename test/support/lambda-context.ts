import type { Context } from 'aws-lambda';

/** A Lambda context with `remainingMs` left from when it is made. */
export function lambdaContext(remainingMs = 60_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'kafka-lag-scaler',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:kafka-lag-scaler',
    memoryLimitInMB: '512',
    awsRequestId: `test-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/kafka-lag-scaler',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
