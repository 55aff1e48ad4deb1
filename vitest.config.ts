import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Mesa wants a writable XDG_RUNTIME_DIR before Dawn loads; see test/setup.ts.
    setupFiles: ['test/setup.ts'],
  },
});
