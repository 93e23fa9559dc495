import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BackupAndRestore,
  CSVLogger,
  Callback,
  EarlyStopping,
  LambdaCallback,
  LearningRateScheduler,
  ModelCheckpoint,
  ReduceLROnPlateau,
  TerminateOnNaN,
  loadWeightsFile,
} from '../../src/callbacks/index.js';
import { TensileError } from '../../src/errors.js';
import { type Logger, setLogger } from '../../src/logger.js';
import { SGD } from '../../src/optimizers/index.js';
import { tensor } from '../../src/tensor/creation.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { compileModel, fitModel } from '../../src/training/index.js';
import { LinearModel, linearTask, mse } from '../training/fakes.js';

function model(lr = 0.05): { m: LinearModel; opt: SGD } {
  const m = new LinearModel(2, 1, ['dense'], 9);
  const opt = new SGD({ learningRate: lr });
  compileModel(m, { optimizer: opt, loss: mse });
  return { m, opt };
}

/** Puts scripted values into the epoch logs, before the callbacks that follow it read them. */
function script(name: string, values: number[]): Callback {
  return new LambdaCallback({ onEpochEnd: (epoch, logs) => void (logs[name] = values[epoch]!) });
}

/** Copies of the weights at the end of each epoch. */
class WeightRecorder extends Callback {
  byEpoch: Tensor[][] = [];
  override onEpochEnd(epoch: number): void {
    this.byEpoch[epoch] = this.model.getWeights();
  }
}

function quietLogger(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(`warn: ${m}`),
  };
  const previous = setLogger(logger);
  return { lines, restore: () => void setLogger(previous) };
}

const data = linearTask(16);
const fit = (m: LinearModel, epochs: number, callbacks: Callback[]) =>
  fitModel(m, data.x, data.y, { epochs, batchSize: 8, callbacks, verbose: 0 });

const values = (ts: readonly Tensor[]): number[] => ts.flatMap((t) => Array.from(t.values));

