import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSsmClient, readControlParameter } from '../../../../src/adapters/ssm/control-parameter.js';

const NAME = '/kafka-lag-scaler/control';
const ssmMock = mockClient(SSMClient);
const ssm = new SSMClient({ region: 'eu-west-1' });
const signal = new AbortController().signal;

beforeEach(() => ssmMock.reset());

describe('reading the control parameter', () => {
  it("answers the parameter's value as Parameter Store holds it, for the configuration to judge", async () => {
    ssmMock.on(GetParameterCommand, { Name: NAME }).resolves({ Parameter: { Name: NAME, Type: 'String', Value: '{"paused": true}' } });

    expect(await readControlParameter(ssm, NAME, signal)).toBe('{"paused": true}');
  });

  it('passes the abort signal to the SDK, so the tick bounds the read', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '{}' } });

    await readControlParameter(ssm, NAME, signal);

    expect((ssmMock.send.firstCall.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  it('says "no such parameter" when it does not exist', async () => {
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));

    await expect(readControlParameter(ssm, NAME, signal)).rejects.toThrow(`GetParameter ${NAME}: no such parameter`);
  });

  it('names the parameter and keeps what the SDK said of any other failure', async () => {
    ssmMock
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), { name: 'AccessDeniedException' }));

    await expect(readControlParameter(ssm, NAME, signal)).rejects.toThrow(
      `GetParameter ${NAME}: User is not authorized to perform: ssm:GetParameter`,
    );
  });

  it('rejects an answer without a value rather than read it as no controls', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: NAME } });

    await expect(readControlParameter(ssm, NAME, signal)).rejects.toThrow(`GetParameter ${NAME}: the answer has no value`);
  });
});

describe('createSsmClient', () => {
  it('bounds every call: 2 attempts in standard mode, each within the timeout given', async () => {
    const client = createSsmClient(700);
    expect(await client.config.maxAttempts()).toBe(2);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    const handler = client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> };
    expect(await handler.configProvider).toMatchObject({ requestTimeout: 700, throwOnRequestTimeout: true });
  });
});
