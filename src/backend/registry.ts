import { TensileError, invalidArgument } from '../errors.js';
import type { Backend, BackendName } from './backend.js';

type Loader = () => Backend;

const loaders = new Map<BackendName, Loader>();
const loaded = new Map<BackendName, Backend>();
let active: Backend | null = null;
let defaultChooser: () => Backend = () => load('ts');

/** @internal Backends register a loader; loading is deferred until a backend is chosen. */
export function registerBackend(name: BackendName, loader: Loader): void {
  loaders.set(name, loader);
  loaded.delete(name);
}

/** @internal The native package sets how the default backend is chosen at first use. */
export function setDefaultBackendChooser(chooser: () => Backend): void {
  defaultChooser = chooser;
}

/** @internal Loads a backend by name, throwing a TensileError when it cannot be loaded. */
export function load(name: BackendName): Backend {
  const cached = loaded.get(name);
  if (cached !== undefined) return cached;
  const loader = loaders.get(name);
  if (loader === undefined) {
    throw invalidArgument(
      `Unknown backend. Expected one of ${[...loaders.keys()].join(', ')}. Received: name=${name}`,
    );
  }
  const backend = loader();
  loaded.set(name, backend);
  return backend;
}

/** The active compute backend; chosen at first use (native when available, else 'ts'). */
export function getBackend(): Backend {
  if (active === null) active = defaultChooser();
  return active;
}

/** Makes `name` the active backend. Throws with code 'native_unavailable' if it cannot load. */
export function setBackend(name: BackendName): void {
  if (name !== 'ts' && name !== 'native') {
    throw invalidArgument(
      `Unknown backend. Expected 'ts' or 'native'. Received: name=${String(name)}`,
    );
  }
  try {
    active = load(name);
  } catch (err) {
    if (err instanceof TensileError) throw err;
    throw new TensileError(
      'native_unavailable',
      `Backend '${name}' could not be loaded: ${(err as Error).message}`,
    );
  }
}

/** Names of the backends registered in this build. */
export function listBackends(): BackendName[] {
  return [...loaders.keys()];
}
