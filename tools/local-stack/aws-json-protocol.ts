/**
 * The AWS JSON protocol (1.0 and 1.1) as the stand-ins speak it: ECS, CloudWatch and Secrets
 * Manager differ only in the names below. Every call is
 * a POST to `/` naming its operation in `X-Amz-Target`, with a JSON body both ways; errors are HTTP
 * 4xx/5xx with `{"__type": "<namespace>#<ErrorCode>", "message": "..."}`, from which the SDK picks
 * the error code after the `#` and throws its exception class of that name.
 */
import type { IncomingMessage } from 'node:http';
import {
  ApiError,
  type ApiRequest,
  isSignedFor,
  missingAuthentication,
  readBody,
  type WireProtocol,
  writeJson,
} from './aws-stand-in-server.js';

/** The ECS model's name for the errors it throws. */
export { ApiError as EcsApiError } from './aws-stand-in-server.js';

/** What tells one AWS JSON service from another on the wire. */
export interface AwsJsonService {
  /** X-Amz-Target is `<targetPrefix>.<Operation>`, e.g. `AmazonEC2ContainerServiceV20141113`. */
  targetPrefix: string;
  /** 1.0 and 1.1 differ only in the Content-Type. */
  version: '1.0' | '1.1';
  /** The namespace of error codes in `__type`: the SDK looks exception classes up under it, e.g. `com.amazonaws.ecs`. */
  errorNamespace: string;
  /** The SigV4 signing name in the credential scope, e.g. `ecs`, `monitoring`. */
  signingName: string;
}

export function awsJsonProtocol(service: AwsJsonService): WireProtocol {
  const contentType = `application/x-amz-json-${service.version}`;
  return {
    read: (request) => readApiRequest(request, service),
    writeResult: (response, result) => writeJson(response, 200, contentType, result),
    writeError: (response, error) =>
      writeJson(response, error.status, contentType, { __type: `${service.errorNamespace}#${error.type}`, message: error.message }),
  };
}

async function readApiRequest(request: IncomingMessage, service: AwsJsonService): Promise<ApiRequest> {
  const body = await readBody(request);
  const prefix = `${service.targetPrefix}.`;
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : '';
  const parsed = parseJsonObject(body);
  const rejection = (() => {
    if (request.method !== 'POST' || request.url !== '/' || !operation) {
      return new ApiError('UnknownOperationException', `Expected POST / with X-Amz-Target ${prefix}<Operation>.`);
    }
    if (!isSignedFor(request, service.signingName)) return missingAuthentication(service.signingName);
    if (!parsed) return new ApiError('SerializationException', 'The request body is not a JSON object.');
    return undefined;
  })();
  return { operation, input: parsed ?? {}, ...(rejection ? { rejection } : {}) };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
