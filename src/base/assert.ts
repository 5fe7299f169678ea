// Assertions for our own bugs: never for bad user input (that is a Diagnostic).

export class InternalError extends Error {
  override name = 'InternalError';
}

export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw new InternalError(`assertion failed: ${what}`);
}

/** Ends every exhaustive switch, so adding a case breaks the build where it is not handled. */
export function assertNever(x: never, what = 'value'): never {
  throw new InternalError(`unhandled ${what}: ${JSON.stringify(x)}`);
}
