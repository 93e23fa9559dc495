import { defaultMnistDir, loadData } from './mnist.js';

export { readIdx, writeIdx, type IdxArray } from './idx.js';
export { type MnistData, type MnistLoadOptions, type MnistSplit } from './mnist.js';

/** Data sets that load without a download: `datasets.mnist.loadData()`. */
export const datasets = {
  mnist: { loadData, defaultDir: defaultMnistDir },
} as const;
