import { defineConfig } from 'vitest/config';
// Live comparisons with GNU binutils, llvm-mc and qemu-user (installed by .ci/run).
export default defineConfig({
  test: { include: ['tests/oracle/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
});
