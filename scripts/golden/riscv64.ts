// The riscv64 golden cases: every table entry in every spelling GNU as takes, the edges of every field,
// and each compressed form GNU as picks (or does not pick) by default with the C extension.
//
// One instruction per line, branch targets as `.+N` so that GNU as resolves them itself (it also
// leaves an R_RISCV_BRANCH/JAL for the linker's relaxation; the bytes are the resolved ones, as ours).
// GNU as runs with -march=rv64imac_zicsr_zifencei; llvm-mc-14 with -mattr=+m,+a,+c.

import type { ArchName } from '../../src/isa/types.js';

const REGS = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 's0', 's1', 'a0', 'a5', 'a6', 's11', 't6'];
const C_REGS = ['s0', 's1', 'a0', 'a5'];
/** Three registers with every combination of equal and different, compressible and not. */
const TRIPLES: readonly (readonly [string, string, string])[] = [
  ['a0', 'a0', 'a1'], ['a0', 'a1', 'a0'], ['a0', 'a1', 'a2'], ['t0', 't0', 't1'], ['t0', 't1', 't0'], ['s0', 's0', 's1'],
  ['a5', 'a5', 'a5'], ['zero', 'zero', 'a0'], ['a0', 'zero', 'a1'], ['a0', 'a1', 'zero'], ['zero', 'a0', 'a1'], ['t6', 's11', 'ra'],
  ['x31', 'x8', 'x0'], ['fp', 'fp', 's1'],
];
const IMMS = ['0', '1', '-1', '31', '-32', '32', '-33', '2047', '-2048', '0x7ff', '-0x800', '16', '-16'];

function integer(): string[] {
  const out: string[] = [];
  for (const op of ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw',
    'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw']) {
    for (const [d, a, b] of TRIPLES) out.push(`${op} ${d}, ${a}, ${b}`);
  }
  for (const op of ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw']) {
    for (const [d, a] of [['a0', 'a0'], ['a0', 'a1'], ['t0', 't0'], ['s0', 's0'], ['zero', 'zero'], ['a0', 'zero'], ['sp', 'sp'], ['s1', 'sp'], ['zero', 'a0']]) {
      for (const v of IMMS) out.push(`${op} ${d}, ${a}, ${v}`);
    }
  }
  for (const op of ['add', 'and', 'or', 'xor', 'addw', 'slt', 'sltu']) for (const v of ['0', '5', '-7', '1000']) out.push(`${op} a0, a0, ${v}`, `${op} t0, t1, ${v}`);
  for (const v of ['16', '32', '-512', '496', '48', '-16', '8', '1008', '1020', '4', '2', '1024']) {
    out.push(`addi sp, sp, ${v}`, `addi a0, sp, ${v}`, `addi t0, sp, ${v}`, `add s1, sp, ${v}`, `add sp, sp, ${v}`);
  }
  for (const op of ['slli', 'srli', 'srai', 'sll', 'srl', 'sra']) {
    for (const [d, a] of [['a0', 'a0'], ['t0', 't0'], ['a0', 'a1'], ['zero', 'zero'], ['s1', 's1']]) for (const s of ['0', '1', '31', '32', '63']) out.push(`${op} ${d}, ${a}, ${s}`);
  }
  for (const op of ['slliw', 'srliw', 'sraiw', 'sllw', 'srlw', 'sraw']) for (const s of ['0', '1', '31']) out.push(`${op} a0, a0, ${s}`, `${op} t0, t1, ${s}`);
  for (const v of ['0', '1', '0x1f', '0x20', '0xfffe0', '0xfffff', '0x12345', '0x80000']) {
    for (const r of ['a0', 'zero', 'sp', 't6']) out.push(`lui ${r}, ${v}`, `auipc ${r}, ${v}`);
  }
  out.push('lui a0, %hi(0x12345678)', 'addi a0, a0, %lo(0x12345678)', 'lw a0, %lo(0x800)(a1)', 'lui a0, %hi(0x7ff)');
  for (const r of REGS) out.push(`mv ${r}, a0`, `mv a0, ${r}`, `move t0, ${r}`, `not ${r}, a1`, `neg ${r}, t1`, `negw a0, ${r}`, `seqz ${r}, a1`,
    `snez a1, ${r}`, `sltz ${r}, a2`, `sgtz a2, ${r}`, `sext.w ${r}, ${r}`, `sext.w a0, ${r}`, `zext.b ${r}, a0`);
  out.push('sgt a0, a1, a2', 'sgtu t0, t1, t2', 'slt a0, a1, 5', 'sltu a0, a1, 1', 'nop', 'addi zero, zero, 0', 'add zero, zero, zero');
  return out;
}

function loadImmediates(): string[] {
  const values = ['0', '1', '-1', '31', '-32', '32', '2047', '-2048', '2048', '-2049', '0x1000', '-4096', '0x1f000', '0x20000', '-0x20000',
    '0x12345', '0x7ffff800', '0x7fffffff', '-0x80000000', '0x80000000', '0xffffffff', '0x100000000', '-0x80001000', '0x80000800',
    '0x123456789abcdef0', '0x8000000000000000', '0x7fffffffffffffff', '0xffffffffffffffff', '0x1ffffffff', '0xfffff000', '0x7ffff000',
    '0x800', '0xfff', '-0x801', '0x10000000000', '0xdeadbeef', '0xcafe000000'];
  const out: string[] = [];
  for (const v of values) for (const r of ['a0', 'sp', 't0', 'zero']) out.push(`li ${r}, ${v}`);
  return out;
}

