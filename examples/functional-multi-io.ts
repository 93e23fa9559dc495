/**
 * A model with several inputs and outputs (the Keras functional guide's ticket classifier):
 * a ticket's title and body (word indices) and its tags go in; a priority score and a
 * department come out. Trained for one epoch on random data to show the plumbing.
 *
 * Run: npx tsx examples/functional-multi-io.ts
 */
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  Dense,
  Embedding,
  Input,
  LSTM,
  Model,
  Random,
  concatenate,
  tensor,
} from '../src/index.js';

const numTags = 12; // Number of unique issue tags
const numWords = 10000; // Size of vocabulary obtained when preprocessing text data
const numDepartments = 4; // Number of departments for predictions

const titleInput = Input({ shape: [null], name: 'title' }); // Variable-length sequence of ints
const bodyInput = Input({ shape: [null], name: 'body' }); // Variable-length sequence of ints
const tagsInput = Input({ shape: [numTags], name: 'tags' }); // Binary vectors of size numTags

// Embed each word in the title and in the text into a 64-dimensional vector
let titleFeatures = new Embedding({ inputDim: numWords, outputDim: 64 }).apply(titleInput);
let bodyFeatures = new Embedding({ inputDim: numWords, outputDim: 64 }).apply(bodyInput);

// Reduce the sequence of embedded words in the title into a single 128-dimensional vector
titleFeatures = new LSTM({ units: 128 }).apply(titleFeatures);
// Reduce the sequence of embedded words in the body into a single 32-dimensional vector
bodyFeatures = new LSTM({ units: 32 }).apply(bodyFeatures);

// Merge all available features into a single large vector via concatenation
const x = concatenate([titleFeatures, bodyFeatures, tagsInput]);

// Stick a logistic regression for priority prediction on top of the features
const priorityPred = new Dense({ units: 1, name: 'priority' }).apply(x);
// Stick a department classifier on top of the features
const departmentPred = new Dense({ units: numDepartments, name: 'department' }).apply(x);

// Instantiate an end-to-end model predicting both priority and department
const model = new Model({
  inputs: [titleInput, bodyInput, tagsInput],
  outputs: { priority: priorityPred, department: departmentPred },
});
model.summary();

model.compile({
  optimizer: 'rmsprop',
  loss: {
    priority: new BinaryCrossentropy({ fromLogits: true }),
    department: new CategoricalCrossentropy({ fromLogits: true }),
  },
  lossWeights: { priority: 1.0, department: 0.2 },
});

// Dummy input data
const rng = new Random(0);
const samples = 256;
const ints = (n: number, high: number): number[] => Array.from({ length: n }, () => rng.int(high));
const titleData = tensor(ints(samples * 10, numWords), { shape: [samples, 10], dtype: 'int32' });
const bodyData = tensor(ints(samples * 100, numWords), { shape: [samples, 100], dtype: 'int32' });
const tagsData = tensor(ints(samples * numTags, 2), { shape: [samples, numTags] });
// Dummy target data
const priorityTargets = tensor(
  Array.from({ length: samples }, () => rng.uniform()),
  { shape: [samples, 1] },
);
const departmentTargets = tensor(ints(samples * numDepartments, 2), {
  shape: [samples, numDepartments],
});

const history = await model.fit(
  { title: titleData, body: bodyData, tags: tagsData },
  { priority: priorityTargets, department: departmentTargets },
  { epochs: 1, batchSize: 32 },
);
console.log(history.history);
