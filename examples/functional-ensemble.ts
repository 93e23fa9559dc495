/**
 * Three models averaged into one ensemble model (Keras functional guide): each model is called
 * like a layer on the same input, and `average` merges their predictions.
 *
 * Run: npx tsx examples/functional-ensemble.ts
 */
import { Dense, Input, Model, randomNormal } from '../src/index.js';
import { layers } from '../src/index.js';

function getModel(): Model {
  const inputs = Input({ shape: [128] });
  const outputs = new Dense({ units: 1 }).apply(inputs);
  return new Model({ inputs, outputs });
}

const model1 = getModel();
const model2 = getModel();
const model3 = getModel();

const inputs = Input({ shape: [128] });
const y1 = model1.apply(inputs);
const y2 = model2.apply(inputs);
const y3 = model3.apply(inputs);
const outputs = layers.average([y1, y2, y3]);
const ensembleModel = new Model({ inputs, outputs, name: 'ensemble' });
ensembleModel.summary();

const x = randomNormal([4, 128], { seed: 1 });
const each = [model1, model2, model3].map((m) => m.apply(x).values);
const ensemble = ensembleModel.apply(x).values;
console.log('\nsample  model1    model2    model3    ensemble (their mean)');
for (let i = 0; i < 4; i++) {
  const cols = [each[0]![i]!, each[1]![i]!, each[2]![i]!, ensemble[i]!].map((v) =>
    v.toFixed(4).padStart(8),
  );
  console.log(`${String(i).padStart(6)}  ${cols.join('  ')}`);
}
