/*
 * two-slot-rcu-tasks: seed 000 (Peter Zijlstra's two-slot trampoline "explored on ARM64"),
 * hand-modelled in Promela. Same scenario as examples/seeds/two-slot-rcu-tasks.scn (ppc32,
 * knob power.wordAtomicFetch):
 *
 *   tramp:  b 1f                                  word 0, the selector
 *   1:      lis r12,far_a@ha; addi r12,r12,far_a@l; mtctr r12; bctr      words 1-4, slot 1
 *   2:      blr; nop; nop; nop                    words 5-8, slot 2 (idle)
 *
 * The patcher (CPU 0) holds text_mutex and makes two updates back to back, far_a -> far_b ->
 * far_c: write the idle slot one patch_instruction per word, flip the selector to it with one
 * more patch_instruction, then synchronize_rcu_tasks(). Task T1 on CPU 1 calls tramp twice and
 * may be preempted once, anywhere (inside a slot included).
 *
 *  - Instructions are symbolic word values; r12 and ctr are (ha, lo) pairs naming the target
 *    each half came from, so a `bctr` is right only if both halves agree.
 *  - Instruction fetch (MODEL.md section 3): per word, CPU 1's window {old, cur} after a store;
 *    a fetch returns either (taking `cur` closes it: fetches are monotonic). The window closes
 *    for every CPU when patch_instruction's maintenance completes (its second step), and for
 *    CPU 1 when it takes a context-synchronizing event: the preemption's exception entry and the
 *    return to the task when it is scheduled again.
 *  - synchronize_rcu_tasks() (MODEL.md section 4, src/kernel/patcher.ts): at the call, every task
 *    that is inside a call it has begun executing holds it up, until it is at a voluntary switch
 *    point again (between calls, or done). A preempted task does hold it up.
 *  - The key: `valid` is the set of targets valid now (two during an update); a call's `allowed`
 *    is what was valid at some moment since it began; checked on return.
 *  - Bounds as the .scn: cpus=2 (patcher + T1), 2 calls, 1 preemption, no interrupts or NMIs.
 *
 * Expected verdict (SEED-SCENARIOS.md): SAFE. pan must report errors: 0 (no assertion
 * violated, no invalid end state = no deadlock).
 * Variants (spin -D...): -DNO_GRACE leaves out both synchronize_rcu_tasks() calls, the
 * two-slot-no-grace row: UNSAFE, wrong-target (T1 preempted inside slot 1 resumes after the
 * second update rewrote it and branches to ha(far_a)+lo(far_c)).
 *
 * Run: spin -a two-slot-rcu-tasks.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan
 */

mtype = { none, fell_through, wrong_target, stale_after_update, fault };
mtype violation = none;

/* targets: 1 = far_a, 2 = far_b, 3 = far_c; their bits in the key */
#define BIT(t) (1 << (t))

/* instruction words */
#define B_SLOT1  1     /* b tramp+4  */
#define B_SLOT2  2     /* b tramp+20 */
#define BLR      3
#define NOP      4
#define MTCTR    5
#define BCTR     6
#define LIS(t)   (10 + (t))   /* lis  r12, far_t@ha     */
#define ADDI(t)  (20 + (t))   /* addi r12, r12, far_t@l */
#define IS_LIS(i)  ((i) > 10 && (i) < 20)
#define IS_ADDI(i) ((i) > 20 && (i) < 30)

#define WORDS 9
byte mem[WORDS];
byte old[WORDS];
bool open[WORDS];     /* CPU 1's window for the word still holds `old` */

/* static call key sc */
byte valid = BIT(1);
bool updating = false;
byte updates_done = 0;
/* T1's call record and kernel state (global: the patcher reads and widens them) */
byte allowed;
bool in_call = false;
bool started = false; /* the call has executed an instruction (not at a voluntary switch point) */
bool on_cpu = true;   /* T1 runs on CPU 1; false: preempted, ready */
byte preemptions = 0;
bool rcu_tasks_wait = false;  /* synchronize_rcu_tasks() is waiting for T1 */
bool text_mutex = false;

#define FAIL(k) violation = k; printf("VIOLATION %e\n", violation); assert(violation == none)

inline fetch(w, v) {
  if
  :: open[w] && old[w] != mem[w] -> v = old[w]
  :: v = mem[w]; open[w] = false
  fi
}

/* CPU 1 takes a context-synchronizing event: certain of every word */
inline csync() {
  i = 0;
  do
  :: i < WORDS -> open[i] = false; i++
  :: else -> break
  od
}

inline store(w, v) {
  atomic { assert(!open[w]); old[w] = mem[w]; mem[w] = v; open[w] = true }
}
inline maintain(w) {
  atomic { open[w] = false }
}
inline patch_instruction(w, v) {
  store(w, v); maintain(w)
}

