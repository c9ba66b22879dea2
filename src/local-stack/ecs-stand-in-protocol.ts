/**
 * The wire protocol of the ECS API, AWS JSON 1.1, as the ECS stand-in speaks it: every call is a
 * POST to `/` naming its operation in `X-Amz-Target`, with a JSON body both ways; errors are HTTP
 * 4xx/5xx with `{"__type": "<namespace>#<ErrorCode>", "message": "..."}`, from which the SDK picks
 * the error code after the `#` and throws its exception class of that name.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const ERROR_NAMESPACE = 'com.amazonaws.ecs';

/** An error the API answers with, e.g. `new EcsApiError('ServiceNotFoundException', 'Service not found.')`. */
export class EcsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export interface ApiRequest {
  /** The operation named in X-Amz-Target, e.g. `DescribeServices` ('' when the header is missing). */
  operation: string;
  /** The parsed JSON body; `{}` when it could not be parsed (the error says so). */
  input: Record<string, unknown>;
  /** Why the request cannot be served whatever its operation: unsigned, not JSON, not POST. */
  rejection?: EcsApiError;
}

export async function readApiRequest(request: IncomingMessage): Promise<ApiRequest> {
  const body = await readBody(request);
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const parsed = parseJsonObject(body);
  const rejection = (() => {
    if (request.method !== 'POST' || request.url !== '/' || !operation) {
      return new EcsApiError('UnknownOperationException', `Expected POST / with X-Amz-Target ${TARGET_PREFIX}<Operation>.`);
    }
    // The real endpoint refuses unsigned calls; checking the scope proves the SDK signed for ECS.
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/ecs\/aws4_request,/.test(request.headers.authorization ?? '')) {
      return new EcsApiError('MissingAuthenticationTokenException', 'Missing or malformed SigV4 Authorization for service ecs.', 403);
    }
    if (!parsed) return new EcsApiError('SerializationException', 'The request body is not a JSON object.');
    return undefined;
  })();
  return { operation, input: parsed ?? {}, ...(rejection ? { rejection } : {}) };
}

export function writeApiResult(response: ServerResponse, body: unknown): void {
  write(response, 200, body);
}

export function writeApiError(response: ServerResponse, error: EcsApiError): void {
  write(response, error.status, { __type: `${ERROR_NAMESPACE}#${error.type}`, message: error.message });
}

function write(response: ServerResponse, status: number, body: unknown): void {
  // The client may have given up (request timeout) while we were answering slowly.
  if (response.destroyed) return;
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(payload);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
