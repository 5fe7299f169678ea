// Every shipped example assembles, with patchlab, to the bytes GNU as gives.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/base/bits.js';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import { isaFor } from '../../src/isa/registry.js';
import type { ArchName } from '../../src/isa/types.js';
import { gnuAs } from '../support/binutils.js';

const dir = new URL('../../examples/asm/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.s'));

describe('examples against GNU as', () => {
  it.each(files)('%s', (file) => {
    const arch = /static-call-(.*)\.s$/.exec(file)?.[1] as ArchName;
    const src = readFileSync(new URL(file, dir), 'utf8');
    const ref = gnuAs(arch, src);
    expect(ref.stderr).toBe('');
    const r = assemble(src, isaFor(arch), file);
    expect(r.diagnostics).toEqual([]);
    expect(bytesToHex(textBytes(r.object))).toBe(bytesToHex(ref.text!));
  });
});
