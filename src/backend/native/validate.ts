import { TensileError } from '../../errors.js';
import type { DataArray } from '../../tensor/dtype.js';

/*
 * Checks made in TypeScript before every call into the addon, so that a wrong call fails with a
 * TensileError naming the kernel and the value, before any native code touches memory. The addon
 * repeats the memory-safety checks on its side; these are the ones a user can read.
 */

export function fail(kernel: string, message: string): never {
  throw new TensileError(
    'invalid_argument',
    `native ${kernel}: ${message}. This is a bug in the calling op, please report it.`,
  );
}

/** True when every array is a Float32Array, or every array a Float64Array. */
export function sameFloat(...arrays: DataArray[]): boolean {
  const first = arrays[0];
  if (!(first instanceof Float32Array || first instanceof Float64Array)) return false;
  for (let i = 1; i < arrays.length; i++) {
    if (arrays[i]!.constructor !== first.constructor) return false;
  }
  return true;
}

export function checkLength(
  kernel: string,
  name: string,
  array: DataArray,
  expected: number,
): void {
  if (array.length < expected) {
    fail(
      kernel,
      `${name} has ${array.length} elements, expected ${expected}. ` +
        `Received: ${name}.length=${array.length}`,
    );
  }
}

export function checkCount(kernel: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    fail(kernel, `${name} must be a non-negative integer. Received: ${name}=${value}`);
  }
}

export function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}

/**
 * Checks that offset + Σ i·stride stays within [0, length) for every index of shape: a strided
 * view must not reach outside its array.
 */
export function checkSpan(
  kernel: string,
  name: string,
  array: DataArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
): void {
  if (strides.length !== shape.length) {
    fail(
      kernel,
      `${name} strides and shape differ in rank. ` +
        `Received: strides=[${strides.join(',')}], shape=[${shape.join(',')}]`,
    );
  }
  let lo = offset;
  let hi = offset;
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    const stride = strides[d]!;
    if (!Number.isInteger(size) || size < 0 || !Number.isInteger(stride)) {
      fail(
        kernel,
        `${name} shape and strides must be integers. ` +
          `Received: shape=[${shape.join(',')}], strides=[${strides.join(',')}]`,
      );
    }
    if (size === 0) return;
    if (stride < 0) lo += (size - 1) * stride;
    else hi += (size - 1) * stride;
  }
  if (lo < 0 || hi >= array.length) {
    fail(kernel, `${name} reaches elements [${lo}, ${hi}] of an array of ${array.length}`);
  }
}
