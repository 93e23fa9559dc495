export {
  Layer,
  type LayerArgs,
  type CallOptions,
  type CallManyOptions,
  type ApplyOptions,
  type WeightOptions,
} from './layer.js';
export { type InputSpec } from './input-spec.js';
export { InputLayer, Input, type InputArgs } from './input-layer.js';
export { SymbolicTensor, Node, type SymbolicShape, formatShape } from './symbolic.js';
export { clearSession, uniqueName, toSnakeCase, classNameOf } from './naming.js';
export {
  registerClass,
  deserialize,
  type Config,
  type JsonValue,
  type Serialized,
  type RegistryKind,
} from './registry.js';
export { registerLayer, serializeLayer, deserializeLayer, type LayerClass } from './register.js';
export { getMask, setMask, collectLosses } from './context.js';
