import type { Logs } from '../training/contracts.js';
import type { ProgressStream } from '../training/model-methods.js';
import { Callback } from './callback.js';
import { Progbar } from './progbar.js';

/**
 * Shows fit/evaluate/predict progress (see Progbar); fit adds one when verbose is 1 or 2.
 * During fit it stays quiet while the validation data is evaluated, whose results appear on
 * the epoch's final line as `val_…` values.
 */
export class ProgbarLogger extends Callback {
  private readonly stream: ProgressStream;
  private progbar: Progbar | null = null;
  private target: number | null = null;
  private seen = 0;
  private calledInFit = false;

  constructor(stream: ProgressStream = process.stdout) {
    super();
    this.stream = stream;
  }

  private get level(): 1 | 2 | 0 {
    return this.params.verbose;
  }

  private reset(): void {
    this.seen = 0;
    this.target = this.params.steps ?? this.target;
    const level = this.level;
    this.progbar =
      level === 0 ? null : new Progbar(this.target, { verbose: level, stream: this.stream });
  }

  private advance(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    this.progbar?.update(this.seen, logs);
  }

  private finish(logs: Logs): void {
    if (this.progbar === null) return;
    if (this.target === null) {
      this.target = this.seen;
      this.progbar.target = this.seen;
    }
    this.progbar.update(this.target, logs, true);
  }

  override onTrainBegin(): void {
    this.calledInFit = true;
  }

  override onEpochBegin(epoch: number): void {
    this.reset();
    if (this.level !== 0 && this.params.epochs > 1) {
      this.stream.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    }
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.advance(batch, logs);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.finish(logs);
  }

  override onTestBegin(): void {
    if (!this.calledInFit) this.reset();
  }

  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (!this.calledInFit) this.advance(batch, logs);
  }

  override onTestEnd(logs: Logs): void {
    if (!this.calledInFit) this.finish(logs);
  }

  override onPredictBegin(): void {
    this.reset();
  }

  override onPredictBatchEnd(batch: number): void {
    this.advance(batch, {});
  }

  override onPredictEnd(): void {
    this.finish({});
  }
}
