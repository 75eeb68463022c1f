import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Simulator-backed tests bind loopback servers; a hung request must fail fast, not stall CI.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
