/*
 * x86-ool-text-poke-bp: seed 001 (Nadav Amit, Josh Poimboeuf, Linus Torvalds on "[PATCH v3 0/6]
 * Static calls", 2019-01-11), hand-modelled in Promela. Same scenario as
 * examples/seeds/x86-ool-text-poke-bp.scn:
 *
 *   func_a: lea 1(%rdi),%eax; ret          caller: call tramp; ret
 *   tramp:  e9 <rel32 to func_a>           (at 0x10010: bytes e9 eb ff ff ff)
 *   func_b: lea 2(%rdi),%eax; ret          (far: the new jmp is e9 eb ff fe 00)
 *
 * static_call_update(sc, func_b) (the .scn's `static_call sc = func_a ool` back end) takes
 * text_mutex and rewrites the jmp with text_poke_bp (src/patching/x86-64/text-patching.ts):
 * arm the INT3 handler; write INT3 (cc) over byte 0; sync_core; write the
 * tail as its naturally aligned atomic pieces (byte 1, bytes 2-3, byte 4); sync_core; write the
 * new first byte (e9); sync_core; disarm the handler; release text_mutex. Task T1 calls
 * caller(1) through key sc; `caller` does `call __SCT__sc; ret`.
 *
 *  - Instruction fetch (MODEL.md section 3): each byte on its own. After a store, every other
 *    CPU's window for that byte is {old, cur}; a fetch takes either per byte (taking `cur` closes
 *    it). Only a serializing event on that CPU closes its windows: the sync_core IPI, the INT3
 *    handler's IRET, the preemption's entry and the IRET back into a task. The writer can do
 *    nothing alone.
 *  - One CPU step = fetch + decode + execute one instruction, atomically. A jmp decoded from a
 *    mix of old and new bytes goes neither to func_a nor to func_b: a violation. Fetching the
 *    INT3 traps; with the poke armed the handler emulates the new jmp (to func_b) and IRETs.
 *  - sync_core: an IPI to every other CPU (an idle one takes it at once); the patcher waits
 *    until each has taken it. A CPU takes it at an instruction boundary (= between steps).
 *  - The key: `valid` = targets valid now; a call's `allowed` = valid at some moment since it
 *    began; checked at return (wrong-target, stale-after-update).
 *  - Bounds as the .scn: cpus=2 (patcher + T1), one call, no interrupts or preemption.
 *    -DBIG gives x86-ool-text-poke-bp-2cpu.scn: cpus=3, T1 and T2 with one call each, one
 *    preemption (a preempted task resumes on whichever CPU is idle, after IRET).
 *
 * Expected verdict (SEED-SCENARIOS.md): SAFE. pan must report errors: 0 (no assertion
 * violated, no invalid end state = no deadlock). -DSKIP_SYNC leaves out the sync_core after the
 * tail (the x86-ool-skip-sync row): UNSAFE (a CPU decodes the new e9 with an old tail).
 *
 * Run: spin -a x86-ool-text-poke-bp.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan
 */

#ifdef BIG
#define NTASK   2
#define CALLS   1
#define PREEMPT 1
#else
#define NTASK   1
#define CALLS   1
#define PREEMPT 0
#endif
#define NCPU (NTASK + 1)      /* CPU 0 is the patcher's */
#define NB 5                  /* the jmp's bytes */

mtype = { none, fell_through, wrong_target, stale_after_update, fault };
mtype violation = none;

#define T_A 1                 /* key target bits: func_a, func_b */
#define T_B 2

byte mem[NB];
byte old[NB];
bool open[NCPU * NB];         /* open[c*NB+i]: CPU c's window for byte i still holds old[i] */

byte valid = T_A;
bool updating = false;
byte updates_done = 0;
byte allowed[NTASK];
bool in_call[NTASK];
bool poke_armed = false;      /* text_poke_bp's INT3 handler knows the site */
bool text_mutex = false;

byte cpu_task[NCPU];          /* task + 1 running on the CPU, 0: idle */
byte task_cpu[NTASK];         /* CPU the task runs on, 0: not on a CPU (ready or done) */
bool done[NTASK];
bool ipi_pending[NCPU];
byte preemptions = 0;

#define FAIL(k) violation = k; printf("VIOLATION %e\n", violation); assert(violation == none)

/* CPU c serializes: certain of every byte */
inline serialize(c) {
  k = 0;
  do
  :: k < NB -> open[c * NB + k] = false; k++
  :: else -> break
  od;
  k = 0
}

inline fetch(c, b, v) {
  if
  :: open[c * NB + b] && old[b] != mem[b] -> v = old[b]
  :: v = mem[b]; open[c * NB + b] = false
  fi
}

/* one atomic store of byte b (the caller wraps pieces in atomic) */
inline store1(b, v) {
  j = 1;
  do
  :: j < NCPU -> assert(!open[j * NB + b]); open[j * NB + b] = true; j++
  :: else -> break
  od;
  old[b] = mem[b]; mem[b] = v
}

inline sync_core() {
  atomic {
    j = 1;
    do
    :: j < NCPU ->
       if
       :: cpu_task[j] == 0 -> serialize(j)     /* idle: takes it at once */
       :: else -> ipi_pending[j] = true
       fi;
       j++
    :: else -> break
    od
  };
  /* wait until every CPU has taken it: its own step */
#if NCPU == 2
  !ipi_pending[1]
#else
  !ipi_pending[1] && !ipi_pending[2]
#endif
}

