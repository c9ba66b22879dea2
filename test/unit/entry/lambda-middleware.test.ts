import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { logManualActions } from '../../../src/entry/lambda-middleware.js';
import type { Invocation } from '../../../src/tick/invocation.js';
import { lambdaContext } from '../../../tools/local-stack/lambda-context.js';

function recordingLogger() {
  const lines: Array<{ level: string; message: string; attributes: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, ...attributes: Record<string, unknown>[]) =>
      lines.push({ level, message, attributes: Object.assign({}, ...attributes) });
  return { lines, logger: { info: at('INFO'), warn: at('WARN'), error: at('ERROR') } };
}

function runBefore(event: Invocation, context: Context) {
  const { lines, logger } = recordingLogger();
  const middleware = logManualActions(logger);
  middleware.before?.({ event, context, response: undefined, error: undefined, internal: {} } as never);
  return lines;
}

describe('a manual action', () => {
  it('is logged with who invoked it, as far as the Lambda context tells', () => {
    const context = {
      ...lambdaContext(),
      identity: { cognitoIdentityId: 'eu-west-1:abc', cognitoIdentityPoolId: 'pool' },
      clientContext: { client: { installationId: 'ops-laptop' } } as unknown as Context['clientContext'],
    };
    const lines = runBefore({ kind: 'manual', dryRun: false, targets: ['loans'] }, context);

    expect(lines).toEqual([
      {
        level: 'WARN',
        message: expect.stringMatching(/^manual action/),
        attributes: {
          targets: ['loans'],
          invokedFunctionArn: context.invokedFunctionArn,
          awsRequestId: context.awsRequestId,
          identity: context.identity,
          clientContext: context.clientContext,
        },
      },
    ]);
  });

  it('leaves out what the context does not carry', () => {
    const lines = runBefore({ kind: 'manual', dryRun: false }, lambdaContext());
    expect(lines[0]?.attributes).toEqual({ targets: 'all', invokedFunctionArn: expect.any(String), awsRequestId: expect.any(String) });
  });

  it.each([
    ['a hand-run dry run', { kind: 'manual', dryRun: true } as Invocation],
    ['a scheduled tick', { kind: 'scheduled', scheduledAt: 0 } as Invocation],
  ])('is not %s', (_, event) => {
    expect(runBefore(event, lambdaContext())).toEqual([]);
  });
});
