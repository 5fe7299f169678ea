// A layout's composite fields: lists, optional values, records (packed by straight-line code generated from
// their keys), fields derived from others, and fields that carry their length. Leaves, the word reader and
// writer, and packing against a reference are in layout.ts.

import { assert } from './assert.js';
import { field, packLike, sameSpan, skipSpan, skipValue, unpackLike, type Field, type WordReader, type WordWriter } from './layout.js';

/**
 * A field with its length in words before it, so that it is skipped in O(1) and compared with a reference
 * as one span: for the large variable parts (a register file, memory, fetch windows, a context).
 */
export function sized<T>(inner: Field<T>): Field<T> {
  return field({
    pack: (w: WordWriter, v: T) => {
      const at = w.length;
      w.u32(0);
      inner.pack(w, v);
      w.words[at] = w.length - at - 1;
    },
    unpack: (r: WordReader) => {
      const end = r.u32() + r.at;
      const v = inner.unpack(r);
      assert(r.at === end, 'a sized field read more or less than its length');
      return v;
    },
    variants: inner.variants,
    skip: skipSpan,
    unpackLike: (r: WordReader, ref: WordReader, like: T) => {
      if (sameSpan(r, ref)) return like;
      const end = r.u32() + r.at, refEnd = ref.u32() + ref.at;
      let v: T;
      if (inner.unpackLike) v = inner.unpackLike(r, ref, like);
      else {
        ref.at = refEnd;
        v = inner.unpack(r);
      }
      assert(r.at === end && ref.at === refEnd, 'a sized field read more or less than its length');
      return v;
    },
    packLike: (w: WordWriter, v: T, ref: WordReader, like: T) => {
      const at = w.length;
      w.u32(0);
      const refEnd = ref.u32() + ref.at;
      if (inner.packLike) inner.packLike(w, v, ref, like);
      else inner.pack(w, v);
      ref.at = refEnd;
      w.words[at] = w.length - at - 1;
    },
  });
}

/**
 * A list. `fixed`: its length is decided by the run (one entry per CPU, task, key), so no variant changes
 * it; otherwise the list without its last element is a variant too.
 */
export function list<T>(item: Field<T>, fixed = false): Field<readonly T[]> {
  return field({
    pack: (w: WordWriter, v: readonly T[]) => {
      w.u32(v.length);
      for (const x of v) item.pack(w, x);
    },
    unpack: (r: WordReader) => {
      const out: T[] = [];
      for (let n = r.u32(); n > 0; n--) out.push(item.unpack(r));
      return out;
    },
    skip: (r: WordReader) => {
      for (let n = r.u32(); n > 0; n--) skipValue(item, r);
    },
    unpackLike: (r: WordReader, ref: WordReader, like: readonly T[]) => {
      const n = r.u32(), m = ref.u32();
      const out: T[] = [];
      if (n !== m) {
        for (let i = 0; i < m; i++) skipValue(item, ref);
        for (let i = 0; i < n; i++) out.push(item.unpack(r));
        return out;
      }
      let same = true;
      for (let i = 0; i < n; i++) {
        const x = unpackLike(item, r, ref, like[i]);
        same &&= x === like[i];
        out.push(x);
      }
      return same ? like : out;
    },
    packLike: (w: WordWriter, v: readonly T[], ref: WordReader, like: readonly T[]) => {
      w.u32(v.length);
      const m = ref.u32();
      if (m !== v.length) {
        for (let i = 0; i < m; i++) skipValue(item, ref);
        for (const x of v) item.pack(w, x);
      } else for (let i = 0; i < m; i++) packLike(item, w, v[i], ref, like[i]);
    },
    variants: (v: readonly T[]) => {
      const out: T[][] = [];
      v.forEach((x, i) => {
        for (const y of item.variants(x)) out.push(v.map((z, j) => (j === i ? y : z)));
      });
      if (!fixed && v.length > 0) out.push(v.slice(0, -1));
      return out;
    },
  });
}

/** A value or undefined: one word says which. */
export function optional<T>(inner: Field<T>): Field<T | undefined> {
  return field({
    pack: (w: WordWriter, v: T | undefined) => {
      if (v === undefined) w.u32(0);
      else {
        w.u32(1);
        inner.pack(w, v);
      }
    },
    unpack: (r: WordReader) => (r.u32() === 0 ? undefined : inner.unpack(r)),
    skip: (r: WordReader) => {
      if (r.u32() !== 0) skipValue(inner, r);
    },
    unpackLike: (r: WordReader, ref: WordReader, like: T | undefined) => {
      const here = r.u32() !== 0, there = ref.u32() !== 0;
      if (here && there) return unpackLike(inner, r, ref, like as T);
      if (there) skipValue(inner, ref);
      return here ? inner.unpack(r) : undefined;
    },
    packLike: (w: WordWriter, v: T | undefined, ref: WordReader, like: T | undefined) => {
      const there = ref.u32() !== 0;
      w.u32(v === undefined ? 0 : 1);
      if (v !== undefined && there) packLike(inner, w, v, ref, like as T);
      else {
        if (there) skipValue(inner, ref);
        if (v !== undefined) inner.pack(w, v);
      }
    },
    variants: (v: T | undefined) => (v === undefined ? [] : [undefined, ...inner.variants(v)]),
  });
}

