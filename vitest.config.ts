import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Simulator-backed tests bind loopback servers; a hung request must fail fast, not stall CI.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each test file in a fresh module graph re-imported aws-cdk-lib, the SDK and the simulator:
    // 170 s of a 2-core run, 90 s without. The files share no module state they depend on
    // (servers bind port 0, mocks are reset per file); three shuffled orders pass alike.
    isolate: false,
  },
});
