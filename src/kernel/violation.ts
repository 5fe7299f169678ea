// MODEL.md section 5: what a violation is. The kernel world detects them; the checker reports them.

export const VIOLATION_KINDS = ['fault', 'unpredictable', 'wrong-target', 'fell-through', 'clobbered', 'stale-after-update', 'torn-group', 'deadlock', 'livelock'] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/** Why an execution is bad. */
export interface Violation {
  readonly kind: ViolationKind;
  /** One sentence a reader can act on, e.g. "T1's call through key sc reached func_b, not func_a". */
  readonly message: string;
  /** Which CPU and task it happened on, when there is one. */
  readonly cpu?: number;
  readonly task?: string;
}
