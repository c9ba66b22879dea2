/**
 * The AWS query protocol as the stand-ins speak it (SNS): every call is a POST to `/` with a
 * form-encoded body naming `Action` and `Version` beside the parameters; the answer is XML,
 * `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata>…`, and an error is HTTP
 * 4xx/5xx with `<ErrorResponse><Error><Type/><Code/><Message/></Error>…`, from whose Code the SDK
 * picks the exception class it throws.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type ApiRequest, isSignedFor, missingAuthentication, readBody, type WireProtocol } from './aws-stand-in-server.js';

/** What tells one query service from another on the wire. */
export interface AwsQueryService {
  /** The API version every call names, e.g. `2010-03-31`. */
  version: string;
  /** The XML namespace of answers, e.g. `http://sns.amazonaws.com/doc/2010-03-31/`. */
  xmlNamespace: string;
  /** The SigV4 signing name in the credential scope, e.g. `sns`. */
  signingName: string;
}

/** XML elements in the order given: a string or number is a text element, an object nests. */
export type QueryXml = { [element: string]: string | number | QueryXml };

/**
 * An operation's answer is `{ "<Action>Result": {...} }`: the protocol wraps it in
 * `<{Action}Response>` with the request id, as the service does.
 */
export function queryResult(action: string, result: QueryXml): QueryXml {
  return { [`${action}Result`]: result };
}

export function awsQueryProtocol(service: AwsQueryService): WireProtocol {
  return {
    read: (request) => readApiRequest(request, service),
    writeResult: (response, result) => {
      const [resultElement] = Object.keys(result as QueryXml);
      const action = resultElement?.replace(/Result$/, '') ?? 'Unknown';
      writeXml(
        response,
        200,
        `<${action}Response xmlns="${service.xmlNamespace}">${toXml(result as QueryXml)}` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
      );
    },
    writeError: (response, error) =>
      writeXml(
        response,
        error.status,
        `<ErrorResponse xmlns="${service.xmlNamespace}"><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
          `<Code>${escapeXml(error.type)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
          `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      ),
  };
}

/** The parameters as sent, flat (`MessageAttributes.entry.1.Name`), every value a string. */
async function readApiRequest(request: IncomingMessage, service: AwsQueryService): Promise<ApiRequest> {
  const parameters = Object.fromEntries(new URLSearchParams(await readBody(request)));
  const { Action: operation = '', Version: version, ...input } = parameters;
  const rejection = (() => {
    if (request.method !== 'POST' || request.url !== '/' || !operation) {
      return new ApiError('InvalidAction', 'Expected POST / with a form-encoded body naming Action.');
    }
    if (!isSignedFor(request, service.signingName)) return missingAuthentication(service.signingName);
    if (version !== service.version) return new ApiError('InvalidParameterValue', `Version must be ${service.version}, got ${version}.`);
    return undefined;
  })();
  return { operation, input, ...(rejection ? { rejection } : {}) };
}

function writeXml(response: ServerResponse, status: number, body: string): void {
  // The client may have given up (request timeout) while we were answering slowly.
  if (response.destroyed) return;
  const payload = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  response.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(payload);
}

function toXml(elements: QueryXml): string {
  return Object.entries(elements)
    .map(([name, value]) => `<${name}>${typeof value === 'object' ? toXml(value) : escapeXml(String(value))}</${name}>`)
    .join('');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
