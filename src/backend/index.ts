import './js/index.js';
import './native/index.js';

export type { Backend, BackendName } from './backend.js';
export { getBackend, setBackend, listBackends } from './registry.js';
export { getNumThreads, nativeInstructionSet, setNumThreads } from './native/index.js';
