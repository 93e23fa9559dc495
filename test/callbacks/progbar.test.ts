/* eslint-disable no-control-regex -- the ANSI escapes of the terminal bar are what these tests check */
import { describe, expect, it } from 'vitest';
import { Progbar } from '../../src/callbacks/index.js';
import { formatNumber, formatValues } from '../../src/callbacks/progbar.js';
import { Dataset } from '../../src/data/index.js';
import { rowRange } from '../../src/data/structure.js';
import { SGD } from '../../src/optimizers/index.js';
import { compileModel, evaluateModel, fitModel, predictModel } from '../../src/training/index.js';
import { CaptureStream, LinearModel, linearTask, mse } from '../training/fakes.js';

const BAR = '━'.repeat(20);

function model(): LinearModel {
  const m = new LinearModel(2, 1, ['dense'], 5);
  compileModel(m, { optimizer: new SGD({ learningRate: 0.05 }), loss: mse });
  return m;
}

describe('progress display', () => {
  it('prints only the final line of each epoch to a stream that is not a terminal', async () => {
    const { x, y } = linearTask(40);
    const out = new CaptureStream(false);
    await fitModel(model(), x, y, { epochs: 2, batchSize: 10, validationSplit: 0.25, output: out });
    const lines = out.text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(
      new RegExp(
        `^3/3 ${BAR} \\d+s \\d+(us|ms|s)/step - loss: \\d+\\.\\d{4} - val_loss: \\d+\\.\\d{4}$`,
      ),
    );
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines[3]).toMatch(
      /^3\/3 ━{20} \d+s \d+(us|ms|s)\/step - loss: \d+\.\d{4} - val_loss: \d+\.\d{4}$/,
    );
    expect(lines[4]).toBe('');
  });

  it('prints one line per epoch at verbose 2 and nothing at verbose 0', async () => {
    const { x, y } = linearTask(30);
    const two = new CaptureStream(true);
    await fitModel(model(), x, y, { epochs: 2, batchSize: 10, verbose: 2, output: two });
    expect(two.text).toMatch(
      /^Epoch 1\/2\n3\/3 - \d+s - \d+(us|ms|s)\/step - loss: \d+\.\d{4}\nEpoch 2\/2\n3\/3 - \d+s - \d+(us|ms|s)\/step - loss: \d+\.\d{4}\n$/,
    );
    const zero = new CaptureStream(true);
    await fitModel(model(), x, y, { epochs: 2, verbose: 0, output: zero });
    await evaluateModel(model(), x, y, { verbose: 0, output: zero });
    expect(zero.text).toBe('');
  });

  it('redraws a terminal bar in place, throttled, and ends the epoch with a newline', async () => {
    const { x, y } = linearTask(400);
    const tty = new CaptureStream(true);
    await fitModel(model(), x, y, { epochs: 1, batchSize: 4, output: tty });
    const draws = tty.text.split('\r').length - 1;
    // 100 batches, but redraws happen at most every 0.25 s plus the final one.
    expect(draws).toBeGreaterThanOrEqual(1);
    expect(draws).toBeLessThan(20);
    expect(tty.text.endsWith('\n')).toBe(true);
    const last = tty.text.slice(tty.text.lastIndexOf('\r') + 1);
    // Bold count, green bar (all of it done), elapsed time, and no 'Epoch' line for one epoch.
    expect(last).toContain('\x1b[1m100/100\x1b[0m \x1b[32m' + BAR + '\x1b[0m');
    expect(last).toMatch(/ - loss: \d+\.\d{4}\x1b\[K\n$/);
    expect(tty.text).not.toContain('Epoch');
  });

  it('shows the time left while running and the elapsed time at the end', () => {
    const out = new CaptureStream(true);
    const bar = new Progbar(63, { verbose: 1, stream: out, interval: 0 });
    bar.update(12, { loss: 0.48712, accuracy: 0.85121 });
    expect(out.text).toMatch(
      /^\r\x1b\[1m12\/63\x1b\[0m \x1b\[32m━{3}\x1b\[0m\x1b\[37m━{17}\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(us|ms|s)\/step - accuracy: 0\.8512 - loss: 0\.4871\x1b\[K$/,
    );
  });

  it('counts steps of a dataset of unknown length, then learns its length', () => {
    const out = new CaptureStream(false);
    const bar = new Progbar(null, { verbose: 1, stream: out });
    bar.update(5, { loss: 1 });
    expect(out.text).toBe('');
    bar.target = 5;
    bar.update(5, { loss: 1 }, true);
    expect(out.text).toMatch(/^5\/5 ━{20} \d+s/);
  });

  it('streams a generator of unknown length: Unknown in the first epoch, its length after', async () => {
    const { x, y } = linearTask(16);
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < 16; i += 4) yield [rowRange(x, i, i + 4), rowRange(y, i, i + 4)];
    });
    const tty = new CaptureStream(true);
    await fitModel(model(), ds, { epochs: 2, output: tty });
    const [first, second] = tty.text.split('Epoch 2/2');
    expect(first).toMatch(/\r {6}1\/Unknown/);
    expect(first).toMatch(/4\/4\x1b\[0m/);
    expect(second).not.toContain('Unknown');
    expect(second).toMatch(/\r\x1b\[1m1\/4\x1b\[0m/);
  });

  it('formats numbers as Keras: four decimals, or scientific notation below 1e-3', () => {
    expect(formatNumber(0.48712)).toBe('0.4871');
    expect(formatNumber(12.5)).toBe('12.5000');
    expect(formatNumber(0.000012345)).toBe('1.2345e-05');
    expect(formatNumber(0)).toBe('0.0000e+00');
    expect(formatNumber(NaN)).toBe('nan');
    expect(formatValues({ val_loss: 1, loss: 2, accuracy: 0.5 })).toBe(
      ' - accuracy: 0.5000 - loss: 2.0000 - val_loss: 1.0000',
    );
  });

  it('shows evaluate and predict progress as one final line each', async () => {
    const { x, y } = linearTask(20);
    const out = new CaptureStream(false);
    const m = model();
    await evaluateModel(m, x, y, { batchSize: 8, output: out });
    await predictModel(m, x, { batchSize: 8, output: out });
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^3\/3 ━{20} \d+s \d+(us|ms|s)\/step - loss: \d+\.\d{4}$/);
    expect(lines[1]).toMatch(/^3\/3 ━{20} \d+s \d+(us|ms|s)\/step$/);
  });
});
