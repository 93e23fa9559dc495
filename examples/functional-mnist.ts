/**
 * The lecture's MNIST model in the functional API: Input [28, 28] → Flatten → Dense 128 relu →
 * Dense 10 softmax. Prints its summary (101,770 parameters, as Keras) and a prediction for a
 * blank image, computed eagerly.
 *
 * Run: npx tsx examples/functional-mnist.ts
 */
import { Dense, Flatten, Input, Model, argMax, noGrad, zeros } from '../src/index.js';

const inputs = Input({ shape: [28, 28] });
let x = new Flatten().apply(inputs);
x = new Dense({ units: 128, activation: 'relu' }).apply(x);
const outputs = new Dense({ units: 10, activation: 'softmax' }).apply(x);
const model = new Model({ inputs, outputs, name: 'mnist_model' });

model.summary();

// Inference needs no gradient graph.
const probabilities = noGrad(() => model.apply(zeros([1, 28, 28])));
console.log(`\nclass probabilities for a blank image: ${probabilities.toString()}`);
console.log(`predicted digit (untrained): ${argMax(probabilities, { axis: 1 }).item()}`);