/** Packed and unpacked, but never varied: a value the fingerprint leaves out because other fields decide it. */
export function derived<T>(inner: Field<T>): Field<T> {
  return field({
    pack: (w: WordWriter, v: T) => {
      if (!w.essential) inner.pack(w, v);
    },
    unpack: inner.unpack,
    size: inner.size,
    skip: inner.skip,
    // Packing against a reference is for the queue, whose words always hold derived fields.
    unpackLike: inner.unpackLike,
    packLike: inner.packLike,
    variants: () => [],
  });
}

type Shape<T> = { readonly [K in keyof T]-?: Field<T[K]> };

/**
 * A record of named fields, packed in the shape's order; unpacked objects get their keys in that order
 * (declare them in the order the code builds the objects, so both share one hidden class in V8). A key
 * listed in `omitWhenUndefined` is left out of an unpacked object when its value is undefined, as the
 * code that builds such objects leaves it out.
 */
export function record<T extends object>(shape: Shape<T>, omitWhenUndefined: readonly (keyof T)[] = []): Field<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  const fields = keys.map((k) => shape[k] as Field<unknown>);
  const omit = keys.map((k) => omitWhenUndefined.includes(k));
  const { pack, unpack, unpackLike, packLike, skip } = compiled<T>(keys, fields, omit);
  const sizes = fields.map((f) => f.size);
  const size = sizes.every((n) => n !== undefined) ? sizes.reduce((a, b) => a! + b!, 0) : undefined;
  return field({
    pack,
    unpack,
    size,
    skip: size !== undefined ? undefined : skip,
    unpackLike,
    packLike,
    variants: (v: T) => {
      const out: T[] = [];
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        for (const y of fields[i].variants((v as Record<string, unknown>)[k])) {
          const copy = { ...v } as Record<string, unknown>;
          if (omit[i] && y === undefined) delete copy[k];
          else copy[k] = y;
          out.push(copy as T);
        }
      }
      return out;
    },
  });
}

/**
 * A record's pack and unpack as straight-line code over its keys: an object literal with the keys in
 * order gets one hidden class in V8 from the start, and property reads by name stay monomorphic, where a
 * loop over key names costs a keyed access each (the packed queue's main cost, measured). The keys are
 * the layout's own identifiers, checked before they are written into code.
 */
function compiled<T>(keys: readonly string[], fields: readonly Field<unknown>[], omit: readonly boolean[]): Required<Pick<Field<T>, 'pack' | 'unpack' | 'unpackLike' | 'packLike' | 'skip'>> {
  for (const k of keys) assert(/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k), `layout key ${k} is not an identifier`);
  const packBody = keys.map((k, i) => `f[${i}].pack(w, v.${k});`).join('\n');
  // The object, its fields read by `read(i, k)`: keys up to the first omitted one go in the literal; the rest
  // are added in order, each only when defined.
  const first = omit.indexOf(true) < 0 ? keys.length : omit.indexOf(true);
  const build = (read: (i: number, k: string) => string): string => {
    const literal = keys.slice(0, first).map((k, i) => `${k}: ${read(i, k)}`).join(', ');
    const tail = keys.slice(first).map((k, j) => {
      const i = first + j;
      return omit[i] ? `{ const x = ${read(i, k)}; if (x !== undefined) o.${k} = x; }` : `o.${k} = ${read(i, k)};`;
    }).join('\n');
    return `const o = { ${literal} };\n${tail}`;
  };
  const pack = new Function('f', `return (w, v) => { ${packBody} };`)(fields) as Field<T>['pack'];
  const unpack = new Function('f', `return (r) => { ${build((i) => `f[${i}].unpack(r)`)}\nreturn o; };`)(fields) as Field<T>['unpack'];
  // Against a reference: each field read by `L` (unpackLike); an object all of whose fields came out as the
  // reference's is the reference's own.
  const same = keys.map((k) => `o.${k} === like.${k}`).join(' && ');
  const unpackLikeFn = new Function('f', 'L', `return (r, ref, like) => { ${build((i, k) => `L(f[${i}], r, ref, like.${k})`)}\nreturn ${same} ? like : o; };`)(fields, unpackLike) as Field<T>['unpack'];
  const packLikeBody = keys.map((k, i) => `P(f[${i}], w, v.${k}, ref, like.${k});`).join('\n');
  const packLikeFn = new Function('f', 'P', `return (w, v, ref, like) => { ${packLikeBody} };`)(fields, packLike) as Field<T>['pack'];
  // Skipping: fixed sizes added up in line, the rest skipped field by field.
  const skipBody = fields.map((f, i) => (f.size !== undefined ? `r.at += ${f.size};` : `S(f[${i}], r);`)).join('\n');
  const skip = new Function('f', 'S', `return (r) => { ${skipBody} };`)(fields, skipValue) as (r: WordReader) => void;
  return { pack, unpack, unpackLike: unpackLikeFn as never, packLike: packLikeFn as never, skip };
}
