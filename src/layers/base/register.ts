import { invalidArgument } from '../../errors.js';
import type { Layer } from './layer.js';
import { type Config, type Serialized, deserialize, registerClass } from './registry.js';

/** A layer class as the registry sees it: a static className and fromConfig. */
export interface LayerClass {
  readonly className: string;
  fromConfig(config: Config): Layer;
}

/**
 * Makes a layer class known to `deserializeLayer` (and so to model loading) under its static
 * `className`. Call it once after the class:
 * @example
 * class Scale extends Layer { static override readonly className = 'Scale'; ... }
 * registerLayer(Scale);
 */
export function registerLayer(cls: LayerClass): void {
  // A subclass that declares no className of its own would register under its parent's
  // (`Functional`, `Dense`) and replace the parent in the registry.
  if (!Object.prototype.hasOwnProperty.call(cls, 'className')) {
    throw invalidArgument(
      `registerLayer: class ${(cls as { name?: string }).name ?? '?'} inherits ` +
        `className=${cls.className} from its parent; registering it would replace ` +
        `${cls.className}. Declare its own: static override readonly className = '...'.`,
    );
  }
  registerClass<Layer>('layer', cls);
}

/** `{className, config}` for a layer. */
export function serializeLayer(layer: Layer): Serialized {
  return { className: layer.className, config: layer.getConfig() };
}

/** Rebuilds a layer from `serializeLayer`'s output through the registry. */
export function deserializeLayer(serialized: Serialized): Layer {
  return deserialize<Layer>('layer', serialized);
}
