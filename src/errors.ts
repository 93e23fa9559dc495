/**
 * One error class for the whole library. `code` says what kind of failure it is, so callers can
 * branch on it without parsing messages; the message says what went wrong, the offending value
 * and what to do.
 */
export type TensileErrorCode =
  | 'shape_mismatch'
  | 'invalid_argument'
  | 'unsupported_dtype'
  | 'not_built'
  | 'no_gradient'
  | 'native_unavailable'
  | 'not_supported'
  | 'io_error'
  | 'internal';

export class TensileError extends Error {
  readonly code: TensileErrorCode;

  constructor(code: TensileErrorCode, message: string) {
    super(message);
    this.name = 'TensileError';
    this.code = code;
  }
}

/** Formats a shape the way messages print it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

export function invalidArgument(message: string): TensileError {
  return new TensileError('invalid_argument', message);
}

export function shapeMismatch(message: string): TensileError {
  return new TensileError('shape_mismatch', message);
}

/** For invariants the library itself guarantees; reaching one is a bug in Tensile. */
export function internalError(what: string): TensileError {
  return new TensileError('internal', `internal error, please report: ${what}`);
}
