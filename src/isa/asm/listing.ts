// `patchlab asm --format listing`: each statement's section offset and bytes beside its source, then relocations and symbols.

import { bytesToHex } from '../../base/bits.js';
import { displaySymbol, localEntryOffset, type AsmObject } from './object.js';

function signedHex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `+0x${v.toString(16)}`;
}

export function formatListing(object: AsmObject): string {
  const out: string[] = [];
  for (const section of object.sections) {
    const entries = object.listing.filter((e) => e.section === section.name);
    if (entries.length === 0 && section.bytes.length === 0) continue;
    out.push(`${section.name} (${section.bytes.length} bytes${section.flags ? `, "${section.flags}"` : ''}):`);
    for (const e of entries) {
      const hex = bytesToHex(e.bytes);
      out.push(`${String(e.line).padStart(5)}  ${e.offset.toString(16).padStart(4, '0')}  ${hex.padEnd(30)}  ${e.source}`);
      for (const r of section.relocations) {
        if (r.offset >= e.offset && r.offset < e.offset + e.bytes.length) {
          const add = r.addend === 0n ? '' : signedHex(r.addend);
          out.push(`${' '.repeat(13)}${r.offset.toString(16).padStart(4, '0')}: ${r.type}\t${r.symbol}${add}`);
        }
      }
    }
  }
  const syms = object.symbols.filter((s) => s.section !== undefined || s.global);
  if (syms.length > 0) {
    out.push('symbols:');
    for (const s of syms) {
      const where = s.section === undefined ? '*UND*' : `${s.section}+0x${s.value.toString(16)}`;
      const extra = [s.global ? 'global' : 'local', s.type, s.size !== undefined ? `size ${s.size}` : '', s.localEntry === undefined ? '' : s.localEntry === 1 ? 'localentry 1 (r2 not preserved)' : `localentry ${localEntryOffset(s.localEntry)}`]
        .filter(Boolean).join(' ');
      out.push(`  ${displaySymbol(s.name).padEnd(24)} ${where.padEnd(20)} ${extra}`);
    }
  }
  return out.join('\n') + '\n';
}