describe('EarlyStopping', () => {
  it('stops when patience runs out and restores the best epoch weights', async () => {
    const { m } = model();
    const recorder = new WeightRecorder();
    // Best at epoch 1; epochs 2 and 3 do not improve, so patience 2 stops at epoch 3.
    const stop = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const history = await fit(m, 10, [
      script('val_loss', [1, 0.8, 0.9, 0.85, 0.5]),
      recorder,
      stop,
    ]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(stop.stoppedEpoch).toBe(3);
    expect(stop.bestEpoch).toBe(1);
    expect(values(m.getWeights())).toEqual(values(recorder.byEpoch[1]!));
    expect(values(m.getWeights())).not.toEqual(values(recorder.byEpoch[3]!));
  });

  it('counts minDelta, maximizes accuracies, and restores even without stopping', async () => {
    const { m } = model();
    const recorder = new WeightRecorder();
    // Gains of 0.005 are below minDelta 0.01: epochs 1 and 2 do not count as improvements.
    const stop = new EarlyStopping({
      monitor: 'val_accuracy',
      minDelta: 0.01,
      patience: 5,
      restoreBestWeights: true,
    });
    const history = await fit(m, 4, [
      script('val_accuracy', [0.5, 0.505, 0.51, 0.7]),
      recorder,
      stop,
    ]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(stop.bestEpoch).toBe(3);
    const stop2 = new EarlyStopping({
      monitor: 'val_accuracy',
      minDelta: 0.01,
      patience: 2,
      restoreBestWeights: true,
    });
    const { m: m2 } = model();
    const rec2 = new WeightRecorder();
    const h2 = await fit(m2, 6, [script('val_accuracy', [0.5, 0.505, 0.51, 0.7]), rec2, stop2]);
    expect(h2.epoch).toEqual([0, 1, 2]);
    expect(values(m2.getWeights())).toEqual(values(rec2.byEpoch[0]!));
  });

  it('keeps waiting until the baseline is beaten, and ignores epochs before startFromEpoch', async () => {
    // A first value that misses the baseline 0.5 does not reset the wait, so patience 2 runs out
    // one epoch sooner than without a baseline.
    const flat = [0.9, 0.9, 0.9, 0.9, 0.9];
    const withBaseline = new EarlyStopping({
      monitor: 'loss_x',
      mode: 'min',
      patience: 2,
      baseline: 0.5,
    });
    expect((await fit(model().m, 5, [script('loss_x', flat), withBaseline])).epoch).toEqual([0, 1]);
    const without = new EarlyStopping({ monitor: 'loss_x', mode: 'min', patience: 2 });
    expect((await fit(model().m, 5, [script('loss_x', flat), without])).epoch).toEqual([0, 1, 2]);
    const { m: m2 } = model();
    const late = new EarlyStopping({ monitor: 'val_loss', patience: 0, startFromEpoch: 3 });
    const h2 = await fit(m2, 10, [script('val_loss', [1, 2, 3, 4, 5, 6]), late]);
    expect(h2.epoch).toEqual([0, 1, 2, 3, 4]);
  });

  it('takes the direction of a compiled metric whose name says nothing', async () => {
    const m = new LinearModel(2, 1, ['dense'], 9);
    const widgets = {
      name: 'widgets',
      direction: 'up' as const,
      updateState() {},
      result: () => 0,
      resetState() {},
    };
    compileModel(m, { optimizer: new SGD({ learningRate: 0.01 }), loss: mse, metrics: [widgets] });
    // Rising values are improvements for an 'up' metric, so patience 1 never runs out.
    const stop = new EarlyStopping({ monitor: 'val_widgets', patience: 1 });
    const h = await fit(m, 4, [script('val_widgets', [1, 2, 3, 4]), stop]);
    expect(h.epoch).toEqual([0, 1, 2, 3]);
  });

  it('asks for a mode when the monitored name says nothing, and warns when it is missing', async () => {
    const { m } = model();
    const error = await fit(m, 1, [new EarlyStopping({ monitor: 'widgets' })]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TensileError);
    expect((error as TensileError).message).toMatch(/Pass mode: 'max'/);
    const log = quietLogger();
    try {
      await fit(model().m, 1, [new EarlyStopping({ monitor: 'val_loss' })]);
    } finally {
      log.restore();
    }
    expect(log.lines[0]).toMatch(/'val_loss', which is not available. Available metrics are: loss/);
  });
});

describe('ReduceLROnPlateau and LearningRateScheduler', () => {
  it('reduces the rate after patience epochs without improvement, then cools down', async () => {
    const { m, opt } = model(0.1);
    const reduce = new ReduceLROnPlateau({
      monitor: 'val_loss',
      factor: 0.5,
      patience: 2,
      cooldown: 2,
    });
    const h = await fit(m, 7, [script('val_loss', [1, 1, 1, 1, 1, 1, 1]), reduce]);
    // Epoch 0 sets the best; epochs 1, 2 wait; the rate halves at the end of epoch 2. Epoch 3
    // is in the cooldown; the cooldown ends during epoch 4, which waits (as Keras counts), and
    // epoch 5 halves the rate again.
    expect(h.history['learning_rate']).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    expect(opt.learningRate).toBeCloseTo(0.025, 12);
  });

  it('never goes below minLr and resets its wait on improvement', async () => {
    const { m, opt } = model(0.1);
    const reduce = new ReduceLROnPlateau({
      factor: 0.1,
      patience: 1,
      minLr: 0.005,
      monitor: 'val_loss',
    });
    await fit(m, 5, [script('val_loss', [1, 0.5, 0.6, 0.7, 0.8]), reduce]);
    // Epoch 2 does not improve on 0.5: 0.1 → 0.01; epoch 3: 0.01 → 0.005 (the floor); epoch 4: stays.
    expect(opt.learningRate).toBeCloseTo(0.005, 12);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor >= 1. Received: factor=1/);
  });

  it('sets the rate at the start of each epoch from the schedule', async () => {
    const { m, opt } = model(0.1);
    const seen: number[] = [];
    const sched = new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr / 2));
    const probe = new LambdaCallback({
      onTrainBatchBegin: () => void seen.push(opt.currentLearningRate()),
    });
    const h = await fit(m, 4, [sched, probe]);
    expect(h.history['learning_rate']).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(seen).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });
});