inline finish_call(t, reached, after) {
  if
  :: (reached & ~allowed[t]) != 0 ->
     if
     :: after -> FAIL(stale_after_update)
     :: else -> FAIL(wrong_target)
     fi
  :: reached == 0 -> FAIL(wrong_target)
  :: else -> skip
  fi
}

inline begin_call() {
  allowed[t] = valid; after = (!updating && updates_done > 0); in_call[t] = true;
  pc = 0; reached = 0
}

/* pc: 0 caller `call tramp`, 1 tramp, 2 func `lea`, 3 func `ret`, 4 caller `ret` */
proctype task(byte t) {
  byte pc, reached, c, k;
  byte b0, b1, b2, b3, b4;
  bool after;
  byte calls = CALLS;

  atomic { begin_call() };
  do
  :: atomic { task_cpu[t] != 0 && pc == 0 -> pc = 1 }               /* call tramp */
  :: atomic {
       task_cpu[t] != 0 && pc == 1 ->
       c = task_cpu[t];
       fetch(c, 0, b0); fetch(c, 1, b1); fetch(c, 2, b2); fetch(c, 3, b3); fetch(c, 4, b4);
       if
       :: b0 == 204 ->                                                /* cc: INT3 */
          if
          :: poke_armed -> reached = reached | T_B; pc = 2; serialize(c)   /* emulate jmp func_b; IRET */
          :: else -> FAIL(fault)                                      /* a trap nobody handles */
          fi
       :: b0 == 233 ->                                                /* e9: jmp rel32 */
          if
          :: b1 == 235 && b2 == 255 && b3 == 255 && b4 == 255 -> reached = reached | T_A; pc = 2
          :: b1 == 235 && b2 == 255 && b3 == 254 && b4 == 0 -> reached = reached | T_B; pc = 2
          :: else -> FAIL(wrong_target)                               /* old and new bytes mixed */
          fi
       fi
     }
  :: atomic { task_cpu[t] != 0 && pc == 2 -> pc = 3 }               /* lea */
  :: atomic { task_cpu[t] != 0 && pc == 3 -> pc = 4 }               /* ret */
  :: atomic {
       task_cpu[t] != 0 && pc == 4 ->                                 /* ret to the harness */
       finish_call(t, reached, after);
       calls--;
       if
       :: calls > 0 -> begin_call()
       :: else ->
          in_call[t] = false; done[t] = true;
          cpu_task[task_cpu[t]] = 0; task_cpu[t] = 0;
          break
       fi
     }
  od
}

#define READY(t) (task_cpu[t] == 0 && !done[t])
/* IRET into a ready task */
inline place(c, t) {
  cpu_task[c] = t + 1; task_cpu[t] = c; serialize(c)
}

/* CPU c's interrupt side: the sync_core IPI, preemption, scheduling a ready task */
proctype cpu(byte c) {
  byte k;
end:
  do
  :: atomic { ipi_pending[c] && cpu_task[c] != 0 -> ipi_pending[c] = false; serialize(c) }
  :: atomic { ipi_pending[c] && cpu_task[c] == 0 -> ipi_pending[c] = false; serialize(c) }
  :: atomic {
       cpu_task[c] != 0 && preemptions < PREEMPT ->
       preemptions++; serialize(c);
       task_cpu[cpu_task[c] - 1] = 0; cpu_task[c] = 0
     }
  :: atomic { cpu_task[c] == 0 && READY(0) -> place(c, 0) }
#if NTASK > 1
  :: atomic { cpu_task[c] == 0 && READY(1) -> place(c, 1) }
#endif
  od
}

proctype patcher() {
  byte j, k;
  /* update sc -> func_b: begin */
  atomic {
    valid = valid | T_B; updating = true;
    j = 0;
    do
    :: j < NTASK -> if :: in_call[j] -> allowed[j] = allowed[j] | T_B :: else fi; j++
    :: else -> break
    od
  };
  text_mutex = true;                                   /* take text_mutex */
  poke_armed = true;                                   /* arm the INT3 handler */
  atomic { store1(0, 204) };                           /* 1/6 write INT3 */
  sync_core();                                         /* 2/6 */
  atomic { store1(1, 235) };                           /* 3/6 write the tail: piece 1/3 */
  atomic { store1(2, 255); store1(3, 254) };           /*                     piece 2/3 */
  atomic { store1(4, 0) };                             /*                     piece 3/3 */
#ifndef SKIP_SYNC
  sync_core();                                         /* 4/6 */
#endif
  atomic { store1(0, 233) };                           /* 5/6 write the first byte */
  sync_core();                                         /* 6/6 */
  poke_armed = false;                                  /* disarm the handler */
  text_mutex = false;                                  /* release text_mutex */
  atomic { valid = T_B; updating = false; updates_done++ }   /* update sc: end */
}

init {
  byte i;
  atomic {
    mem[0] = 233; mem[1] = 235; mem[2] = 255; mem[3] = 255; mem[4] = 255;
    i = 0;
    do
    :: i < NTASK -> cpu_task[i + 1] = i + 1; task_cpu[i] = i + 1; i++
    :: else -> break
    od;
    i = 0;
    do
    :: i < NTASK -> run task(i); run cpu(i + 1); i++
    :: else -> break
    od;
    run patcher()
  }
}
