/*
 * two-slot-rcu-tasks: seed 000 (Peter Zijlstra's two-slot trampoline "explored on ARM64"),
 * hand-modelled in Promela. Same scenario as examples/seeds/two-slot-rcu-tasks.scn (ppc32,
 * knob power.wordAtomicFetch), at patchlab's granularity:
 *
 *   tramp:  b 1f                                  word 0, the selector
 *   1:      lis r12,far_a@ha; addi r12,r12,far_a@l; mtctr r12; bctr      words 1-4, slot 1
 *   2:      blr; nop; nop; nop                    words 5-8, slot 2 (idle)
 *
 * The patcher (CPU 0) holds text_mutex and makes two updates back to back, far_a -> far_b ->
 * far_c: write the idle slot one patch_instruction per word, flip the selector to it with one
 * more patch_instruction, then synchronize_rcu_tasks(). Each task calls tramp(2) CALLS times and
 * may be preempted anywhere (inside a slot included), PREEMPT times over all CPUs.
 *
 * One Promela transition per patchlab transition (src/kernel/actions.ts), and no state that patchlab
 * does not have:
 *  - A task step = fetch + execute one instruction (atomic: the fetch may have a choice). The first
 *    call begins in the initial state and each next one in the step that returns from the previous
 *    one (the harness's steps between calls are eager: src/kernel/world.ts initial(), harness.ts).
 *  - Instructions are symbolic word values; r12 and ctr are (ha, lo) pairs naming the target each
 *    half came from (far_a = 0x4000100, far_b = 0x8000200, far_c = 0xc000300: every ha and lo
 *    differs, so a pair is the register's value); a `bctr` reaches a function only if both halves
 *    agree. Like patchlab, which keeps the register file, r12 and ctr keep the previous call's values
 *    until they are written again; a task that is done keeps nothing.
 *  - Instruction fetch (MODEL.md section 3): per word and CPU, a window {old, new} after a store that
 *    changed the word (rewriting `mtctr` or `bctr` with itself opens none); a fetch returns either
 *    (taking the new one closes it: fetches are monotonic). patch_instruction is two patcher steps,
 *    the store and the maintenance, which closes the word's window on every CPU. A CPU's own
 *    context-synchronizing events close all its windows: the preemption's exception entry and the
 *    return into a task when it is scheduled.
 *  - synchronize_rcu_tasks() (MODEL.md section 4, src/kernel/patcher.ts): at the call, every task
 *    inside a call it has begun executing holds it up (bit in rcu_wait) until it is at a voluntary
 *    switch point again (between calls, or done). A preempted task does hold it up. The end of the
 *    wait is a patcher step of its own.
 *  - The key: `valid` is the set of targets valid now (two during an update); a call's `allowed`
 *    is what was valid at some moment since it began; checked on return.
 *    A call begins at its first step, not when it is set up (MODEL.md section 2; harness.ts
 *    noteReached): `allowed` and `after` are taken then, and are 0 until then.
 *  - Bounds by preprocessor defines: -DTASKS=n (tasks T1..Tn, one CPU each; CPU 0 is the
 *    patcher's, so cpus = n + 1), -DCALLS=n, -DPREEMPT=n (over all CPUs; a preempted task resumes
 *    on whichever CPU is idle). Defaults 1, 2, 1: the .scn's bounds. bench/scenarios/ has the .scn
 *    of each bigger row.
 *  - Scratch variables are 0 between steps; no process terminates (that would add a state).
 *
 * Expected verdict (SEED-SCENARIOS.md): SAFE. pan must report errors: 0 (no assertion
 * violated, no invalid end state = no deadlock).
 * Variants (spin -D...): -DNO_GRACE leaves out both synchronize_rcu_tasks() calls, the
 * two-slot-no-grace row: UNSAFE, wrong-target (a task preempted inside slot 1 resumes after the
 * second update rewrote it and branches to ha(far_a)+lo(far_c)).
 *
 * Run: spin -a two-slot-rcu-tasks.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan
 *      (bigger: spin -DTASKS=3 -DCALLS=1 -DPREEMPT=2 -a two-slot-rcu-tasks.pml ...)
 */

#ifndef TASKS
#define TASKS 1
#endif
#ifndef CALLS
#define CALLS 2
#endif
#ifndef PREEMPT
#define PREEMPT 1
#endif
#if TASKS < 1 || TASKS > 4
#error TASKS must be 1 to 4 (proctype cpu schedules at most four tasks)
#endif
#define NCPU (TASKS + 1)      /* CPU 0 is the patcher's */

mtype = { none, fell_through, wrong_target, stale_after_update, fault };
mtype violation = none;

