import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // Pure parts and in-process fakes only: runs without a C compiler or librdkafka (npm run test:unit).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/tools/**/*.test.ts'] } },
      // Everything that starts the embedded Kafka, a stand-in, a browser or a synth: the launcher is built once first.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/{integration,e2e,infra,browser}/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
