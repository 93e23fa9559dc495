/**
 * The lecture's convolutional autoencoder, built flat as in Keras' functional API guide: one
 * graph from the 28×28×1 image through an encoder (Conv2D, MaxPooling2D, GlobalMaxPooling2D
 * down to a 16-number code) and a decoder (Reshape to 4×4×1, Conv2DTranspose, UpSampling2D back
 * up to 28×28×1). The encoder is also a Model of its own over the same layers. Prints both
 * summaries (Keras: 18,672 and 28,241 parameters), then trains the autoencoder for one short
 * epoch to reproduce 512 MNIST digits and shows the reconstruction error before and after.
 *
 * Run: npx tsx examples/autoencoder.ts
 */
import {
  Adam,
  Conv2D,
  Conv2DTranspose,
  GlobalMaxPooling2D,
  Input,
  MaxPooling2D,
  Model,
  Reshape,
  Tensor,
  UpSampling2D,
  datasets,
  setSeed,
} from '../src/index.js';

setSeed(0);

// Encoder: 28×28×1 → 26×26×16 → 24×24×32 → 8×8×32 → 6×6×32 → 4×4×16 → 16.
const encoderInput = Input({ shape: [28, 28, 1], name: 'img' });
let x = new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(encoderInput);
x = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
x = new MaxPooling2D({ poolSize: 3 }).apply(x);
x = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
x = new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
const encoderOutput = new GlobalMaxPooling2D().apply(x);

const encoder = new Model({ inputs: encoderInput, outputs: encoderOutput, name: 'encoder' });
encoder.summary();

// Decoder: 16 → 4×4×1 → 6×6×16 → 8×8×32 → 24×24×32 → 26×26×16 → 28×28×1.
x = new Reshape({ targetShape: [4, 4, 1] }).apply(encoderOutput);
x = new Conv2DTranspose({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
x = new Conv2DTranspose({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
x = new UpSampling2D({ size: 3 }).apply(x);
x = new Conv2DTranspose({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
const decoderOutput = new Conv2DTranspose({ filters: 1, kernelSize: 3, activation: 'relu' }).apply(
  x,
);

const autoencoder = new Model({
  inputs: encoderInput,
  outputs: decoderOutput,
  name: 'autoencoder',
});
autoencoder.summary();

// A few hundred digits, scaled to [0, 1], with the channel axis the convolutions want.
const { train } = datasets.mnist.loadData({ seed: 0 });
const n = 512;
const images = new Tensor(train.x.values.slice(0, n * 28 * 28), [n, 28, 28, 1]);

autoencoder.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'mse' });
const before = (await autoencoder.evaluate(images, images, { verbose: 0 })) as number;
console.log(`\nreconstruction MSE before training: ${before.toFixed(4)}`);
await autoencoder.fit(images, images, { batchSize: 32, epochs: 1 });
const after = (await autoencoder.evaluate(images, images, { verbose: 0 })) as number;
console.log(`reconstruction MSE after one epoch: ${after.toFixed(4)}`);
