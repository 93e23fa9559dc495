import './js/index.js';

export type { Backend, BackendName } from './backend.js';
export { getBackend, setBackend, listBackends } from './registry.js';
