import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TensileError } from '../errors.js';
import type { Logs } from '../training/contracts.js';
import { Callback } from './callback.js';

export interface CSVLoggerOptions {
  /** Default ','. */
  separator?: string;
  /** Add to an existing file instead of overwriting it. Default false. */
  append?: boolean;
}

/**
 * Writes one row per epoch to a CSV file: `epoch` (0-based, as Keras) followed by the logged values
 * in name order (NA where an epoch lacks one). Each row goes out in one append call, so a crash
 * leaves whole rows only; a run that appends to an existing file does not repeat its header.
 *
 * @example
 * new CSVLogger('out/training.csv', { append: true })
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    this.filename = filename;
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    this.keys = null;
    try {
      mkdirSync(dirname(this.filename), { recursive: true });
      if (this.append && existsSync(this.filename)) {
        const existing = readFileSync(this.filename, 'utf8');
        this.writeHeader = existing.length === 0;
        // Resume on a fresh line if an earlier run was cut off mid-row.
        if (existing.length > 0 && !existing.endsWith('\n')) appendFileSync(this.filename, '\n');
        if (!this.writeHeader) this.keys = existing.split('\n')[0]!.split(this.separator).slice(1);
      } else {
        writeFileSync(this.filename, '');
        this.writeHeader = true;
      }
    } catch (e) {
      throw new TensileError(
        'io_error',
        `CSVLogger cannot write ${this.filename}: ${(e as Error).message}`,
      );
    }
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      // As Keras: with validationFreq > 1 the first epoch has no val_ values yet, so the
      // columns for them are added up front (they read NA on epochs without validation).
      if (!this.keys.some((k) => k.startsWith('val_')))
        this.keys.push(...this.keys.map((k) => `val_${k}`));
    }
    const keys = this.keys;
    let text = '';
    if (this.writeHeader) {
      text += ['epoch', ...keys].map((k) => this.quote(k)).join(this.separator) + '\n';
      this.writeHeader = false;
    }
    const cells = [
      String(epoch),
      ...keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k]))),
    ];
    text += cells.join(this.separator) + '\n';
    appendFileSync(this.filename, text);
  }

  private quote(field: string): string {
    return /[",\n]/.test(field) || field.includes(this.separator)
      ? `"${field.replace(/"/g, '""')}"`
      : field;
  }
}
