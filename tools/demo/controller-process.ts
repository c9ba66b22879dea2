/**
 * The controller Lambda run as a local process: the same handler, invoked over IPC as the schedule
 * invokes it, with a Lambda context whose deadline is the demo Lambda's timeout. A process of its
 * own gives it what a Lambda has: an environment of its own, and module state (the Kafka
 * connection, the decision history) that lives across warm invocations.
 *
 * Protocol: it sends `{ type: 'ready' }` once loaded, then answers each `TickRequest` with an
 * `InvocationReply`. It exits when the demo's IPC channel closes and ignores Ctrl-C, which the
 * demo handles for every process.
 */
import type { Context } from 'aws-lambda';
import { handler } from '../../handlers/controller.js';
import type { TickResult } from '../../src/report/outcome.js';
import { lambdaContext } from '../local-stack/lambda-context.js';

export interface TickRequest {
  id: number;
  event: unknown;
  timeoutMs: number;
}

export type InvocationReply = { type: 'result'; id: number; result: TickResult } | { type: 'error'; id: number; message: string };

export type ControllerMessage = { type: 'ready' } | InvocationReply;

type Handler = (event: unknown, context: Context) => Promise<TickResult>;

async function invoke({ id, event, timeoutMs }: TickRequest): Promise<InvocationReply> {
  try {
    return { type: 'result', id, result: await (handler as unknown as Handler)(event, lambdaContext(timeoutMs, 'kafka-lag-scaler-demo')) };
  } catch (error) {
    return { type: 'error', id, message: (error as Error).message ?? String(error) };
  }
}

const send = (message: ControllerMessage) => process.send?.(message);
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => undefined);
process.on('message', (invocation: TickRequest) => void invoke(invocation).then(send));
send({ type: 'ready' });
