import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TensileError, invalidArgument } from '../errors.js';
import type { Logs } from '../training/contracts.js';
import { setResumeEpoch } from '../training/state.js';
import { Callback } from './callback.js';
import { loadWeightsFile, saveWeightsFile, writeAtomic } from './weights-file.js';

export interface BackupAndRestoreConfig {
  /** 'epoch' (default): back up at the end of each epoch; a number: every that many batches. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when training ends normally. Default true. */
  deleteCheckpoint?: boolean;
}

/**
 * Lets an interrupted fit() resume, as Keras 3's BackupAndRestore: it backs up the weights,
 * the optimizer state and the epoch reached into `backupDir`, and when fit() starts with a
 * backup present, it restores them and continues from the next epoch. The backup is deleted
 * when training finishes (unless `deleteCheckpoint` is false). With saveFreq in batches, the
 * epoch in progress restarts from its beginning, with the weights of the last backup.
 *
 * @example
 * // Run the same script again after a crash: it picks up after the last finished epoch.
 * await model.fit(x, y, { epochs: 50, callbacks: [new BackupAndRestore('out/backup')] });
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  private currentEpoch = 0;
  private batchesSinceSave = 0;

  constructor(backupDir: string, config: BackupAndRestoreConfig = {}) {
    super();
    if (typeof backupDir !== 'string' || backupDir === '') {
      throw invalidArgument(
        `BackupAndRestore needs a backup directory. Received: backupDir=${String(backupDir)}.`,
      );
    }
    this.backupDir = backupDir;
    this.saveFreq = config.saveFreq ?? 'epoch';
    this.deleteCheckpoint = config.deleteCheckpoint ?? true;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw invalidArgument(
        `BackupAndRestore: saveFreq must be 'epoch' or a positive integer. ` +
          `Received: saveFreq=${String(this.saveFreq)}.`,
      );
    }
  }

  private get weightsPath(): string {
    return join(this.backupDir, 'latest.weights.bin');
  }

  private get metadataPath(): string {
    return join(this.backupDir, 'training_metadata.json');
  }

  override onTrainBegin(): void {
    if (!existsSync(this.weightsPath)) return;
    loadWeightsFile(this.model, this.weightsPath);
    if (existsSync(this.metadataPath)) {
      let epoch: unknown;
      try {
        epoch = (JSON.parse(readFileSync(this.metadataPath, 'utf8')) as { epoch?: unknown }).epoch;
      } catch (e) {
        throw new TensileError(
          'io_error',
          `Cannot read ${this.metadataPath}: ${(e as Error).message}`,
        );
      }
      if (typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0) {
        this.currentEpoch = epoch;
        setResumeEpoch(this.model, epoch);
      }
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
    this.batchesSinceSave = 0;
  }

  override onTrainBatchEnd(batch: number, _logs: Logs): void {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      this.backup(this.currentEpoch, batch + 1);
    }
  }

  override onEpochEnd(epoch: number): void {
    if (this.saveFreq === 'epoch') this.backup(epoch + 1, 0);
  }

  override onTrainEnd(): void {
    if (this.deleteCheckpoint) rmSync(this.backupDir, { recursive: true, force: true });
  }

  /** Writes the weights first and the epoch second, so the epoch never runs ahead of them. */
  private backup(epoch: number, batch: number): void {
    saveWeightsFile(this.model, this.weightsPath, { meta: { epoch, batch } });
    writeAtomic(this.metadataPath, JSON.stringify({ epoch, batch }));
  }
}
