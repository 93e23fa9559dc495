import { expect } from 'vitest';
import { TensileError } from '../../src/index.js';

/** Asserts that fn throws a TensileError with this code and a message matching `message`. */
export function expectTensileError(fn: () => unknown, code: string, message: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a TensileError').toBeInstanceOf(TensileError);
  expect((thrown as TensileError).code).toBe(code);
  expect((thrown as TensileError).message).toMatch(message);
}
