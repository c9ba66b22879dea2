/**
 * Stopping the demo in two phases. First everything that acts on its own (the schedule, the
 * sampler, the producer, the workers, pending faults) stops, all at once, so nothing new happens;
 * then what is held (servers, connections, files) is released, newest first. Every step runs even
 * when another fails: a resource that fails to stop must not keep the others running.
 */
export class Shutdown {
  private readonly activities: (() => unknown)[] = [];
  private readonly resources: (() => unknown)[] = [];

  halt(step: () => unknown): void {
    this.activities.push(step);
  }

  release(step: () => unknown): void {
    this.resources.push(step);
  }

  async run(): Promise<void> {
    await Promise.allSettled(this.activities.splice(0).map(async (step) => step()));
    for (const step of this.resources.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Already gone, most likely; the next resource still needs releasing.
      }
    }
  }
}
