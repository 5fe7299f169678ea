import { describe, expect, it } from 'vitest';
import type { KernelOp } from '../kernel/spec.js';
import { memcpyStore, textPoke, textPokeEarly } from './text-poke.js';

const stores = (ops: KernelOp[]) => ops.map((o) => (o.op === 'store' ? [Number(o.address), Array.from(o.bytes)] : o.op));

describe('plain text writes: one store per atomic piece', () => {
  const five = Uint8Array.of(0xe9, 1, 2, 3, 4);
  const rows = [
    { name: '5 bytes at an 8-aligned address: 4 + 1', at: 0x1000n, want: [[0x1000, [0xe9, 1, 2, 3]], [0x1004, [4]]] },
    { name: '5 bytes at 4k+1: 1 + 2 + 2', at: 0x1001n, want: [[0x1001, [0xe9]], [0x1002, [1, 2]], [0x1004, [3, 4]]] },
    { name: '5 bytes at 8k+3: 1 + 4', at: 0x1003n, want: [[0x1003, [0xe9]], [0x1004, [1, 2, 3, 4]]] },
  ];
  for (const f of [textPoke, textPokeEarly, memcpyStore]) {
    it.each(rows)(`${f.name}: $name`, ({ at, want }) => expect(stores(f(at, five))).toEqual(want));
  }
  it('labels name the primitive', () => {
    expect(textPoke(0x1000n, five)[0].step).toMatch(/^text_poke: /);
    expect(textPokeEarly(0x1000n, five)[0].step).toMatch(/^text_poke_early: /);
    expect(memcpyStore(0x1000n, five)[1].step).toMatch(/^memcpy: .*piece 2\/2/);
  });
});
