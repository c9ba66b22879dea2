/**
 * The demo service's tasks: worker processes started and stopped to follow the service's desired
 * count, as ECS does. A worker is pending from its start until it has joined the consumer group,
 * then running. Scaling in stops pending workers first, newest first; a worker that dies on its
 * own is replaced by a new one (which has its own start-up delay), as ECS replaces a stopped task.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { WorkerMessage, WorkerSettings } from './worker.js';

export interface TaskCounts {
  /** Workers that have joined the group. */
  running: number;
  /** Workers started but not yet in the group. */
  pending: number;
}

export type WorkerEventKind = 'started' | 'joined' | 'stopping' | 'stopped' | 'killed' | 'died';

export interface WorkerEvent {
  /** Epoch ms. */
  at: number;
  worker: number;
  kind: WorkerEventKind;
}

export interface WorkerPoolOptions {
  /** The bundled worker entry (worker.ts). */
  script: string;
  settings: Omit<WorkerSettings, 'clientId'>;
  /** File descriptor the workers' output goes to. */
  logFd: number;
  onCountsChange(counts: TaskCounts): void;
}

const STOP_GRACE_MS = 5_000;

interface Worker {
  id: number;
  child: ChildProcess;
  joined: boolean;
  stopping: boolean;
  exited: Promise<void>;
}

export class WorkerPool {
  private readonly workers = new Map<number, Worker>();
  private nextId = 1;
  private closed = false;
  readonly events: WorkerEvent[] = [];
  /** Every worker process ever started, for checking that none is left behind. */
  readonly pids: number[] = [];

  constructor(private readonly options: WorkerPoolOptions) {}

  counts(): TaskCounts {
    const active = [...this.workers.values()].filter((w) => !w.stopping);
    const running = active.filter((w) => w.joined).length;
    return { running, pending: active.length - running };
  }

  /** Starts `count` workers without the start-up delay: the service as it already runs when the demo begins. */
  startRunning(count: number): void {
    for (let i = 0; i < count; i++) this.start(0);
    this.report();
  }

  setDesiredCount(desired: number): void {
    if (this.closed) return;
    const active = [...this.workers.values()].filter((w) => !w.stopping);
    for (let i = active.length; i < desired; i++) this.start();
    // Newest first within each kind, pending before running: the least progress is lost.
    const byStopOrder = active.sort((a, b) => Number(a.joined) - Number(b.joined) || b.id - a.id);
    for (const worker of byStopOrder.slice(0, Math.max(0, active.length - desired))) this.stopWorker(worker);
    this.report();
  }

  /** Kills a running worker outright, as a crashing task would die; returns its id. */
  killOne(): number | undefined {
    const victim = [...this.workers.values()].find((w) => w.joined && !w.stopping);
    if (!victim) return undefined;
    this.record(victim.id, 'killed');
    victim.child.kill('SIGKILL');
    return victim.id;
  }

  /** Stops every worker and resolves once all have exited. */
  async stop(): Promise<void> {
    this.closed = true;
    const workers = [...this.workers.values()];
    for (const worker of workers) if (!worker.stopping) this.stopWorker(worker);
    await Promise.all(workers.map((w) => w.exited));
  }

  private start(startupMs = this.options.settings.startupMs): void {
    const id = this.nextId++;
    const settings: WorkerSettings = { ...this.options.settings, startupMs, clientId: `demo-worker-${id}` };
    const child = fork(this.options.script, [JSON.stringify(settings)], {
      // Not the parent's flags (tsx's loader, vitest's): the bundle is plain JavaScript.
      execArgv: [],
      stdio: ['ignore', this.options.logFd, this.options.logFd, 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const worker: Worker = { id, child, joined: false, stopping: false, exited };
    this.workers.set(id, worker);
    if (child.pid !== undefined) this.pids.push(child.pid);
    this.record(id, 'started');

    child.on('message', (message: WorkerMessage) => {
      if (message.type !== 'joined' || worker.joined || worker.stopping) return;
      worker.joined = true;
      this.record(id, 'joined');
      this.report();
    });
    void exited.then(() => {
      this.workers.delete(id);
      this.record(id, worker.stopping ? 'stopped' : 'died');
      if (!worker.stopping && !this.closed) this.start();
      this.report();
    });
  }

  /** SIGTERM: the worker leaves the group; SIGKILL if it is still up after the grace period, as ECS's stopTimeout. */
  private stopWorker(worker: Worker): void {
    worker.stopping = true;
    this.record(worker.id, 'stopping');
    worker.child.kill('SIGTERM');
    const forced = setTimeout(() => worker.child.kill('SIGKILL'), STOP_GRACE_MS);
    void worker.exited.then(() => clearTimeout(forced));
  }

  private record(worker: number, kind: WorkerEventKind): void {
    this.events.push({ at: Date.now(), worker, kind });
  }

  private report(): void {
    this.options.onCountsChange(this.counts());
  }
}
