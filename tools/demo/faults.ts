/**
 * Faults injected at set times of a demo run, to show (and test) that the loop survives them: a
 * running worker killed outright, as a crashing task dies, and a broker taken down and brought
 * back with the embedded Kafka's launcher.
 */
import type { EmbeddedKafka } from '../local-stack/embedded-kafka.js';
import type { Shutdown } from './shutdown.js';
import type { WorkerPool } from './worker-pool.js';

export interface DemoFaults {
  /** Seconds into the run at which a running worker is killed (SIGKILL). */
  killWorkerAt?: number[];
  /** A broker is down from `from` to `to` seconds into the run (default broker 1). */
  brokerDown?: { from: number; to: number; brokerId?: number };
}

export interface FaultEvent {
  /** Seconds into the run. */
  t: number;
  description: string;
}

export interface FaultTargets {
  kafka: EmbeddedKafka;
  workers: WorkerPool;
  /** Seconds into the run now. */
  seconds(): number;
  record(fault: FaultEvent): void;
  /** Pending faults are dropped when the run stops. */
  shutdown: Shutdown;
}

export function scheduleFaults(faults: DemoFaults, targets: FaultTargets): void {
  const at = (seconds: number, description: string, inject: () => unknown) => {
    // Recorded when the fault has taken effect, not when it was asked for: on a loaded machine the
    // embedded cluster may act a moment late, and the record is what the chart and tests judge by.
    const timer = setTimeout(() => {
      Promise.resolve()
        .then(inject)
        .then(
          () => targets.record({ t: targets.seconds(), description }),
          (error) => targets.record({ t: targets.seconds(), description: `${description} failed: ${(error as Error).message}` }),
        );
    }, seconds * 1000);
    targets.shutdown.halt(() => clearTimeout(timer));
  };
  for (const seconds of faults.killWorkerAt ?? []) at(seconds, 'a worker killed', () => targets.workers.killOne());
  if (faults.brokerDown) {
    const { from, to, brokerId = 1 } = faults.brokerDown;
    at(from, `broker ${brokerId} down`, () => targets.kafka.brokerDown(brokerId));
    at(to, `broker ${brokerId} up`, () => targets.kafka.brokerUp(brokerId));
  }
}
