import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  ECSServiceException,
  InvalidParameterException,
  ServerException,
  ServiceNotActiveException,
  ServiceNotFoundException,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { type EcsCall, EcsError, type EcsErrorKind } from '../../../../src/adapters/ecs/ecs-errors.js';

const call: EcsCall = { operation: 'UpdateService', cluster: 'orders', service: 'payment-workers' };
const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

/** An error the SDK throws for an error code ECS's model does not declare. */
const unmodeled = (name: string, httpStatusCode: number, fault: 'client' | 'server' = 'client') =>
  new ECSServiceException({ name, message: name, $fault: fault, ...metadata(httpStatusCode) });

const networkError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

describe('EcsError.from: every way an SDK call fails, as a kind the controller acts on', () => {
  it.each<[string, unknown, EcsErrorKind, string]>([
    ['ThrottlingException', unmodeled('ThrottlingException', 400), 'throttled', 'ThrottlingException'],
    ['HTTP 429 with an unknown code', unmodeled('SlowDownPlease', 429), 'throttled', 'SlowDownPlease'],
    [
      'ServiceNotFoundException',
      new ServiceNotFoundException({ message: 'Service not found.', ...metadata(400) }),
      'not-found',
      'ServiceNotFoundException',
    ],
    [
      'ClusterNotFoundException',
      new ClusterNotFoundException({ message: 'Cluster not found.', ...metadata(400) }),
      'not-found',
      'ClusterNotFoundException',
    ],
    [
      'ServiceNotActiveException',
      new ServiceNotActiveException({ message: 'Service was not ACTIVE.', ...metadata(400) }),
      'not-found',
      'ServiceNotActiveException',
    ],
    ['AccessDeniedException', new AccessDeniedException({ message: 'no', ...metadata(400) }), 'access-denied', 'AccessDeniedException'],
    ['UnrecognizedClientException', unmodeled('UnrecognizedClientException', 400), 'access-denied', 'UnrecognizedClientException'],
    ['HTTP 403 with an unknown code', unmodeled('Forbidden', 403), 'access-denied', 'Forbidden'],
    [
      'missing credentials',
      Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }),
      'credentials',
      'CredentialsProviderError',
    ],
    [
      'InvalidParameterException',
      new InvalidParameterException({ message: 'bad', ...metadata(400) }),
      'invalid',
      'InvalidParameterException',
    ],
    ['ClientException', new ClientException({ message: 'bad', ...metadata(400) }), 'invalid', 'ClientException'],
    ['ServerException', new ServerException({ message: 'oops', ...metadata(500) }), 'unavailable', 'ServerException'],
    ['an unknown server fault', unmodeled('SomethingBroke', 500, 'server'), 'unavailable', 'SomethingBroke'],
    ['HTTP 503 with an unknown code', unmodeled('Busy', 503), 'unavailable', 'Busy'],
    [
      'the request timeout',
      Object.assign(new Error('exceeded 50 ms requestTimeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
      'unavailable',
      'TimeoutError',
    ],
    ['an abort', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'unavailable', 'AbortError'],
    ['a refused connection', networkError('ECONNREFUSED'), 'unavailable', 'ECONNREFUSED'],
    ['a reset connection', networkError('ECONNRESET'), 'unavailable', 'ECONNRESET'],
    ['an unresolvable host', networkError('ENOTFOUND'), 'unavailable', 'ENOTFOUND'],
    ['an unknown client error code', unmodeled('UpdateInProgressException', 400), 'unknown', 'UpdateInProgressException'],
    ['a programming error', new TypeError('x is undefined'), 'unknown', 'TypeError'],
    ['a thrown non-error', 'boom', 'unknown', 'Error'],
  ])('%s → %s', (_, thrown, kind, code) => {
    const error = EcsError.from(thrown, call);

    expect(error).toBeInstanceOf(EcsError);
    expect(error).toMatchObject({ kind, code, operation: 'UpdateService', cluster: 'orders', service: 'payment-workers', cause: thrown });
    expect(error.message).toMatch(/^ECS UpdateService of service payment-workers in cluster orders failed/);
  });

  it('says missing credentials and how to give them, not access denied, when the SDK found none', () => {
    const error = EcsError.from(
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      call,
    );

    expect(error.kind).toBe('credentials');
    expect(error.message).toMatch(/no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/);
    expect(error.message).toMatch(/Could not load credentials from any providers/);
    expect(error.outcomeUnknown).toBe(false);
  });

  it('keeps an EcsError as it is', () => {
    const original = new EcsError('invalid', call, 'InvalidDesiredCount', 'negative');

    expect(EcsError.from(original, { ...call, operation: 'DescribeServices' })).toBe(original);
  });
});
