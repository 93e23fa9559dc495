/**
 * The lecture's convolutional autoencoder as three models (Keras' functional API guide, "All
 * models are callable, just like layers"): an encoder Model from the image to a 16-number code,
 * a decoder Model from the code back to an image, and an autoencoder Model that calls the two
 * like layers. Prints the three summaries (Keras: 18,672 + 9,569 = 28,241 parameters) and the
 * autoencoder's again with its nested models expanded, then trains it for one short epoch on
 * 512 MNIST digits: the encoder and decoder share their weights with the autoencoder, so the
 * encoder alone then gives the trained codes.
 *
 * Run: npx tsx examples/autoencoder-nested.ts
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
const encoderInput = Input({ shape: [28, 28, 1], name: 'original_img' });
let x = new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(encoderInput);
x = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
x = new MaxPooling2D({ poolSize: 3 }).apply(x);
x = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
x = new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
const encoderOutput = new GlobalMaxPooling2D().apply(x);
const encoder = new Model({ inputs: encoderInput, outputs: encoderOutput, name: 'encoder' });
encoder.summary();

// Decoder: 16 → 4×4×1 → 6×6×16 → 8×8×32 → 24×24×32 → 26×26×16 → 28×28×1.
const decoderInput = Input({ shape: [16], name: 'encoded_img' });
x = new Reshape({ targetShape: [4, 4, 1] }).apply(decoderInput);
x = new Conv2DTranspose({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
x = new Conv2DTranspose({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
x = new UpSampling2D({ size: 3 }).apply(x);
x = new Conv2DTranspose({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
const decoderOutput = new Conv2DTranspose({ filters: 1, kernelSize: 3, activation: 'relu' }).apply(
  x,
);
const decoder = new Model({ inputs: decoderInput, outputs: decoderOutput, name: 'decoder' });
decoder.summary();

// The autoencoder calls both models as if they were layers.
const autoencoderInput = Input({ shape: [28, 28, 1], name: 'img' });
const encodedImg = encoder.apply(autoencoderInput);
const decodedImg = decoder.apply(encodedImg);
const autoencoder = new Model({
  inputs: autoencoderInput,
  outputs: decodedImg,
  name: 'autoencoder',
});
autoencoder.summary();
autoencoder.summary({ expandNested: true });

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

// The trained encoder on its own: the code of the first digit.
const code = encoder.apply(new Tensor(images.values.slice(0, 28 * 28), [1, 28, 28, 1]));
console.log(
  `code of the first digit: [${Array.from(code.values, (v) => v.toFixed(2)).join(', ')}]`,
);
