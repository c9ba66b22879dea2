/**
 * A local stand-in for the Amazon MSK API's GetBootstrapBrokers, so the scaler's broker discovery
 * runs through the real AWS SDK (point `AWS_ENDPOINT_URL_KAFKA` or a client's `endpoint` at `url`)
 * and tests can make it fail or hang. Every cluster ARN gets the configured bootstrap strings.
 *
 * MSK speaks REST JSON (restJson1), unlike the other stand-ins: the operation is the route,
 * `GET /v1/clusters/{clusterArn}/bootstrap-brokers` with the ARN URL-encoded in the path; the answer
 * has lowerCamel keys; an error's code travels in the `x-amzn-ErrorType` header, its message in
 * the body.
 */
import type { IncomingMessage } from 'node:http';
import {
  ApiError,
  type ApiRequest,
  type AwsStandIn,
  isSignedFor,
  missingAuthentication,
  readBody,
  startAwsStandInServer,
  type WireProtocol,
  writeJson,
} from './aws-stand-in-server.js';

export type MskOperation = 'GetBootstrapBrokers';

/** Bootstrap broker strings per client authentication, e.g. `{ iam: 'b-1.example:9098,b-2.example:9098' }`. */
export interface BootstrapBrokers {
  none?: string;
  tls?: string;
  scram?: string;
  iam?: string;
}

export interface MskStandInOptions {
  bootstrap: BootstrapBrokers;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

/** Calls to GetBootstrapBrokers are recorded with input `{ ClusterArn }`. */
export type MskStandIn = AwsStandIn<MskOperation>;

const SIGNING_NAME = 'kafka';
const CONTENT_TYPE = 'application/json';
const BOOTSTRAP_BROKERS_ROUTE = /^\/v1\/clusters\/([^/]+)\/bootstrap-brokers$/;

/** The response's JSON key for each authentication (the SDK maps them to BootstrapBrokerString...). */
const JSON_KEY_FOR: Record<keyof BootstrapBrokers, string> = {
  none: 'bootstrapBrokerString',
  tls: 'bootstrapBrokerStringTls',
  scram: 'bootstrapBrokerStringSaslScram',
  iam: 'bootstrapBrokerStringSaslIam',
};

const restJson: WireProtocol = {
  read: readRestRequest,
  writeResult: (response, result) => writeJson(response, 200, CONTENT_TYPE, result),
  writeError: (response, error) =>
    writeJson(response, error.status, CONTENT_TYPE, { message: error.message }, { 'x-amzn-ErrorType': error.type }),
};

export async function startMskStandIn(options: MskStandInOptions): Promise<MskStandIn> {
  const answer = Object.fromEntries(
    Object.entries(options.bootstrap).map(([authentication, brokers]) => [JSON_KEY_FOR[authentication as keyof BootstrapBrokers], brokers]),
  );
  return startAwsStandInServer<MskOperation>({
    service: 'MSK',
    protocol: restJson,
    operations: { GetBootstrapBrokers: () => answer },
    internalErrorType: 'InternalServerErrorException',
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
}

async function readRestRequest(request: IncomingMessage): Promise<ApiRequest> {
  await readBody(request); // GET has none; drained so the connection can be reused
  const path = (request.url ?? '').split('?')[0] ?? '';
  const route = request.method === 'GET' ? BOOTSTRAP_BROKERS_ROUTE.exec(path) : null;
  const clusterArn = route?.[1] === undefined ? undefined : decodePathLabel(route[1]);
  if (clusterArn === undefined) {
    const rejection = new ApiError(
      'UnknownOperationException',
      'The MSK stand-in serves only GET /v1/clusters/{clusterArn}/bootstrap-brokers.',
      404,
    );
    return { operation: `${request.method} ${path}`, input: {}, rejection };
  }
  const call = { operation: 'GetBootstrapBrokers', input: { ClusterArn: clusterArn } };
  return isSignedFor(request, SIGNING_NAME) ? call : { ...call, rejection: missingAuthentication(SIGNING_NAME) };
}

/** The ARN as the SDK encoded it into the path, or undefined when it is not valid percent-encoding. */
function decodePathLabel(label: string): string | undefined {
  try {
    return decodeURIComponent(label);
  } catch {
    return undefined;
  }
}