describe('checkpoints and logs on disk', () => {
  it('ModelCheckpoint formats the path and saves only improvements with saveBestOnly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensile-ckpt-'));
    const { m } = model();
    const recorder = new WeightRecorder();
    const ckpt = new ModelCheckpoint({
      filepath: join(dir, 'w-{epoch:02d}-{val_loss:.2f}.weights.bin'),
      saveBestOnly: true,
      saveWeightsOnly: true,
    });
    await fit(m, 4, [script('val_loss', [0.9, 0.7, 0.8, 0.25]), recorder, ckpt]);
    expect(readdirSync(dir).sort()).toEqual([
      'w-01-0.90.weights.bin',
      'w-02-0.70.weights.bin',
      'w-04-0.25.weights.bin',
    ]);
    const fresh = model().m;
    const meta = loadWeightsFile(fresh, join(dir, 'w-02-0.70.weights.bin'));
    expect(meta).toEqual({ epoch: 2 });
    expect(values(fresh.getWeights())).toEqual(values(recorder.byEpoch[1]!));
    const other = new LinearModel(3, 1);
    compileModel(other, { optimizer: new SGD(), loss: mse });
    expect(() => loadWeightsFile(other, join(dir, 'w-02-0.70.weights.bin'))).toThrow(
      /do not fit model/,
    );
  });

  it('ModelCheckpoint saves every saveFreq batches and says that only weights are saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensile-ckpt-'));
    const ckpt = new ModelCheckpoint({
      filepath: join(dir, 'e{epoch}-b{batch}.weights.bin'),
      saveFreq: 1,
    });
    const log = quietLogger();
    try {
      // 16 samples in batches of 8: two batches per epoch, a save after each.
      await fit(model().m, 2, [ckpt]);
    } finally {
      log.restore();
    }
    expect(readdirSync(dir).sort()).toEqual([
      'e1-b1.weights.bin',
      'e1-b2.weights.bin',
      'e2-b1.weights.bin',
      'e2-b2.weights.bin',
    ]);
    expect(log.lines).toEqual([
      expect.stringMatching(/whole-model files \(.keras\) are not supported yet/),
    ]);
  });

  it('CSVLogger writes a header and one row per epoch, and appends without a second header', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tensile-csv-')), 'log.csv');
    const { m } = model();
    await fit(m, 2, [script('val_loss', [3, 2]), new CSVLogger(file)]);
    const rows = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('epoch,loss,val_loss');
    expect(rows[1]).toMatch(/^0,[\d.e-]+,3$/);
    expect(rows[2]).toMatch(/^1,[\d.e-]+,2$/);
    await fit(m, 1, [script('val_loss', [1]), new CSVLogger(file, { append: true })]);
    const after = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(after).toHaveLength(4);
    expect(after[3]).toMatch(/^0,[\d.e-]+,1$/);
    // Without validation in the first epoch, Keras still makes val_ columns, filled with NA.
    const plain = join(mkdtempSync(join(tmpdir(), 'tensile-csv-')), 'plain.csv');
    await fit(m, 1, [new CSVLogger(plain, { separator: ';' })]);
    expect(readFileSync(plain, 'utf8')).toMatch(/^epoch;loss;val_loss\n0;[\d.e-]+;NA\n$/);
  });

  it('BackupAndRestore resumes an interrupted fit at the next epoch with its weights', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tensile-backup-')), 'backup');
    const first = model();
    const recorder = new WeightRecorder();
    const crash = new LambdaCallback({
      onEpochBegin: (epoch) => {
        if (epoch === 3) throw new Error('simulated crash');
      },
    });
    await expect(fit(first.m, 5, [new BackupAndRestore(dir), recorder, crash])).rejects.toThrow(
      'simulated crash',
    );
    expect(existsSync(join(dir, 'latest.weights.bin'))).toBe(true);

    // A fresh process: new weights and optimizer, restored from the backup before epoch 3.
    const second = model();
    let atResume: number[] = [];
    const probe = new LambdaCallback({
      onEpochBegin: (epoch) => {
        if (epoch === 3) atResume = values(second.m.getWeights());
      },
    });
    const history = await fit(second.m, 5, [new BackupAndRestore(dir), probe]);
    expect(history.epoch).toEqual([3, 4]);
    expect(atResume).toEqual(values(recorder.byEpoch[2]!));
    expect(second.opt.iterations).toBe(first.opt.iterations + 4);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('TerminateOnNaN', () => {
  it('stops training after the batch whose loss is not finite', async () => {
    const { m } = model();
    const x = tensor([
      [1, 0],
      [1, 0],
      [NaN, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    const y = tensor([[1], [1], [1], [1], [1], [1]]);
    let batches = 0;
    const counter = new LambdaCallback({ onTrainBatchEnd: () => void batches++ });
    const log = quietLogger();
    try {
      await fitModel(m, x, y, {
        epochs: 3,
        batchSize: 2,
        shuffle: false,
        callbacks: [new TerminateOnNaN(), counter],
        verbose: 0,
      });
    } finally {
      log.restore();
    }
    expect(batches).toBe(2);
    expect(log.lines).toEqual(['warn: Batch 1: invalid loss, terminating training']);
    await expect(
      fitModel(model().m, x, y, {
        batchSize: 2,
        shuffle: false,
        callbacks: [new TerminateOnNaN({ raiseError: true })],
        verbose: 0,
      }),
    ).rejects.toThrow(/NaN or Inf loss encountered at batch 1/);
  });
});
