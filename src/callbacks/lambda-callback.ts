import type { CallbackHooks } from './callback.js';
import { Callback, toCallback } from './callback.js';

/**
 * A callback made of functions given on the spot: any of the hooks, e.g.
 * `new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) })`.
 */
export class LambdaCallback extends Callback {
  constructor(hooks: CallbackHooks) {
    super();
    const wrapped = toCallback(hooks);
    for (const key of Object.keys(wrapped) as (keyof CallbackHooks)[]) {
      if (key.startsWith('on')) (this as unknown as Record<string, unknown>)[key] = wrapped[key];
    }
  }
}
