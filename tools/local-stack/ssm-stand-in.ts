/**
 * A local stand-in for SSM Parameter Store's GetParameter (AWS JSON 1.1), so reading the control
 * parameter (pause and pins) runs through the real AWS SDK (point `AWS_ENDPOINT_URL_SSM` or a
 * client's `endpoint` at `url`). Tests change or delete a parameter between ticks, as an operator's
 * `aws ssm put-parameter --overwrite` would, and make GetParameter fail or hang with the controls
 * every stand-in shares.
 *
 * A parameter is found by its name or its ARN, as in Parameter Store; each change of its value
 * raises its version.
 */
import { type AwsJsonService, awsJsonProtocol } from './aws-json-protocol.js';
import { ApiError, type AwsStandIn, startAwsStandInServer } from './aws-stand-in-server.js';

export type SsmOperation = 'GetParameter';

export interface SsmStandInOptions {
  /** Each parameter's value (a String parameter), by name, e.g. `{"/kafka-lag-scaler/control": "{}"}`. */
  parameters?: Record<string, string>;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** Region in the parameters' ARNs (default us-east-1). */
  region?: string;
}

export interface SsmStandIn extends AwsStandIn<SsmOperation> {
  /** Creates the parameter or overwrites its value (a new version), like `put-parameter --overwrite`. */
  putParameter(name: string, value: string): void;
  /** Removes the parameter: GetParameter then answers ParameterNotFound. */
  deleteParameter(name: string): void;
}

interface StoredParameter {
  value: string;
  version: number;
  /** Epoch ms. */
  modifiedAt: number;
}

const SSM_JSON: AwsJsonService = {
  targetPrefix: 'AmazonSSM',
  version: '1.1',
  errorNamespace: 'com.amazonaws.ssm',
  signingName: 'ssm',
};

const ACCOUNT = '123456789012';
/** `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>`. */
const PARAMETER_ARN = /^arn:aws[\w-]*:ssm:[^:]*:\d*:parameter\/(.+)$/;

export async function startSsmStandIn(options: SsmStandInOptions = {}): Promise<SsmStandIn> {
  const region = options.region ?? 'us-east-1';
  const parameters = new Map<string, StoredParameter>();
  const putParameter = (name: string, value: string) => {
    if (value === '') throw new Error(`SSM stand-in: parameter ${name}: Parameter Store refuses an empty value`);
    parameters.set(name, { value, version: (parameters.get(name)?.version ?? 0) + 1, modifiedAt: Date.now() });
  };
  for (const [name, value] of Object.entries(options.parameters ?? {})) putParameter(name, value);

  const server = await startAwsStandInServer<SsmOperation>({
    service: 'SSM',
    protocol: awsJsonProtocol(SSM_JSON),
    operations: { GetParameter: (input) => getParameter(input, parameters, region) },
    internalErrorType: 'InternalServerError',
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  return {
    ...server,
    putParameter,
    deleteParameter: (name) => {
      parameters.delete(name);
    },
  };
}

function getParameter(input: Record<string, unknown>, parameters: ReadonlyMap<string, StoredParameter>, region: string) {
  const asked = input.Name;
  if (typeof asked !== 'string' || asked === '') throw new ApiError('ValidationException', 'Name must be a parameter name or ARN.');
  const name = nameOf(asked, parameters);
  const parameter = parameters.get(name);
  // Parameter Store names no parameter in this error: the message is empty.
  if (!parameter) throw new ApiError('ParameterNotFound', '');
  return {
    Parameter: {
      Name: name,
      Type: 'String',
      Value: parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.modifiedAt / 1000,
      ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`,
      DataType: 'text',
    },
  };
}

/** The name a GetParameter asks for: as given, or from its ARN (which drops the name's leading slash). */
function nameOf(asked: string, parameters: ReadonlyMap<string, StoredParameter>): string {
  const fromArn = PARAMETER_ARN.exec(asked)?.[1];
  if (fromArn === undefined) return asked;
  return parameters.has(`/${fromArn}`) ? `/${fromArn}` : fromArn;
}
