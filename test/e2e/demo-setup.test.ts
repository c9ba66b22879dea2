/** On a machine that cannot build the embedded Kafka, the demo says exactly what to install and starts nothing. */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../tools/local-stack/embedded-kafka.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../tools/local-stack/embedded-kafka.js')>()),
  buildMockClusterLauncher: () => {
    throw new Error("The embedded Kafka needs librdkafka's mock cluster (/usr/include/librdkafka/rdkafka_mock.h).");
  },
  startEmbeddedKafka: () => {
    throw new Error('must not be reached');
  },
}));

const { DemoSetupError, runDemo } = await import('../../tools/demo/run-demo.js');

describe('npm run demo on a machine without librdkafka-dev', () => {
  it('fails with the apt-get command that fixes it', async () => {
    const run = runDemo({ seconds: 10, env: {}, view: 'none' });
    await expect(run).rejects.toThrow(DemoSetupError);
    await expect(run).rejects.toThrow(/rdkafka_mock\.h[\s\S]*apt-get install -y librdkafka-dev gcc/);
  });
});
