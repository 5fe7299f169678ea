// A progress line for a running search (the CLI prints it; this only formats).

export interface Progress {
  /** States stored so far. */
  readonly states: number;
  readonly statesPerSecond: number;
  /** BFS level being expanded. */
  readonly depth: number;
  /** Bytes the checker holds (bookkeeping plus the queued-state estimate). */
  readonly memoryBytes: number;
  /** States waiting to be expanded. */
  readonly queue: number;
  readonly seconds: number;
}

/** e.g. "1.23 M states  456.7 k/s  depth 12  mem 45.6 MiB  queue 12.3 k  3.2 s" */
export function formatProgress(p: Progress): string {
  return [
    `${count(p.states)} states`,
    `${count(p.statesPerSecond)}/s`,
    `depth ${p.depth}`,
    `mem ${bytes(p.memoryBytes)}`,
    `queue ${count(p.queue)}`,
    `${p.seconds.toFixed(1)} s`,
  ].join('  ');
}

/** 999, 12.3 k, 4.56 M, 1.20 G: three significant digits, so the line keeps its width. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const;
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${sig3(n / scale)} ${unit}`;
  return Math.round(n).toString();
}

export function bytes(n: number): string {
  const units = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']] as const;
  for (const [scale, unit] of units) if (n >= scale) return `${sig3(n / scale)} ${unit}`;
  return `${Math.round(n)} B`;
}

function sig3(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}
