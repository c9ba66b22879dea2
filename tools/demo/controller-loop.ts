/**
 * The demo's schedule: invokes the controller process (controller-process.ts) every tick, as
 * EventBridge invokes the Lambda every minute, and hands on what each tick returned. One invocation
 * at a time: a tick still running when the next is due delays that one.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { TickResult } from '../../src/report/outcome.js';
import type { ControllerMessage, TickRequest } from './controller-process.js';

export interface TickRecord {
  /** Epoch ms the tick was scheduled for (the event's scheduledTime). */
  scheduledAt: number;
  durationMs: number;
  result?: TickResult;
  /** Set when the handler threw or did not answer in time. */
  error?: string;
}

export interface ControllerLoopOptions {
  /** The bundled controller-process entry. */
  script: string;
  env: NodeJS.ProcessEnv;
  tickSeconds: number;
  timeoutSeconds: number;
  /** File descriptor for the controller's log lines. */
  logFd: number;
  onTick(tick: TickRecord): void;
}

export interface ControllerLoop {
  readonly pid: number | undefined;
  /** Starts ticking now. */
  start(): void;
  /** Stops ticking and ends the process (an invocation in flight is abandoned). */
  stop(): Promise<void>;
}

/** Beyond the Lambda timeout, how long a silent controller is given before the tick counts as timed out. */
const ANSWER_MARGIN_MS = 2_000;

/** Starts the controller process and resolves once it has loaded the handler. */
export async function startControllerProcess(options: ControllerLoopOptions): Promise<ControllerLoop> {
  const child = fork(options.script, [], { env: options.env, execArgv: [], stdio: ['ignore', options.logFd, options.logFd, 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then(() => reject(new Error('the controller process exited while loading the handler; see controller.log')));
  });

  let stopped = false;
  let wake: (() => void) | undefined;
  let nextId = 1;

  const runTicks = async () => {
    const periodMs = options.tickSeconds * 1000;
    let scheduledAt = Date.now();
    while (!stopped) {
      const started = Date.now();
      const reply = await invoke(
        child,
        { id: nextId++, event: { scheduledTime: new Date(scheduledAt).toISOString() }, timeoutMs: options.timeoutSeconds * 1000 },
        exited,
      );
      if (stopped) return;
      options.onTick({ scheduledAt, durationMs: Date.now() - started, ...reply });
      // The next slot of the schedule still ahead: slots an overlong tick ran through are skipped.
      while (scheduledAt <= Date.now()) scheduledAt += periodMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, scheduledAt - Date.now());
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  return {
    pid: child.pid,
    start: () => void runTicks(),
    stop: async () => {
      stopped = true;
      wake?.();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function invoke(child: ChildProcess, invocation: TickRequest, exited: Promise<void>): Promise<Pick<TickRecord, 'result' | 'error'>> {
  let onMessage: ((message: ControllerMessage) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const answered = new Promise<Pick<TickRecord, 'result' | 'error'>>((resolve) => {
    onMessage = (message) => {
      if (message.type === 'result' && message.id === invocation.id) resolve({ result: message.result });
      if (message.type === 'error' && message.id === invocation.id) resolve({ error: message.message });
    };
    child.on('message', onMessage);
    timer = setTimeout(
      () => resolve({ error: `no answer within the Lambda timeout of ${invocation.timeoutMs / 1000} s` }),
      invocation.timeoutMs + ANSWER_MARGIN_MS,
    );
    void exited.then(() => resolve({ error: 'the controller process exited' }));
  });
  if (child.connected) child.send(invocation);
  try {
    return await answered;
  } finally {
    clearTimeout(timer);
    if (onMessage) child.off('message', onMessage);
  }
}
