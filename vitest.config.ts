import { defineConfig } from 'vitest/config';
// Unit, property, golden-vector and fuzz tests: need nothing but Node.
export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'tests/**/*.test.ts'], exclude: ['tests/oracle/**'], testTimeout: 60_000 },
});
