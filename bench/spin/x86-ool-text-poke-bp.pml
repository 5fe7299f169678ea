/*
 * x86-ool-text-poke-bp: seed 001 (Nadav Amit, Josh Poimboeuf, Linus Torvalds on "[PATCH v3 0/6]
 * Static calls", 2019-01-11), hand-modelled in Promela. Same scenario as
 * examples/seeds/x86-ool-text-poke-bp.scn, at patchlab's granularity:
 *
 *   func_a: lea 1(%rdi),%eax; ret          caller: call __SCT__sc; ret
 *   tramp:  e9 <rel32 to func_a>           (__SCT__sc at 0x10010: bytes e9 eb ff ff ff)
 *   func_b: lea 2(%rdi),%eax; ret          (far: the new jmp is e9 eb ff fe 00)
 *
 * static_call_update(sc, func_b) takes text_mutex and rewrites the jmp with text_poke_bp
 * (src/patching/x86-64/text-patching.ts): arm the INT3 handler; write INT3 (cc) over byte 0;
 * sync_core; write the tail as its naturally aligned atomic pieces (byte 1, bytes 2-3, byte 4);
 * sync_core; write the new first byte (e9); sync_core; disarm the handler; release text_mutex.
 * Each task calls caller(1) through key sc CALLS times.
 *
 * One Promela transition per patchlab transition (src/kernel/actions.ts), and no state that patchlab
 * does not have:
 *  - A task step = fetch + decode + execute one instruction (d_step, or atomic when the fetch has
 *    a choice). The first call begins in the initial state and each next one in the step that
 *    returns from the previous one (the harness's steps between calls are eager, as in
 *    src/kernel/world.ts initial() and harness.ts), so no call can begin late.
 *  - Each patcher op is one step (update begin, text_mutex, arm, each store piece, each sync_core,
 *    disarm, unlock, update end), and so is the end of each sync_core's wait.
 *  - Instruction fetch (MODEL.md section 3): each byte on its own. A store that changes a byte opens
 *    a window {old, new} for every other CPU (idle ones too); a store that writes the byte's own value
 *    opens none (the tail's `eb` and `ff` bytes). A fetch takes either value (taking the new one
 *    closes the window). Bytes past the decoded instruction are not fetched: INT3 is one byte, so
 *    the tail's windows stay as they are. Only a serializing event on that CPU closes its windows:
 *    the sync_core IPI, the INT3 handler's IRET, the IRET into a task when it is scheduled. (On x86
 *    the preemption's exception entry does not serialize; the IRET back does.)
 *  - A jmp decoded from a mix of old and new bytes goes neither to func_a nor to func_b:
 *    wrong-target. Fetching the INT3 traps; with the poke armed the handler emulates the new jmp (to
 *    func_b) and IRETs.
 *  - sync_core: an IPI to every other CPU; an idle one takes it at once; the patcher's wait ends in
 *    a step of its own once every CPU has taken it. A CPU takes it between steps.
 *  - The key: `valid` = targets valid now; a call's `allowed` = valid at some moment since it
 *    began; checked at return (wrong-target, stale-after-update), as src/kernel/harness.ts does.
 *    A call begins at its first step, its `call` instruction, not when it is set up (MODEL.md
 *    section 2; harness.ts noteReached): `allowed` and `after` are taken then, and are 0 until then.
 *  - What a state holds is what patchlab's does: per task its pc, %rax (patchlab keeps the register
 *    file, so the previous call's result stays there until the next `lea`), its call record and its
 *    CPU; per CPU its task, pending IPI and windows. Scratch variables are 0 between steps; a task
 *    that is done keeps nothing (patchlab drops its registers); no process terminates (a terminated
 *    proctype would add a state after every end).
 *  - Bounds by preprocessor defines: -DTASKS=n (tasks T1..Tn, one CPU each; CPU 0 is the
 *    patcher's, so cpus = n + 1), -DCALLS=n (calls per task), -DPREEMPT=n (preemptions over all
 *    CPUs; a preempted task resumes on whichever CPU is idle). Defaults 1, 1, 0: the .scn's bounds.
 *    -DBIG is TASKS=2 PREEMPT=1, x86-ool-text-poke-bp-2cpu.scn. bench/scenarios/ has the .scn of
 *    each bigger row.
 *
 * Expected verdict (SEED-SCENARIOS.md): SAFE. pan must report errors: 0 (no assertion
 * violated, no invalid end state = no deadlock). -DSKIP_SYNC is x86-ool-skip-sync.scn: no sync_core
 * after the tail and no text_mutex (that row writes with a bare text_poke_bp): UNSAFE, wrong-target
 * (a CPU decodes the new e9 with an old tail).
 *
 * Run: spin -a x86-ool-text-poke-bp.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan
 *      (bigger: spin -DTASKS=3 -DCALLS=1 -DPREEMPT=2 -a x86-ool-text-poke-bp.pml ...)
 */

