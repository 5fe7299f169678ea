/*
 * ppc32-ool-4insn: seed 000 (Peter Zijlstra on Christophe Leroy's ppc32 out-of-line static
 * calls, 2021-08-31), hand-modelled in Promela the way a kernel person would model it in SPIN.
 * Same scenario as examples/seeds/ppc32-ool-4insn.scn, at patchlab's granularity.
 *
 * The trampoline `blr; nop; nop; nop` (the NULL target) is rewritten into
 * `lis r12,far_a@ha; addi r12,r12,far_a@l; mtctr r12; bctr`, one patch_instruction per word,
 * while task T1 on CPU 1 calls it once (call_cond: the NULL target is a no-op). CPU 0 is the
 * patcher's.
 *
 * One Promela transition per patchlab transition (src/kernel/actions.ts), and no state that patchlab
 * does not have:
 *  - Instructions are symbolic word values. far_a is at 0x4000000, so `lis r12,far_a@ha` alone
 *    puts far_a's address in r12 and `addi r12,r12,far_a@l` adds 0: r12 and ctr are "holds far_a"
 *    or "holds 0", as the registers' values are.
 *  - One CPU step = fetch + execute one instruction (atomic: the fetch may have a choice). The call
 *    begins in the initial state (src/kernel/world.ts initial()), not in a step of its own.
 *  - Instruction fetch (MODEL.md section 3, knob power.wordAtomicFetch): for each word,
 *    CPU 1 keeps a window {old, new} after a store; a fetch returns either (taking the new one
 *    closes it). The window closes for every CPU when patch_instruction's maintenance (dcbst; sync;
 *    icbi; sync) completes: each patch_instruction is two patcher steps, the store and the
 *    maintenance. Every other patcher op is one step.
 *  - The key: `valid` is the set of targets valid now (two during the update), a call's
 *    `allowed` is what was valid at some moment since it began; checked on return
 *    (wrong-target / stale-after-update), as src/kernel/harness.ts does.
 *    A call begins at its first step, not when it is set up (MODEL.md section 2; harness.ts
 *    noteReached): `allowed` and `after` are taken then, and are 0 until then.
 *  - Bounds as the .scn: cpus=2 (patcher + T1), one call, no interrupts or preemption.
 *  - Scratch variables are 0 between steps; no process terminates (that would add a state).
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
#define ADDI_A  4   /* addi r12, r12, far_a@l (= 0) */
#define MTCTR   5   /* mtctr r12 */
#define BCTR    6   /* bctr      */

/* the key's targets as bits */
#define T_NULL 1
#define T_A    2

/* T1's pc: 0..3 the trampoline's words, 4 past its end; far_a's two instructions */
#define WORDS 4
#define FAR_ADDI 10  /* far_a: addi r3, r3, 1 */
#define FAR_BLR  11  /* far_a: blr */

byte mem[WORDS];      /* the trampoline as it is in memory */
byte old[WORDS];      /* the value before the last store to each word */
bool open[WORDS];     /* CPU 1 may still fetch old[w] */

/* static call key sc */
byte valid = T_NULL;
bool updating = false;
byte updates_done = 0;

/* T1: registers that decide its future, its call record */
byte pc = 0;
bool r12 = false;     /* r12 holds far_a's address (else 0) */
bool ctr = false;
byte allowed;
bool after = false;   /* the call began after an update had returned */
bool done = false;

/* scratch: used inside one step, 0 between steps */
byte insn;

#define FAIL(v) violation = v; printf("VIOLATION %e\n", violation); assert(violation == none)

/* fetch word a through CPU 1's window into v */
inline fetch(a, v) {
  if
  :: open[a] -> v = old[a]
  :: v = mem[a]; open[a] = false
  fi
}

/* patch_instruction step 1: the store through the alias (the window opens) */
inline store(a, v) {
  d_step { assert(!open[a]); old[a] = mem[a]; mem[a] = v; open[a] = true }   /* a window holds at most two values */
}
/* patch_instruction step 2: dcbst; sync; icbi; sync completes: every CPU is certain of a */
inline maintain(a) {
  d_step { open[a] = false }
}

/* the call returns to the harness having reached far_a (pc at its blr) or no function (blr in the trampoline) */
inline call_returns() {
  if
  :: pc == FAR_BLR && (T_A & ~allowed) != 0 ->
     if
     :: after -> FAIL(stale_after_update)
     :: else -> FAIL(wrong_target)
     fi
  :: pc != FAR_BLR && (allowed & T_NULL) == 0 -> FAIL(wrong_target)
  :: else -> skip
  fi;
  /* the only call: T1 is done, its CPU idle, its registers gone */
  done = true; pc = 0; r12 = false; ctr = false; allowed = 0; after = false
}

proctype T1() {
end:
  do
  :: atomic {
       !done && pc < WORDS ->
       if
       :: pc == 0 -> allowed = valid; after = (!updating && updates_done > 0)   /* the call's first step */
       :: else -> skip
       fi;
       fetch(pc, insn);
       if
       :: insn == BLR -> call_returns()
       :: insn == NOP -> pc++
       :: insn == LIS_A -> r12 = true; pc++
       :: insn == ADDI_A -> pc++                   /* adds far_a@l = 0 */
       :: insn == MTCTR -> ctr = r12; pc++
       :: insn == BCTR ->
          if
          :: ctr -> pc = FAR_ADDI
          :: else -> FAIL(wrong_target)           /* a branch to 0: no function's entry */
          fi
       :: else -> FAIL(fault)
       fi;
       if
       :: pc == WORDS -> FAIL(fell_through)
       :: else -> skip
       fi;
       insn = 0
     }
  :: d_step { !done && pc == FAR_ADDI -> pc = FAR_BLR }   /* far_a: addi r3, r3, 1 */
  :: d_step { !done && pc == FAR_BLR -> call_returns() }  /* far_a: blr */
  od
}

proctype patcher() {
  /* update sc -> far_a: begin */
  d_step { valid = valid | T_A; updating = true; if :: !done && pc != 0 -> allowed = allowed | T_A :: else fi };
  store(0, LIS_A);  maintain(0);
  store(1, ADDI_A); maintain(1);
  store(2, MTCTR);  maintain(2);
  store(3, BCTR);   maintain(3);
  /* update sc: end */
  d_step { valid = T_A; updating = false; updates_done++ };
end:
  false                                                /* finished: stays (a process that ends adds a state) */
}

init {
  atomic {
    mem[0] = BLR; mem[1] = NOP; mem[2] = NOP; mem[3] = NOP;
    run T1(); run patcher()
  }
}
