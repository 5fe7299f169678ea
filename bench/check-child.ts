// One check in a process of its own, for the bench's big rows: its peak resident size is then the
// check's alone (parse, lower, search), not the bench's. Prints one JSON line: the run and maxRSS.
// Usage: tsx bench/check-child.ts ID MAX_SECONDS

import { checkSeed } from './seeds.js';

const [id, maxSeconds] = process.argv.slice(2);
// The process before the check (Node, the loader, our code): what the peak grows past is the check's.
const baseRssBytes = process.memoryUsage().rss;
const run = checkSeed(id, true, Number(maxSeconds));
// resourceUsage().maxRSS is in KiB.
console.log(JSON.stringify({ run, peakRssBytes: process.resourceUsage().maxRSS * 1024, baseRssBytes }));
