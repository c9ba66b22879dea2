/**
 * The server every AWS API stand-in runs on (ECS, CloudWatch, MSK, Secrets Manager): an HTTP server
 * on 127.0.0.1 that reads a call through the service's wire protocol, records it, serves it with
 * the stand-in's operations, and answers through the protocol again. Besides the API it holds the
 * test controls all stand-ins share: injected errors, added latency, a hung endpoint, the record
 * of calls, and a stop that leaves no connection or timer behind. One implementation, so a fault
 * behaves the same whichever service a test injects it into.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** An error the API answers with, e.g. `new ApiError('ServiceNotFoundException', 'Service not found.')`. */
export class ApiError extends Error {
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
  /** The operation the request names, e.g. `DescribeServices` (what it asked for when it names none). */
  operation: string;
  /** The operation's parameters; `{}` when they could not be read (the rejection says so). */
  input: Record<string, unknown>;
  /** Why the request cannot be served whatever its operation: unsigned, malformed, unknown route. */
  rejection?: ApiError;
}

/** How one service's calls look on the wire (AWS JSON, REST JSON...). */
export interface WireProtocol {
  read(request: IncomingMessage): Promise<ApiRequest>;
  writeResult(response: ServerResponse, result: unknown): void;
  writeError(response: ServerResponse, error: ApiError): void;
}

/** An error to answer with, e.g. `{ type: 'InternalServiceFault', status: 500 }`. */
export interface InjectedFault {
  /** The error code the SDK sees as the exception's name. */
  type: string;
  /** HTTP status (default 400). */
  status?: number;
  message?: string;
}

export interface RecordedCall {
  /** As the request named it, also for operations the stand-in does not serve. */
  operation: string;
  input: Record<string, unknown>;
  /** When the call arrived (epoch ms). */
  at: number;
  /** The error code answered, if the call failed. */
  error?: string;
}

/** The controls every stand-in offers, whatever its service. */
export interface AwsStandIn<Operation extends string> {
  /** Endpoint for `AWS_ENDPOINT_URL_<SERVICE>` or an SDK client's `endpoint`. */
  readonly url: string;
  readonly calls: readonly RecordedCall[];
  callsOf(operation: string): RecordedCall[];
  /** The next `count` calls of `operation` fail with `fault`. Queued faults are served in order. */
  failNext(count: number, operation: Operation | 'any', fault: InjectedFault): void;
  /**
   * Delays responses to `operation` (default: to every operation, replacing any set per operation).
   * The call takes effect at once, as if only the answer were slow.
   */
  setLatency(milliseconds: number, operation?: Operation | 'any'): void;
  /**
   * While on, calls are recorded but neither served nor answered: the client waits until its own
   * timeout, or until `stop`. Calls hung before `hang(false)` stay unanswered.
   */
  hang(on: boolean): void;
  /** Forgets the calls and lifts faults, latency and hanging. */
  reset(): void;
  /** Closes the server and every connection, hung ones included; delayed responses are dropped. */
  stop(): Promise<void>;
}

export interface AwsStandInServerOptions<Operation extends string> {
  /** The service as messages name it, e.g. `ECS`. */
  service: string;
  protocol: WireProtocol;
  operations: Record<Operation, (input: Record<string, unknown>) => unknown>;
  /** The error code (HTTP 500) for an operation that throws something other than an ApiError, e.g. `ServerException`. */
  internalErrorType: string;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

interface QueuedFault {
  operation: string;
  remaining: number;
  error: ApiError;
}

type Outcome = { result: unknown } | { error: ApiError };

export async function startAwsStandInServer<Operation extends string>(
  options: AwsStandInServerOptions<Operation>,
): Promise<AwsStandIn<Operation>> {
  const { service, protocol, operations, internalErrorType } = options;
  const calls: RecordedCall[] = [];
  const faults: QueuedFault[] = [];
  /** Per operation, or for every other under 'any'. */
  const latencies = new Map<string, number>();
  const delayedResponses = new Set<NodeJS.Timeout>();
  let hanging = false;

  const takeFault = (operation: string): ApiError | undefined => {
    const index = faults.findIndex((fault) => fault.operation === 'any' || fault.operation === operation);
    const fault = faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) faults.splice(index, 1);
    return fault.error;
  };

  /** The outcome of a call: its result, or the API error to answer with. */
  const serve = (call: RecordedCall, rejection: ApiError | undefined): Outcome => {
    try {
      if (rejection) throw rejection;
      const fault = takeFault(call.operation);
      if (fault) throw fault;
      if (!Object.hasOwn(operations, call.operation)) {
        throw new ApiError('UnknownOperationException', `The ${service} stand-in does not implement ${call.operation}.`);
      }
      return { result: operations[call.operation as Operation](call.input) };
    } catch (error) {
      // Anything unexpected (a bug, a test callback that throws) is a server fault, never a crash.
      const apiError = error instanceof ApiError ? error : new ApiError(internalErrorType, String(error), 500);
      call.error = apiError.type;
      return { error: apiError };
    }
  };

  const delay = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delayedResponses.delete(timer);
        resolve();
      }, milliseconds);
      delayedResponses.add(timer);
    });

  const server = createServer((request, response) => {
    void (async () => {
      const { operation, input, rejection } = await protocol.read(request);
      const call: RecordedCall = { operation, input, at: Date.now() };
      calls.push(call);
      // Left unanswered; stop() destroys the connection. Queued faults wait for a call that is served.
      if (hanging) return;
      const outcome = serve(call, rejection);
      const latencyMs = latencies.get(operation) ?? latencies.get('any') ?? 0;
      if (latencyMs > 0) await delay(latencyMs);
      if ('error' in outcome) protocol.writeError(response, outcome.error);
      else protocol.writeResult(response, outcome.result);
    })().catch(() => response.destroy()); // the client went away mid-request, or its gzip body was corrupt
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (operation) => calls.filter((call) => call.operation === operation),
    failNext: (count, operation, fault) => {
      if (!Number.isInteger(count) || count < 1)
        throw new Error(`${service} stand-in: fault count must be a positive integer, got ${count}`);
      faults.push({ operation, remaining: count, error: new ApiError(fault.type, fault.message ?? fault.type, fault.status ?? 400) });
    },
    setLatency: (milliseconds, operation = 'any') => {
      if (!(milliseconds >= 0)) throw new Error(`${service} stand-in: latency must be a non-negative number, got ${milliseconds}`);
      if (operation === 'any') latencies.clear();
      latencies.set(operation, milliseconds);
    },
    hang: (on) => {
      hanging = on;
    },
    reset: () => {
      calls.length = 0;
      faults.length = 0;
      latencies.clear();
      hanging = false;
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve, reject) => {
        for (const timer of delayedResponses) clearTimeout(timer);
        delayedResponses.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** A JSON answer, with the request id every AWS response carries. */
export function writeJson(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // The client may have given up (request timeout) while we were answering slowly.
  if (response.destroyed) return;
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(payload);
}

/** The body as text, unzipped if the SDK compressed it (it gzips CloudWatch PutMetricData bodies over 10 KiB). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
}

/** The real endpoints refuse unsigned calls; checking the scope proves the SDK signed for this service. */
export function isSignedFor(request: IncomingMessage, signingName: string): boolean {
  const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request,/.exec(request.headers.authorization ?? '');
  return scope?.[1] === signingName;
}

export const missingAuthentication = (signingName: string) =>
  new ApiError('MissingAuthenticationTokenException', `Missing or malformed SigV4 Authorization for service ${signingName}.`, 403);
