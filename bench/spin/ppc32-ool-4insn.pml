/*
 * ppc32-ool-4insn: seed 000 (Peter Zijlstra on Christophe Leroy's ppc32 out-of-line static
 * calls, 2021-08-31), hand-modelled in Promela the way a kernel person would model it in SPIN.
 * Same scenario as examples/seeds/ppc32-ool-4insn.scn.
 *
 * The trampoline `blr; nop; nop; nop` (the NULL target) is rewritten into
 * `lis r12,far_a@ha; addi r12,r12,far_a@l; mtctr r12; bctr`, one patch_instruction per word,
 * while task T1 on CPU 1 calls it once. CPU 0 is the patcher's.
 *
 *  - Instructions are symbolic word values (BLR, NOP, LIS_A, ...); r12 and ctr are (ha, lo)
 *    pairs, so a branch through ctr is right only if both halves came from the same target.
 *  - Instruction fetch (MODEL.md section 3, knob power.wordAtomicFetch): for each word,
 *    CPU 1 keeps a window {old, cur} after a store; a fetch returns either (never older than a
 *    value it already fetched, so taking `cur` closes the window). The window closes for every
 *    CPU when patch_instruction's maintenance (dcbst; sync; icbi; sync) completes: each
 *    patch_instruction is two patcher steps, the store and the maintenance.
 *  - One CPU step = fetch + execute one instruction, atomically. Every patcher op is one step.
 *  - The key: `valid` is the set of targets valid now (two during the update), a call's
 *    `allowed` is what was valid at some moment since it began; checked on return
 *    (wrong-target / stale-after-update), as src/kernel/harness.ts does.
 *  - Bounds as the .scn: cpus=2 (patcher + T1), one call, no interrupts or preemption.
 *
 * Expected verdict (SEED-SCENARIOS.md): UNSAFE, fell-through. pan must report
 * "assertion violated" (errors: 1); `spin -t` on the trail prints "VIOLATION fell_through"
 * (new `lis` fetched, then an old `nop`, and T1 runs past the end of the trampoline).
 *
 * Run: spin -a ppc32-ool-4insn.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan
 */

mtype = { none, fell_through, wrong_target, stale_after_update, fault };
mtype violation = none;

/* instruction words */
#define BLR     1
#define NOP     2
#define LIS_A   3   /* lis  r12, far_a@ha    */
#define ADDI_A  4   /* addi r12, r12, far_a@l */
#define MTCTR   5   /* mtctr r12 */
#define BCTR    6   /* bctr      */

/* symbolic register halves: 0 = whatever the caller had there, A = far_a's */
#define JUNK 0
#define A    1

/* the key's targets as bits */
#define T_NULL 1
#define T_A    2

#define WORDS 4
byte mem[WORDS];      /* the trampoline as it is in memory */
byte old[WORDS];      /* the value before the last store to each word */
bool open[WORDS];     /* CPU 1's window for the word still holds `old` */

/* static call key sc */
byte valid = T_NULL;
bool updating = false;
byte updates_done = 0;
/* T1's call record (global: update-begin widens it) */
byte allowed;
bool in_call = false;

#define FAIL(k) violation = k; printf("VIOLATION %e\n", violation); assert(violation == none)

/* fetch word w through CPU 1's window into v */
inline fetch(w, v) {
  if
  :: open[w] && old[w] != mem[w] -> v = old[w]
  :: v = mem[w]; open[w] = false
  fi
}

/* patch_instruction step 1: the store through the alias (the window opens) */
inline store(w, v) {
  atomic { assert(!open[w]); old[w] = mem[w]; mem[w] = v; open[w] = true }   /* a window holds at most two values */
}
/* patch_instruction step 2: dcbst; sync; icbi; sync completes: every CPU is certain of w */
inline maintain(w) {
  atomic { open[w] = false }
}

/* the call returns to the harness having reached `reached` (0: no function, the NULL target) */
inline finish_call(reached, after) {
  if
  :: reached != 0 && (reached & ~allowed) != 0 ->
     if
     :: after -> FAIL(stale_after_update)
     :: else -> FAIL(wrong_target)
     fi
  :: reached == 0 && (allowed & T_NULL) == 0 -> FAIL(wrong_target)
  :: else -> skip
  fi;
  in_call = false
}

proctype T1() {
  byte pc = 0;          /* word index in the trampoline; 4 = past its end */
  byte insn;
  byte r12hi = JUNK, r12lo = JUNK, ctrhi = JUNK, ctrlo = JUNK;
  byte reached = 0;
  bool after;
  byte fn = 0;          /* 1: in far_a before `addi r3`, 2: before its `blr` */

  /* call tramp(2) key=sc: begins in the initial state */
  atomic { allowed = valid; after = (!updating && updates_done > 0); in_call = true };
  do
  :: fn == 0 ->
     atomic {
       fetch(pc, insn);
       if
       :: insn == BLR -> finish_call(0, after); break
       :: insn == NOP -> pc++
       :: insn == LIS_A -> r12hi = A; r12lo = JUNK; pc++
       :: insn == ADDI_A -> r12lo = A; pc++
       :: insn == MTCTR -> ctrhi = r12hi; ctrlo = r12lo; pc++
       :: insn == BCTR ->
          if
          :: ctrhi == A && ctrlo == A -> reached = reached | T_A; fn = 1
          :: else -> FAIL(fault)      /* a jump to an address that holds no function */
          fi
       fi;
       if
       :: pc >= WORDS -> FAIL(fell_through)
       :: else -> skip
       fi
     }
  :: fn == 1 -> fn = 2                                  /* far_a: addi r3, r3, 1 */
  :: fn == 2 -> atomic { finish_call(reached, after) }; break   /* far_a: blr */
  od
}

proctype patcher() {
  /* update sc -> far_a: begin */
  atomic { valid = valid | T_A; updating = true; if :: in_call -> allowed = allowed | T_A :: else fi };
  store(0, LIS_A);  maintain(0);
  store(1, ADDI_A); maintain(1);
  store(2, MTCTR);  maintain(2);
  store(3, BCTR);   maintain(3);
  /* update sc: end */
  atomic { valid = T_A; updating = false; updates_done++ }
}

init {
  atomic { mem[0] = BLR; mem[1] = NOP; mem[2] = NOP; mem[3] = NOP; run T1(); run patcher() }
}