/* targets: 1 = far_a, 2 = far_b, 3 = far_c; their bits in the key */
#define BIT(x) (1 << (x))

/* instruction words */
#define B_SLOT1  1     /* b tramp+4  */
#define B_SLOT2  2     /* b tramp+20 */
#define BLR      3
#define NOP      4
#define MTCTR    5
#define BCTR     6
#define LIS(x)   (10 + (x))   /* lis  r12, far_x@ha     */
#define ADDI(x)  (20 + (x))   /* addi r12, r12, far_x@l */
#define IS_LIS(i)  ((i) > 10 && (i) < 20)
#define IS_ADDI(i) ((i) > 20 && (i) < 30)

/* task pc: 0..8 the trampoline's words; far_x's `addi r3,r3,x` and `blr` */
#define WORDS 9
#define FAR_ADDI(x) (10 + (x))
#define FAR_BLR(x)  (20 + (x))

byte mem[WORDS];
byte old[WORDS];              /* the value before the last store that changed the word */
bool open[NCPU * WORDS];      /* open[c*WORDS+w]: CPU c may still fetch old[w] */

/* static call key sc */
byte valid = BIT(1);
bool updating = false;
byte updates_done = 0;
bool text_mutex = false;

/* per task: registers that decide its future, its call record, where it runs */
byte pc[TASKS];
byte r12hi[TASKS], r12lo[TASKS], ctrhi[TASKS], ctrlo[TASKS];   /* 0: never written */
byte allowed[TASKS];
bool after[TASKS];            /* the call began after an update had returned */
bool started[TASKS];          /* the call has executed an instruction: not at a voluntary switch point */
byte calls[TASKS];            /* calls left, the current one included */
bool done[TASKS];
byte task_cpu[TASKS];         /* CPU the task runs on, 0: not on a CPU (preempted, or done) */

byte cpu_task[NCPU];          /* task + 1 running on the CPU, 0: idle */
byte preemptions = 0;
byte rcu_wait = 0;            /* synchronize_rcu_tasks() waits for the tasks whose bit is set */

/* scratch: used inside one step, 0 between steps */
byte c, i, w;

#define FAIL(v) violation = v; printf("VIOLATION %e\n", violation); assert(violation == none)

inline fetch(cc, a, v) {
  if
  :: open[cc * WORDS + a] -> v = old[a]
  :: v = mem[a]; open[cc * WORDS + a] = false
  fi
}

/* CPU cc takes a context-synchronizing event: certain of every word */
inline csync(cc) {
  i = 0;
  do
  :: i < WORDS -> open[cc * WORDS + i] = false; i++
  :: else -> break
  od;
  i = 0
}

/* patch_instruction step 1: the store through the alias (windows open where the value changed) */
inline store(a, v) {
  d_step {
    if
    :: mem[a] != v ->
       i = 1;
       do
       :: i < NCPU -> assert(!open[i * WORDS + a]); open[i * WORDS + a] = true; i++
       :: else -> break
       od;
       i = 0;
       old[a] = mem[a]; mem[a] = v
    :: else -> skip
    fi
  }
}
/* patch_instruction step 2: dcbst; sync; icbi; sync completes: every CPU is certain of the word */
inline maintain(a) {
  d_step {
    i = 1;
    do
    :: i < NCPU -> open[i * WORDS + a] = false; i++
    :: else -> break
    od;
    i = 0
  }
}
inline patch_instruction(a, v) {
  store(a, v); maintain(a)
}

inline update_begin(x) {
  d_step {
    valid = valid | BIT(x); updating = true;
    i = 0;
    do
    :: i < TASKS -> if :: !done[i] && started[i] -> allowed[i] = allowed[i] | BIT(x) :: else fi; i++
    :: else -> break
    od;
    i = 0
  }
}
inline update_end(x) {
  d_step { valid = BIT(x); updating = false; updates_done++ }
}
inline synchronize_rcu_tasks() {
  d_step {
    i = 0;
    do
    :: i < TASKS -> if :: !done[i] && started[i] -> rcu_wait = rcu_wait | BIT(i) :: else fi; i++
    :: else -> break
    od;
    i = 0
  };
  rcu_wait == 0          /* wait over: its own patcher step */
}

/* a call begins: in the initial state, or in the step that returned from the previous one */
inline begin_call(t) {
  allowed[t] = 0; after[t] = false; started[t] = false; pc[t] = 0;   /* taken at the first step */
  rcu_wait = rcu_wait & ~BIT(t)     /* at a voluntary switch point */
}