function memory(): string[] {
  const out: string[] = [];
  const offsets = ['0', '4', '8', '124', '128', '248', '252', '256', '504', '508', '512', '-4', '2047', '-2048', '6', '1'];
  for (const op of ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu']) {
    for (const [d, b] of [['a0', 'a1'], ['s0', 'a5'], ['t0', 't1'], ['a0', 'sp'], ['zero', 'sp'], ['ra', 'sp'], ['zero', 'a1']]) {
      for (const o of offsets) out.push(`${op} ${d}, ${o}(${b})`);
    }
    out.push(`${op} a0, (a1)`, `${op} s0, (sp)`);
  }
  for (const op of ['sb', 'sh', 'sw', 'sd']) {
    for (const [s, b] of [['a0', 'a1'], ['s0', 'a5'], ['t0', 't1'], ['a0', 'sp'], ['zero', 'sp'], ['ra', 'sp'], ['zero', 'a1']]) {
      for (const o of offsets) out.push(`${op} ${s}, ${o}(${b})`);
    }
    out.push(`${op} a0, (a1)`);
  }
  return out;
}

function atomics(): string[] {
  const out: string[] = [];
  for (const w of ['w', 'd']) {
    for (const ord of ['', '.aq', '.rl', '.aqrl']) {
      out.push(`lr.${w}${ord} a0, (a1)`, `lr.${w}${ord} t0, 0(t1)`, `sc.${w}${ord} a0, a1, (a2)`);
      for (const op of ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu']) {
        out.push(`${op}.${w}${ord} a0, a1, (a2)`, `${op}.${w}${ord} zero, t6, 0(s0)`);
      }
    }
  }
  return out;
}

function branches(): string[] {
  const out: string[] = [];
  const targets = ['.', '.+4', '.-4', '.+8', '.+254', '.-256', '.+256', '.-258', '.+2046', '.-2048', '.+2048', '.+4094', '.-4096', '.+4096',
    '.+0xffffe', '.-0x100000', '.+0x1000'];
  // A far branch is the inverted branch over a jal; GNU as does not check that jal's range (it leaves an
  // R_RISCV_JAL to the linker, which would) and wraps its field: no case reaches that far back.
  const branchTargets = targets.filter((t) => t !== '.-0x100000');
  for (const op of ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'bgt', 'ble', 'bgtu', 'bleu']) {
    for (const [a, b] of [['a0', 'a1'], ['a0', 'zero'], ['zero', 'a0'], ['t0', 'zero'], ['s1', 'zero']]) for (const t of targets.slice(0, 8)) out.push(`${op} ${a}, ${b}, ${t}`);
    for (const t of branchTargets) out.push(`${op} a0, zero, ${t}`);
  }
  for (const op of ['beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz']) {
    for (const r of ['a0', 's0', 'a5', 't0', 'zero', 'ra']) for (const t of branchTargets) out.push(`${op} ${r}, ${t}`);
  }
  for (const t of targets) out.push(`j ${t}`, `jal ${t}`, `jal ra, ${t}`, `jal a0, ${t}`, `jal zero, ${t}`);
  for (const r of REGS) out.push(`jr ${r}`, `jalr ${r}`, `jalr a0, ${r}`, `jalr ${r}, 4(a1)`, `jalr a0, 0(${r})`, `jr 8(${r})`, `jalr -4(${r})`);
  out.push('ret', 'jalr zero, 0(ra)', 'jalr ra, 0(a0)', 'jalr a0, a1, 4', 'jalr a1, -2048', 'jr a1, 2047', 'jalr zero, ra, 0');
  return out;
}

function system(): string[] {
  const out: string[] = [];
  const sets = ['r', 'w', 'rw', 'i', 'o', 'io', 'iorw', 'ior', 'ow'];
  out.push('fence', 'fence.tso', 'fence.i', 'ecall', 'ebreak', 'sbreak', 'scall', 'sret', 'mret', 'wfi', 'unimp');
  for (const p of sets) for (const s of ['rw', 'w', 'iorw', p]) out.push(`fence ${p}, ${s}`);
  out.push('sfence.vma', 'sfence.vma a0', 'sfence.vma a0, a1', 'sfence.vma zero, t0');
  const csrs = ['sstatus', 'sie', 'stvec', 'sscratch', 'sepc', 'scause', 'stval', 'sip', 'satp', 'mstatus', 'mhartid', 'cycle', 'time',
    'instret', 'mepc', 'pmpaddr63', 'hpmcounter31', 'fcsr', '0x7c0', '0', '4095', '0x800', '0xc00'];
  for (const c of csrs) {
    out.push(`csrrw a0, ${c}, a1`, `csrrs t0, ${c}, zero`, `csrrc zero, ${c}, a2`, `csrrw zero, ${c}, zero`, `csrrs zero, ${c}, zero`);
    out.push(`csrrwi a0, ${c}, 31`, `csrrsi zero, ${c}, 1`, `csrrci t0, ${c}, 0`, `csrr a0, ${c}`, `csrw ${c}, a1`, `csrs ${c}, t0`, `csrc ${c}, a0`);
    out.push(`csrwi ${c}, 5`, `csrsi ${c}, 0`, `csrci ${c}, 31`, `csrw ${c}, 3`, `csrrw a0, ${c}, 7`);
  }
  out.push('rdcycle a0', 'rdtime t0', 'rdinstret zero');
  return out;
}

/** A few kernel sequences GNU as relaxes: calls (left to the linker), and `la`/`lla` of a symbol. */
function macros(): string[] {
  return ['call foo', 'tail foo', 'call foo+8', 'la a0, foo', 'lla t0, bar+16', 'la s0, foo-4'];
}

export function goldenCases(_arch: ArchName): string[] {
  return [...integer(), ...loadImmediates(), ...memory(), ...atomics(), ...branches(), ...system(), ...macros()];
}
