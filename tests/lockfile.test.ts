// The lock file is complete: every optional dependency a locked package names is locked too, for every
// platform, so that `npm ci` on a fresh clone does not refuse it as out of sync ("Missing: @rollup/… from
// lock file") and `npm install` has nothing to add.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};

/** Where npm would look for NAME required by the package at PATH: its own node_modules, then each parent's. */
function resolve(path: string, name: string): string | undefined {
  let dir = path;
  for (;;) {
    const candidate = `${dir ? dir + '/' : ''}node_modules/${name}`;
    if (candidate in lock.packages) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  it('is lockfile version 3', () => expect(lock.lockfileVersion).toBe(3));

  it('locks every dependency, optional ones of every platform included', () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      const wanted = { ...pkg.dependencies, ...pkg.optionalDependencies, ...(path === '' ? pkg.devDependencies : {}) };
      for (const name of Object.keys(wanted)) if (!resolve(path, name)) missing.push(`${name} (for ${path || 'the root'})`);
    }
    expect(missing).toEqual([]);
  });

  it('agrees with package.json', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as LockedPackage;
    const root = lock.packages[''];
    expect(root.dependencies).toEqual(manifest.dependencies);
    expect(root.devDependencies).toEqual(manifest.devDependencies);
  });
});
