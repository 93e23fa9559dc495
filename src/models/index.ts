export {
  Model,
  cloneModel,
  modelFromJSON,
  type ModelArgs,
  type SymbolicStructure,
} from './model.js';
export { Sequential, type SequentialArgs } from './sequential.js';
export { type SummaryOptions, summaryText } from './summary.js';
export { plotModel, plotModelSvg, type PlotOptions } from './plot.js';
