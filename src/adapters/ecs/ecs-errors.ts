/**
 * What went wrong in an ECS call, in the few kinds the controller acts on, whatever the SDK threw:
 * a modeled ECS exception, an unmodeled error code (ThrottlingException, auth errors), an HTTP
 * status, a timeout, a network error or an abort.
 */
export type EcsErrorKind =
  | 'throttled'
  | 'not-found'
  | 'access-denied'
  | 'credentials'
  | 'invalid'
  | 'unavailable'
  | 'incomplete'
  | 'unknown';

/**
 * Kinds that say nothing of any one service: ECS is throttling or failing, or the SDK has no
 * credentials to send with. A batch refused for one of them would be refused service by service too.
 */
export const EVERY_SERVICE_ALIKE: ReadonlySet<EcsErrorKind> = new Set(['throttled', 'unavailable', 'credentials']);

/** What to do when the SDK found no credentials: the SDK's own message lists providers, not the fix. */
export const MISSING_CREDENTIALS =
  'no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (in Lambda, the execution role provides them)';

export type EcsOperation = 'DescribeServices' | 'UpdateService';

export interface EcsCall {
  operation: EcsOperation;
  cluster: string;
  service: string;
}

export class EcsError extends Error {
  override readonly name = 'EcsError';
  readonly operation: EcsOperation;
  readonly cluster: string;
  readonly service: string;
  /**
   * The call may have taken effect though it failed: a timeout, an abort, a dropped connection or a
   * server error after the request was sent. Only a change (UpdateService) can be in this state;
   * a clear refusal (throttled, denied, invalid, not found) was not applied.
   */
  readonly outcomeUnknown: boolean;

  constructor(
    readonly kind: EcsErrorKind,
    call: EcsCall,
    /** The SDK's error code or name, e.g. `ServiceNotFoundException`, `TimeoutError`. */
    readonly code: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    const why = kind === 'credentials' ? `${MISSING_CREDENTIALS} (${detail})` : detail;
    super(`ECS ${call.operation} of service ${call.service} in cluster ${call.cluster} failed (${kind}, ${code}): ${why}`, options);
    this.operation = call.operation;
    this.outcomeUnknown = call.operation === 'UpdateService' && (kind === 'unavailable' || kind === 'unknown');
    this.cluster = call.cluster;
    this.service = call.service;
  }

  /** The EcsError for whatever an SDK call threw; the original stays as `cause`. */
  static from(error: unknown, call: EcsCall): EcsError {
    if (error instanceof EcsError) return error;
    const { name, message, code, httpStatus, serverFault } = describeThrown(error);
    const errorCode = code ?? name;
    return new EcsError(classify(errorCode, httpStatus, serverFault), call, errorCode, message, { cause: error });
  }
}

const KIND_BY_ERROR_CODE: Record<string, EcsErrorKind> = {
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',

  ServiceNotFoundException: 'not-found',
  ClusterNotFoundException: 'not-found',
  // ECS's word for a deleted service (DRAINING or INACTIVE): it cannot be scaled.
  ServiceNotActiveException: 'not-found',

  AccessDeniedException: 'access-denied',
  UnrecognizedClientException: 'access-denied',
  InvalidSignatureException: 'access-denied',
  IncompleteSignature: 'access-denied',
  MissingAuthenticationTokenException: 'access-denied',
  ExpiredTokenException: 'access-denied',
  InvalidClientTokenId: 'access-denied',
  // The SDK found no credentials at all: nothing was sent, so nothing was denied.
  CredentialsProviderError: 'credentials',

  InvalidParameterException: 'invalid',
  ClientException: 'invalid',
  ValidationException: 'invalid',
  SerializationException: 'invalid',
  UnsupportedFeatureException: 'invalid',
  PlatformUnknownException: 'invalid',
  PlatformTaskDefinitionIncompatibilityException: 'invalid',

  ServerException: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  InternalFailure: 'unavailable',
  // The client's own request timeout, and an abort by the caller (the controller's deadline).
  TimeoutError: 'unavailable',
  AbortError: 'unavailable',
  // Node.js network errors, by code.
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EPIPE: 'unavailable',
  ENOTFOUND: 'unavailable',
  EAI_AGAIN: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  ENETUNREACH: 'unavailable',
};

function classify(errorCode: string, httpStatus: number | undefined, serverFault: boolean): EcsErrorKind {
  const kind = KIND_BY_ERROR_CODE[errorCode];
  if (kind) return kind;
  if (httpStatus === 429) return 'throttled';
  if (httpStatus === 401 || httpStatus === 403) return 'access-denied';
  if (serverFault || (httpStatus !== undefined && httpStatus >= 500)) return 'unavailable';
  return 'unknown';
}

/** The parts of a thrown SDK, Node.js or other error that tell what happened. */
function describeThrown(error: unknown): { name: string; message: string; code?: string; httpStatus?: number; serverFault: boolean } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), serverFault: false };
  const fields = error as Error & { code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const httpStatus = fields.$metadata?.httpStatusCode;
  // Node.js network errors carry their code (ECONNREFUSED) while their name is just "Error".
  const code = error.name === 'Error' && typeof fields.code === 'string' ? fields.code : undefined;
  return {
    name: error.name,
    message: error.message,
    ...(code ? { code } : {}),
    ...(typeof httpStatus === 'number' ? { httpStatus } : {}),
    serverFault: fields.$fault === 'server',
  };
}
