import type { ProgressStream } from '../training/model-methods.js';

export interface ProgbarOptions {
  /**
   * 1: a bar redrawn in place (terminals) or the final line only (other streams); 2: final line.
   */
  verbose: 1 | 2;
  stream: ProgressStream;
  /** Characters in the bar. Default 20. */
  width?: number;
  /** Shortest time between two redraws, in seconds. Default 0.25. */
  interval?: number;
  unitName?: string;
}

const BAR = '\u2501'; // ━, the character Keras 3 draws its bar with

/**
 * A progress bar in Keras 3's format:
 * `12/63 ━━━━━━━━━━━━━━━━━━━━ 1s 20ms/step - accuracy: 0.8512 - loss: 0.4871`, showing the time
 * left while running and the time taken once finished. Values are shown in name order.
 */
export class Progbar {
  target: number | null;
  private readonly verbose: 1 | 2;
  private readonly stream: ProgressStream;
  private readonly width: number;
  private readonly interval: number;
  private readonly unitName: string;
  private readonly tty: boolean;
  private readonly start = performance.now() / 1000;
  private lastDraw = -Infinity;
  private timeAfterFirstStep: number | null = null;

  constructor(target: number | null, options: ProgbarOptions) {
    this.target = target;
    this.verbose = options.verbose;
    this.stream = options.stream;
    this.width = options.width ?? 20;
    this.interval = options.interval ?? 0.25;
    this.unitName = options.unitName ?? 'step';
    this.tty = options.stream.isTTY === true;
  }

  /** Reports that `current` steps are done; draws when due, and always when `finalize`. */
  update(current: number, values: Readonly<Record<string, number>>, finalize = false): void {
    const now = performance.now() / 1000;
    if (current === 1 && this.timeAfterFirstStep === null) this.timeAfterFirstStep = now;
    if (!finalize && (this.verbose === 2 || !this.tty || now - this.lastDraw < this.interval))
      return;
    this.lastDraw = now;
    const perStep = this.stepDuration(current, now);
    const metrics = formatValues(values);
    if (this.verbose === 2) {
      const count = this.count(current);
      this.stream.write(
        `${count} - ${Math.round(now - this.start)}s ` +
          `-${formatTime(perStep, this.unitName)}${metrics}\n`,
      );
      return;
    }
    let line =
      this.target === null
        ? `${String(current).padStart(7)}/Unknown`
        : this.bold(this.count(current)) + ' ' + this.bar(current);
    const running = this.target !== null && current < this.target;
    const time = running
      ? formatEta(perStep * (this.target! - current))
      : `${Math.round(now - this.start)}s`;
    line += ` ${this.bold(time)}${formatTime(perStep, this.unitName)}${metrics}`;
    if (this.tty) this.stream.write(`\r${line}\x1b[K${finalize ? '\n' : ''}`);
    else this.stream.write(`${line}\n`);
  }

  private count(current: number): string {
    if (this.target === null) return String(current);
    const digits = String(this.target).length;
    return `${String(current).padStart(digits)}/${this.target}`;
  }

  private bar(current: number): string {
    const filled = Math.min(
      this.width,
      Math.floor((this.width * current) / Math.max(this.target!, 1)),
    );
    if (!this.tty) return BAR.repeat(this.width);
    const done = filled > 0 ? `\x1b[32m${BAR.repeat(filled)}\x1b[0m` : '';
    return `${done}\x1b[37m${BAR.repeat(this.width - filled)}\x1b[0m`;
  }

  private bold(text: string): string {
    return this.tty ? `\x1b[1m${text}\x1b[0m` : text;
  }

  /** Seconds per step, leaving out the first step (which pays for warm-up) once there are more. */
  private stepDuration(current: number, now: number): number {
    if (current <= 0) return 0;
    if (this.timeAfterFirstStep !== null && current > 1) {
      return (now - this.timeAfterFirstStep) / (current - 1);
    }
    return (now - this.start) / current;
  }
}

/** ` - accuracy: 0.8512 - loss: 0.4871`, in name order. */
export function formatValues(values: Readonly<Record<string, number>>): string {
  let out = '';
  for (const key of Object.keys(values).sort()) out += ` - ${key}: ${formatNumber(values[key]!)}`;
  return out;
}

/** Four decimals, or scientific notation for tiny values, as Python's `%.4f` / `%.4e`. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  const [mantissa, exponent] = v.toExponential(4).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function formatTime(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${Math.round(seconds * 1e3)}ms/${unit}`;
  return ` ${Math.round(seconds * 1e6)}us/${unit}`;
}

function formatEta(eta: number): string {
  const s = Math.floor(eta);
  if (eta > 3600)
    return `${Math.floor(s / 3600)}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  if (eta > 60) return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
  return `${s}s`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