/* back in the harness, having reached far_x (pc = its blr) or nothing (a blr in the trampoline) */
inline call_returns(t) {
  if
  :: pc[t] < FAR_BLR(1) -> FAIL(wrong_target)     /* the key is never NULL: a bare blr ran no function */
  :: (BIT(pc[t] - 20) & ~allowed[t]) != 0 ->
     if
     :: after[t] -> FAIL(stale_after_update)
     :: else -> FAIL(wrong_target)
     fi
  :: else -> skip
  fi;
  calls[t]--;
  if
  :: calls[t] > 0 -> begin_call(t)
  :: else ->                          /* the task is done: its CPU goes idle, its registers are gone */
     done[t] = true; cpu_task[task_cpu[t]] = 0; task_cpu[t] = 0; rcu_wait = rcu_wait & ~BIT(t);
     allowed[t] = 0; after[t] = false; started[t] = false; pc[t] = 0;
     r12hi[t] = 0; r12lo[t] = 0; ctrhi[t] = 0; ctrlo[t] = 0
  fi
}

#define RUNS(t) (task_cpu[t] != 0)

proctype task(byte t) {
end:
  do
  :: atomic {
       RUNS(t) && pc[t] < WORDS ->
       c = task_cpu[t];
       if
       :: !started[t] -> allowed[t] = valid; after[t] = (!updating && updates_done > 0); started[t] = true
       :: else -> skip
       fi;
       fetch(c, pc[t], w);
       if
       :: w == B_SLOT1 -> pc[t] = 1
       :: w == B_SLOT2 -> pc[t] = 5
       :: w == BLR -> call_returns(t)                   /* ran no function */
       :: w == NOP -> pc[t]++
       :: IS_LIS(w) -> r12hi[t] = w - 10; r12lo[t] = 0; pc[t]++
       :: IS_ADDI(w) -> r12lo[t] = w - 20; pc[t]++
       :: w == MTCTR -> ctrhi[t] = r12hi[t]; ctrlo[t] = r12lo[t]; pc[t]++
       :: w == BCTR ->
          if
          :: ctrhi[t] != 0 && ctrhi[t] == ctrlo[t] -> pc[t] = FAR_ADDI(ctrhi[t])
          :: else -> FAIL(wrong_target)   /* ha of one target with lo of another: no function's entry */
          fi
       :: else -> FAIL(fault)
       fi;
       if
       :: pc[t] == WORDS -> FAIL(fell_through)
       :: else -> skip
       fi;
       c = 0; w = 0
     }
  :: d_step { RUNS(t) && pc[t] > FAR_ADDI(0) && pc[t] < FAR_BLR(0) -> pc[t] = pc[t] + 10 }   /* far_x: addi r3, r3, x */
  :: d_step { RUNS(t) && pc[t] > FAR_BLR(0) -> call_returns(t) }                           /* far_x: blr */
  od
}

#define READY(t) (task_cpu[t] == 0 && !done[t])
/* rfi into a ready task: synchronizes */
inline place(cc, t) {
  cpu_task[cc] = t + 1; task_cpu[t] = cc; csync(cc)
}

/* CPU cc's interrupt side: preemption (exception entry synchronizes, the task leaves the CPU), scheduling */
proctype cpu(byte cc) {
end:
  do
  :: d_step {
       cpu_task[cc] != 0 && preemptions < PREEMPT ->
       preemptions++; csync(cc); task_cpu[cpu_task[cc] - 1] = 0; cpu_task[cc] = 0
     }
  :: d_step { cpu_task[cc] == 0 && READY(0) -> place(cc, 0) }
#if TASKS > 1
  :: d_step { cpu_task[cc] == 0 && READY(1) -> place(cc, 1) }
#endif
#if TASKS > 2
  :: d_step { cpu_task[cc] == 0 && READY(2) -> place(cc, 2) }
#endif
#if TASKS > 3
  :: d_step { cpu_task[cc] == 0 && READY(3) -> place(cc, 3) }
#endif
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
  text_mutex = false;                                  /* mutex_unlock(text_mutex) */
end:
  false                                                /* finished: stays (a process that ends adds a state) */
}

init {
  atomic {
    mem[0] = B_SLOT1;
    mem[1] = LIS(1); mem[2] = ADDI(1); mem[3] = MTCTR; mem[4] = BCTR;
    mem[5] = BLR;    mem[6] = NOP;     mem[7] = NOP;   mem[8] = NOP;
    c = 0;
    do
    :: c < TASKS ->
       /* task c on CPU c+1, its first call begun: the initial state */
       cpu_task[c + 1] = c + 1; task_cpu[c] = c + 1; calls[c] = CALLS; begin_call(c);
       run task(c); run cpu(c + 1); c++
    :: else -> break
    od;
    c = 0;
    run patcher()
  }
}
