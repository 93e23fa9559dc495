export { Model, type ModelArgs, type SymbolicStructure } from './model.js';
export { Sequential, type SequentialArgs } from './sequential.js';
export { type SummaryOptions, summaryText } from './summary.js';
export { plotModel, type PlotOptions } from './plot.js';
