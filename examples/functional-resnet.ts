/**
 * The Conv2D / MaxPooling2D block with residual connections (`add`) from the Keras functional
 * guide's toy ResNet for 32×32 colour images: 223,242 parameters. The summary shows the
 * "Connected to" column because the graph is not a plain chain.
 *
 * Run: npx tsx examples/functional-resnet.ts
 */
import {
  Conv2D,
  Dense,
  Dropout,
  GlobalAveragePooling2D,
  Input,
  MaxPooling2D,
  Model,
  randomUniform,
} from '../src/index.js';
import { layers } from '../src/index.js';

const inputs = Input({ shape: [32, 32, 3], name: 'img' });
let x = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(inputs);
x = new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }).apply(x);
const block1Output = new MaxPooling2D({ poolSize: 3 }).apply(x);

x = new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(
  block1Output,
);
x = new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(x);
const block2Output = layers.add([x, block1Output]);

x = new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(
  block2Output,
);
x = new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(x);
const block3Output = layers.add([x, block2Output]);

x = new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }).apply(block3Output);
x = new GlobalAveragePooling2D().apply(x);
x = new Dense({ units: 256, activation: 'relu' }).apply(x);
x = new Dropout({ rate: 0.5 }).apply(x);
const outputs = new Dense({ units: 10 }).apply(x);

const model = new Model({ inputs, outputs, name: 'toy_resnet' });
model.summary();

const logits = model.apply(randomUniform([2, 32, 32, 3], { seed: 0 }));
console.log(`\nlogits for two random images: shape [${logits.shape.join(', ')}]`);
