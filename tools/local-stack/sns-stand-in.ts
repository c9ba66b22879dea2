/**
 * A local stand-in for Amazon SNS's Publish over SNS's query protocol, so the controller's scale
 * notifications run through the real AWS SDK (point `AWS_ENDPOINT_URL_SNS` or a client's
 * `endpoint` at `url`): tests read back what was published, and make Publish fail or hang with the
 * controls every stand-in shares.
 */
import { randomUUID } from 'node:crypto';
import { type AwsQueryService, awsQueryProtocol, queryResult } from './aws-query-protocol.js';
import { ApiError, type AwsStandIn, startAwsStandInServer } from './aws-stand-in-server.js';

export type SnsOperation = 'Publish';

export interface SnsStandInOptions {
  /** The topics that exist, by ARN; Publish to any other is refused as SNS does (NotFound). */
  topics: readonly string[];
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

/** One message as SNS accepted it. */
export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  message: string;
  messageId: string;
  /** Epoch ms. */
  at: number;
}

export interface SnsStandIn extends AwsStandIn<SnsOperation> {
  /** Every message accepted, in arrival order. */
  messages(): PublishedMessage[];
  /** Also forgets the messages. */
  reset(): void;
}

const SNS_QUERY: AwsQueryService = {
  version: '2010-03-31',
  xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  signingName: 'sns',
};

/** SNS's limits on a message: a Subject of printable ASCII up to 100 characters, a body up to 256 KiB. */
const MAX_SUBJECT_LENGTH = 100;
const MAX_MESSAGE_BYTES = 262_144;

export async function startSnsStandIn(options: SnsStandInOptions): Promise<SnsStandIn> {
  const topics = new Set(options.topics);
  const published: PublishedMessage[] = [];

  const server = await startAwsStandInServer<SnsOperation>({
    service: 'SNS',
    protocol: awsQueryProtocol(SNS_QUERY),
    operations: {
      Publish: (input) => {
        const message = readPublish(input, topics);
        published.push(message);
        return queryResult('Publish', { MessageId: message.messageId });
      },
    },
    internalErrorType: 'InternalError',
    ...(options.port !== undefined ? { port: options.port } : {}),
  });

  return {
    ...server,
    messages: () => published.map((message) => ({ ...message })),
    reset: () => {
      server.reset();
      published.length = 0;
    },
  };
}

function readPublish(input: Record<string, unknown>, topics: ReadonlySet<string>): PublishedMessage {
  const { TopicArn: topicArn, Subject: subject, Message: message } = input;
  if (typeof topicArn !== 'string' || topicArn === '')
    throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (!topics.has(topicArn)) throw new ApiError('NotFound', 'Topic does not exist', 404);
  if (typeof message !== 'string' || message === '') throw invalidParameter('Empty message');
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  if (subject !== undefined && (typeof subject !== 'string' || !/^[\x20-\x7e]{1,100}$/.test(subject))) {
    throw invalidParameter(
      `Subject must be ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks or control characters; and must be less than ${MAX_SUBJECT_LENGTH} characters long`,
    );
  }
  return { topicArn, ...(subject === undefined ? {} : { subject }), message, messageId: randomUUID(), at: Date.now() };
}

function invalidParameter(reason: string): ApiError {
  return new ApiError('InvalidParameter', `Invalid parameter: ${reason}`);
}