inline update_begin(t) {
  atomic { valid = valid | BIT(t); updating = true; if :: in_call -> allowed = allowed | BIT(t) :: else fi }
}
inline update_end(t) {
  atomic { valid = BIT(t); updating = false; updates_done++ }
}
inline synchronize_rcu_tasks() {
  atomic { rcu_tasks_wait = in_call && started };
  !rcu_tasks_wait        /* "wait over": its own patcher step */
}

inline finish_call(reached, after) {
  if
  :: reached != 0 && (reached & ~allowed) != 0 ->
     if
     :: after -> FAIL(stale_after_update)
     :: else -> FAIL(wrong_target)
     fi
  :: reached == 0 -> FAIL(wrong_target)   /* the key is never NULL: a bare blr ran no function */
  :: else -> skip
  fi
}

/* a call begins (in the initial state, or in the step that returned from the previous one) */
inline begin_call() {
  allowed = valid; after = (!updating && updates_done > 0); in_call = true; started = false;
  rcu_tasks_wait = false;   /* at a voluntary switch point */
  pc = 0; reached = 0; fn = 0; r12hi = 0; r12lo = 0; ctrhi = 0; ctrlo = 0
}

/* back in the harness: check the call, begin the next one or finish (the CPU goes idle) */
inline do_return() {
  finish_call(reached, after);
  calls--;
  if
  :: calls > 0 -> begin_call()
  :: else -> in_call = false; started = false; rcu_tasks_wait = false; on_cpu = false
  fi
}

proctype T1() {
  byte pc, insn, fn, reached;
  byte r12hi, r12lo, ctrhi, ctrlo;   /* 0: whatever the caller had there */
  bool after;
  byte calls = 2;

  atomic { begin_call() };
  do
  :: atomic {
       on_cpu && fn == 0 ->
       started = true;
       fetch(pc, insn);
       if
       :: insn == B_SLOT1 -> pc = 1
       :: insn == B_SLOT2 -> pc = 5
       :: insn == BLR -> do_return()          /* ran no function */
       :: insn == NOP -> pc++
       :: IS_LIS(insn) -> r12hi = insn - 10; r12lo = 0; pc++
       :: IS_ADDI(insn) -> r12lo = insn - 20; pc++
       :: insn == MTCTR -> ctrhi = r12hi; ctrlo = r12lo; pc++
       :: insn == BCTR ->
          if
          :: ctrhi != 0 && ctrhi == ctrlo -> reached = reached | BIT(ctrhi); fn = 1
          :: else -> FAIL(wrong_target)   /* ha of one target with lo of another */
          fi
       fi;
       if
       :: pc >= WORDS -> FAIL(fell_through)
       :: else -> skip
       fi
     }
  :: atomic { on_cpu && fn == 1 -> fn = 2 }           /* far_x: addi r3, r3, x */
  :: atomic { on_cpu && fn == 2 -> do_return() }      /* far_x: blr, back to the harness */
  :: atomic { calls == 0 -> break }
  od
}

/* CPU 1's interrupt side: preemption (exception entry, T1 leaves the CPU) and scheduling T1 back */
proctype cpu1() {
  byte i;
end:
  do
  :: atomic { on_cpu && in_call && preemptions < 1 -> preemptions++; csync(); on_cpu = false }
  :: atomic { !on_cpu && in_call -> on_cpu = true; csync() }   /* rfi back into T1: synchronizes */
  od
}

proctype patcher() {
  text_mutex = true;                                   /* mutex_lock(text_mutex) */
  update_begin(2);
  patch_instruction(5, LIS(2)); patch_instruction(6, ADDI(2));
  patch_instruction(7, MTCTR);  patch_instruction(8, BCTR);
  patch_instruction(0, B_SLOT2);
#ifndef NO_GRACE
  synchronize_rcu_tasks();
#endif
  update_end(2);
  update_begin(3);
  patch_instruction(1, LIS(3)); patch_instruction(2, ADDI(3));
  patch_instruction(3, MTCTR);  patch_instruction(4, BCTR);
  patch_instruction(0, B_SLOT1);
#ifndef NO_GRACE
  synchronize_rcu_tasks();
#endif
  update_end(3);
  text_mutex = false                                   /* mutex_unlock(text_mutex) */
}

init {
  atomic {
    mem[0] = B_SLOT1;
    mem[1] = LIS(1); mem[2] = ADDI(1); mem[3] = MTCTR; mem[4] = BCTR;
    mem[5] = BLR;    mem[6] = NOP;     mem[7] = NOP;   mem[8] = NOP;
    run T1(); run cpu1(); run patcher()
  }
}
