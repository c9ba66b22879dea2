/**
 * The control parameter in SSM Parameter Store (SCALER_CONTROL_PARAMETER): read every tick, so
 * an operator pauses or pins in seconds, without a deploy (`aws ssm put-parameter --overwrite`).
 * The function's alias runs a published version whose environment is frozen, so the environment
 * cannot serve. This adapter only fetches the text; src/config/operator-controls.ts judges it.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { boundedClientConfig } from '../aws-client-config.js';

export function createSsmClient(timeoutMs: number): SSMClient {
  return new SSMClient(boundedClientConfig({ timeoutMs, maxAttempts: 2 }));
}

/** The parameter's value; rejects, naming the parameter, when it cannot be read. */
export async function readControlParameter(client: Pick<SSMClient, 'send'>, name: string, signal: AbortSignal): Promise<string> {
  try {
    const answer = await client.send(new GetParameterCommand({ Name: name }), { abortSignal: signal });
    const value = answer.Parameter?.Value;
    if (value === undefined) throw new Error('the answer has no value');
    return value;
  } catch (error) {
    throw new Error(
      `GetParameter ${name}: ${(error as Error).name === 'ParameterNotFound' ? 'no such parameter' : (error as Error).message}`,
    );
  }
}
