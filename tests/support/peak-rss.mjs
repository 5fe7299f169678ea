// Preloaded (`node --import ./tests/support/peak-rss.mjs bin/patchlab.js …`) by tests/memory-budget.test.ts:
// on exit, write the process's peak resident set (Linux's VmHWM, every thread's) to the file PEAK_RSS_OUT.
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.PEAK_RSS_OUT;
if (out) {
  process.on('exit', () => {
    const m = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(out, m ? m[1] : '');
  });
}