#ifdef BIG
#ifndef TASKS
#define TASKS 2
#endif
#ifndef PREEMPT
#define PREEMPT 1
#endif
#endif
#ifndef TASKS
#define TASKS 1
#endif
#ifndef CALLS
#define CALLS 1
#endif
#ifndef PREEMPT
#define PREEMPT 0
#endif
#if TASKS < 1 || TASKS > 4
#error TASKS must be 1 to 4 (proctype cpu schedules at most four tasks)
#endif
#define NCPU (TASKS + 1)      /* CPU 0 is the patcher's */
#define NB 5                  /* the jmp's bytes */

mtype = { none, fell_through, wrong_target, stale_after_update, fault };
mtype violation = none;

#define T_A 1                 /* key target bits: func_a, func_b */
#define T_B 2
#define INT3 204              /* cc */
#define JMP 233               /* e9 */

/* task pc: the instruction it executes next */
#define CALLER   0            /* caller: call __SCT__sc */
#define TRAMP    1            /* __SCT__sc: jmp rel32 */
#define A_LEA    2            /* func_a: lea 1(%rdi),%eax */
#define A_RET    3            /* func_a: ret */
#define B_LEA    4            /* func_b: lea 2(%rdi),%eax */
#define B_RET    5            /* func_b: ret */
#define CALLER_RET 6          /* caller: ret (to the harness) */

byte mem[NB];
byte old[NB];                 /* the value before the last store that changed the byte */
bool open[NCPU * NB];         /* open[c*NB+i]: CPU c may still fetch old[i] */

byte valid = T_A;
bool updating = false;
byte updates_done = 0;
bool poke_armed = false;      /* text_poke_bp's INT3 handler knows the site */
bool text_mutex = false;

/* per task: registers that decide its future, its call record, where it runs */
byte pc[TASKS];
byte rax[TASKS];              /* 0, or 2 / 3 after func_a's / func_b's lea */
byte allowed[TASKS];
byte reached[TASKS];
bool after[TASKS];            /* the call began after an update had returned */
byte calls[TASKS];            /* calls left, the current one included */
bool done[TASKS];
byte task_cpu[TASKS];         /* CPU the task runs on, 0: not on a CPU (ready or done) */

byte cpu_task[NCPU];          /* task + 1 running on the CPU, 0: idle */
bool ipi_pending[NCPU];
byte ipis = 0;                /* how many CPUs have not taken the sync_core IPI */
byte preemptions = 0;

/* scratch: used inside one step, 0 between steps */
byte c, j, k, b0, b1, b2, b3, b4;

#define FAIL(v) violation = v; printf("VIOLATION %e\n", violation); assert(violation == none)

/* CPU cc serializes: certain of every byte */
inline serialize(cc) {
  k = 0;
  do
  :: k < NB -> open[cc * NB + k] = false; k++
  :: else -> break
  od;
  k = 0
}

inline fetch(cc, b, v) {
  if
  :: open[cc * NB + b] -> v = old[b]
  :: v = mem[b]; open[cc * NB + b] = false
  fi
}

/* one atomic store of byte b */
inline store1(b, v) {
  if
  :: mem[b] != v ->
     j = 1;
     do
     :: j < NCPU -> assert(!open[j * NB + b]); open[j * NB + b] = true; j++
     :: else -> break
     od;
     j = 0;
     old[b] = mem[b]; mem[b] = v
  :: else -> skip             /* the same value: nothing for any CPU to see */
  fi
}

inline sync_core() {
  d_step {
    j = 1;
    do
    :: j < NCPU ->
       if
       :: cpu_task[j] == 0 -> serialize(j)     /* idle: takes it at once */
       :: else -> ipi_pending[j] = true; ipis++
       fi;
       j++
    :: else -> break
    od;
    j = 0
  };
  ipis == 0                   /* wait over: its own step */
}

inline finish_call(t) {
  if
  :: (reached[t] & ~allowed[t]) != 0 ->
     if
     :: after[t] -> FAIL(stale_after_update)
     :: else -> FAIL(wrong_target)
     fi
  :: reached[t] == 0 -> FAIL(wrong_target)
  :: else -> skip
  fi
}

/* A call begins at its first step (its call instruction): what is valid then, and whether an update
   had returned, are taken there; until then they are dead and kept 0. */
inline begin_call(t) {
  allowed[t] = 0; after[t] = false; reached[t] = 0; pc[t] = CALLER
}

/*
 * The step that returns to the harness: check the call, begin the next or end (the CPU goes idle).
 * The harness reads the return register, as patchlab's does: caller(1) returns func_a's 2 or
 * func_b's 3. (A variable nothing reads would be hidden by SPIN, spin -o2 aside, merging states
 * that differ only in %rax; patchlab keeps them apart.)
 */
