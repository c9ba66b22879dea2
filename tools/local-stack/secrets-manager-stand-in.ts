/**
 * A local stand-in for AWS Secrets Manager's GetSecretValue (AWS JSON 1.1), so reading the SCRAM
 * credentials runs through the real AWS SDK (point `AWS_ENDPOINT_URL_SECRETS_MANAGER` or a client's
 * `endpoint` at `url`) and tests can make it fail or hang.
 *
 * A secret is found by its name or its ARN, whichever the test configured it by, as in Secrets
 * Manager: a secret configured by ARN takes its name from the ARN, one configured by name gets an
 * ARN with the random-looking suffix Secrets Manager appends (derived from the name, so stable).
 */
import { createHash } from 'node:crypto';
import { type AwsJsonService, awsJsonProtocol } from './aws-json-protocol.js';
import { ApiError, type AwsStandIn, startAwsStandInServer } from './aws-stand-in-server.js';

export type SecretsManagerOperation = 'GetSecretValue';

export interface SecretsManagerStandInOptions {
  /** SecretString by secret name or ARN. */
  secrets: Record<string, string>;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** Region in the ARNs of secrets configured by name (default us-east-1). */
  region?: string;
}

export type SecretsManagerStandIn = AwsStandIn<SecretsManagerOperation>;

interface Secret {
  arn: string;
  name: string;
  value: string;
}

const SECRETS_MANAGER_JSON: AwsJsonService = {
  targetPrefix: 'secretsmanager',
  version: '1.1',
  errorNamespace: 'com.amazonaws.secretsmanager',
  signingName: 'secretsmanager',
};

const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[^:]*:\d*:secret:(.+?)(-[A-Za-z0-9]{6})?$/;

export async function startSecretsManagerStandIn(options: SecretsManagerStandInOptions): Promise<SecretsManagerStandIn> {
  const region = options.region ?? 'us-east-1';
  const secrets = Object.entries(options.secrets).map(([id, value]) => ({ ...identify(id, region), value }));

  return startAwsStandInServer<SecretsManagerOperation>({
    service: 'Secrets Manager',
    protocol: awsJsonProtocol(SECRETS_MANAGER_JSON),
    operations: { GetSecretValue: (input) => getSecretValue(input, secrets) },
    internalErrorType: 'InternalServiceError',
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
}

function getSecretValue(input: Record<string, unknown>, secrets: readonly Secret[]) {
  const id = input.SecretId;
  if (typeof id !== 'string' || id === '') throw new ApiError('InvalidParameterException', 'SecretId must be a secret name or ARN.');
  const secret = secrets.find((candidate) => candidate.arn === id || candidate.name === id);
  if (!secret) throw new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return { ARN: secret.arn, Name: secret.name, SecretString: secret.value };
}

/** The ARN and name of a secret configured by either. */
function identify(id: string, region: string): Omit<Secret, 'value'> {
  const name = SECRET_ARN.exec(id)?.[1];
  if (name !== undefined) return { arn: id, name };
  const suffix = createHash('sha256').update(id).digest('base64url').replace(/[-_]/g, '').slice(0, 6);
  return { arn: `arn:aws:secretsmanager:${region}:123456789012:secret:${id}-${suffix}`, name: id };
}
