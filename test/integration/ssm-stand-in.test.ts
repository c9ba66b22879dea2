/**
 * The SSM stand-in against the real SSM client: the SDK serializes, signs and parses errors as it
 * would against Parameter Store, so what the control parameter's tests see holds for the real one.
 */
import { GetParameterCommand, InternalServerError, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SsmStandIn, startSsmStandIn } from '../../tools/local-stack/ssm-stand-in.js';

const REGION = 'eu-west-1';
const NAME = '/kafka-lag-scaler/control';
let ssm: SsmStandIn;
let client: SSMClient;

beforeAll(async () => {
  ssm = await startSsmStandIn({ region: REGION, parameters: { [NAME]: '{}' } });
  client = new SSMClient({
    region: REGION,
    endpoint: ssm.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
  });
});

afterAll(async () => {
  client.destroy();
  await ssm.stop();
});

beforeEach(() => {
  ssm.reset();
  ssm.putParameter(NAME, '{}');
});

const get = (name: string) => client.send(new GetParameterCommand({ Name: name }));

describe('the SSM stand-in', () => {
  it('answers GetParameter with the value, its version raised by each overwrite, and its ARN', async () => {
    const before = (await get(NAME)).Parameter;
    ssm.putParameter(NAME, '{"paused": true}');
    const after = (await get(NAME)).Parameter;

    expect(after).toMatchObject({
      Name: NAME,
      Type: 'String',
      Value: '{"paused": true}',
      Version: (before?.Version ?? 0) + 1,
      ARN: `arn:aws:ssm:${REGION}:123456789012:parameter/kafka-lag-scaler/control`,
    });
    expect(after?.LastModifiedDate).toBeInstanceOf(Date);
    expect(ssm.callsOf('GetParameter').map((c) => c.input.Name)).toEqual([NAME, NAME]);
  });

  it('finds a parameter by its ARN, as Parameter Store does', async () => {
    const byArn = await get(`arn:aws:ssm:${REGION}:123456789012:parameter/kafka-lag-scaler/control`);
    expect(byArn.Parameter?.Name).toBe(NAME);
  });

  it('answers a deleted parameter with ParameterNotFound, the SDK exception of that name', async () => {
    ssm.deleteParameter(NAME);
    await expect(get(NAME)).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it('refuses an empty value, as Parameter Store does', () => {
    expect(() => ssm.putParameter(NAME, '')).toThrow(/refuses an empty value/);
  });

  it('fails the next call with an injected error, then serves again', async () => {
    ssm.failNext(1, 'GetParameter', { type: 'InternalServerError', status: 500 });
    await expect(get(NAME)).rejects.toBeInstanceOf(InternalServerError);
    expect((await get(NAME)).Parameter?.Value).toBe('{}');
  });

  it('while hung, lets the client time out; after hang(false) the next call is answered', async () => {
    ssm.hang(true);
    await expect(get(NAME)).rejects.toMatchObject({ name: 'TimeoutError' });
    ssm.hang(false);
    expect((await get(NAME)).Parameter?.Value).toBe('{}');
  });
});