inline call_returns(t) {
  assert(rax[t] == 2 || rax[t] == 3);
  finish_call(t);
  calls[t]--;
  if
  :: calls[t] > 0 -> begin_call(t)
  :: else ->
     done[t] = true; cpu_task[task_cpu[t]] = 0; task_cpu[t] = 0;
     allowed[t] = 0; reached[t] = 0; after[t] = false; pc[t] = 0; rax[t] = 0
  fi
}

#define RUNS(t) (task_cpu[t] != 0)

proctype task(byte t) {
end:
  do
  :: d_step { RUNS(t) && pc[t] == CALLER -> allowed[t] = valid; after[t] = (!updating && updates_done > 0); pc[t] = TRAMP }
  :: atomic {
       RUNS(t) && pc[t] == TRAMP ->
       c = task_cpu[t];
       fetch(c, 0, b0);
       if
       :: b0 == INT3 ->                                               /* one byte: the tail is not fetched */
          if
          :: poke_armed -> reached[t] = reached[t] | T_B; pc[t] = B_LEA; serialize(c)   /* emulate jmp func_b; IRET */
          :: else -> FAIL(fault)                                      /* a trap nobody handles */
          fi
       :: b0 == JMP ->
          fetch(c, 1, b1); fetch(c, 2, b2); fetch(c, 3, b3); fetch(c, 4, b4);
          if
          :: b1 == 235 && b2 == 255 && b3 == 255 && b4 == 255 -> reached[t] = reached[t] | T_A; pc[t] = A_LEA
          :: b1 == 235 && b2 == 255 && b3 == 254 && b4 == 0 -> reached[t] = reached[t] | T_B; pc[t] = B_LEA
          :: else -> FAIL(wrong_target)                               /* old and new bytes mixed */
          fi
       :: else -> FAIL(fault)
       fi;
       c = 0; b0 = 0; b1 = 0; b2 = 0; b3 = 0; b4 = 0
     }
  :: d_step { RUNS(t) && pc[t] == A_LEA -> pc[t] = A_RET; rax[t] = 2 }
  :: d_step { RUNS(t) && pc[t] == B_LEA -> pc[t] = B_RET; rax[t] = 3 }
  :: d_step { RUNS(t) && (pc[t] == A_RET || pc[t] == B_RET) -> pc[t] = CALLER_RET }
  :: d_step { RUNS(t) && pc[t] == CALLER_RET -> call_returns(t) }
  od
}

#define READY(t) (task_cpu[t] == 0 && !done[t])
/* IRET into a ready task */
inline place(cc, t) {
  cpu_task[cc] = t + 1; task_cpu[t] = cc; serialize(cc)
}

/* CPU cc's interrupt side: the sync_core IPI, preemption, scheduling a ready task */
proctype cpu(byte cc) {
end:
  do
  :: d_step { ipi_pending[cc] -> ipi_pending[cc] = false; ipis--; serialize(cc) }
  :: d_step {
       cpu_task[cc] != 0 && preemptions < PREEMPT ->             /* no serialization at the entry on x86 */
       preemptions++; task_cpu[cpu_task[cc] - 1] = 0; cpu_task[cc] = 0
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
  d_step {                                             /* update sc -> func_b: begin */
    valid = valid | T_B; updating = true;
    j = 0;
    do
    :: j < TASKS -> if :: !done[j] && pc[j] != CALLER -> allowed[j] = allowed[j] | T_B :: else fi; j++
    :: else -> break
    od;
    j = 0
  };
#ifndef SKIP_SYNC
  text_mutex = true;                                   /* take text_mutex */
#endif
  poke_armed = true;                                   /* arm the INT3 handler */
  d_step { store1(0, INT3) };                          /* 1/6 write INT3 */
  sync_core();                                         /* 2/6 */
  d_step { store1(1, 235) };                           /* 3/6 write the tail: piece 1/3 */
  d_step { store1(2, 255); store1(3, 254) };           /*                     piece 2/3 */
  d_step { store1(4, 0) };                             /*                     piece 3/3 */
#ifndef SKIP_SYNC
  sync_core();                                         /* 4/6 */
#endif
  d_step { store1(0, JMP) };                           /* 5/6 write the first byte */
  sync_core();                                         /* 6/6 */
  poke_armed = false;                                  /* disarm the handler */
#ifndef SKIP_SYNC
  text_mutex = false;                                  /* release text_mutex */
#endif
  d_step { valid = T_B; updating = false; updates_done++ };   /* update sc: end */
end:
  false                                                /* finished: stays (a process that ends adds a state) */
}

init {
  atomic {
    mem[0] = JMP; mem[1] = 235; mem[2] = 255; mem[3] = 255; mem[4] = 255;
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
