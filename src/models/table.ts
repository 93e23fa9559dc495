/**
 * The box-drawn table that Keras 3's summary() prints through the `rich` library, reproduced
 * character for character: heavy header box, a rule between rows, cells padded by one space,
 * text wrapped at spaces and long words cut with an ellipsis.
 */

export type Justify = 'left' | 'right' | 'center';

export interface TableColumn {
  header: string;
  justify: Justify;
  /** The width Keras asks for; rich then shrinks the columns to fit the table width. */
  width: number;
}

/**
 * rich's last-resort shrink (`ratio_reduce` with equal ratios): the excess is taken from the
 * columns left to right, each its rounded share of what remains, Python's round-half-even.
 */
function ratioReduce(excess: number, widths: readonly number[]): number[] {
  let remaining = excess;
  let ratioLeft = widths.length;
  return widths.map((w) => {
    const share = Math.min(w, roundHalfEven(remaining / ratioLeft));
    remaining -= share;
    ratioLeft -= 1;
    return w - share;
  });
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The widths of the cells (padding included) in a table of total width `tableWidth`. */
export function cellWidths(columns: readonly TableColumn[], tableWidth: number): number[] {
  const widths = columns.map((c) => c.width + 2);
  const available = tableWidth - (columns.length + 1);
  const total = widths.reduce((a, b) => a + b, 0);
  return total > available ? ratioReduce(total - available, widths) : widths;
}

/** Greedy word wrap at spaces; a word longer than the width is cut to width−1 chars plus `…`. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    // Leading spaces (and summary's `└ ` nesting marker) stay with the first word; the lines
    // a long name wraps onto hang under the name, so a nested row still reads as nested.
    const lead = /^ *(└ )?/.exec(paragraph)![0];
    const hang = lead.endsWith('└ ') && lead.length < width - 1 ? ' '.repeat(lead.length) : '';
    const words = paragraph
      .slice(lead.length)
      .split(' ')
      .filter((w) => w !== '');
    if (words.length > 0) words[0] = lead + words[0];
    let line = '';
    for (const word of words) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ' ' + word;
      else {
        lines.push(line);
        line = hang + word;
      }
    }
    lines.push(line);
  }
  return lines.map((l) => (l.length > width ? l.slice(0, Math.max(0, width - 1)) + '…' : l));
}

function justify(text: string, width: number, how: Justify): string {
  const gap = Math.max(0, width - text.length);
  if (how === 'right') return ' '.repeat(gap) + text;
  if (how === 'center')
    return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}

/** Renders the header and rows into lines of exactly `tableWidth` characters. */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  tableWidth: number,
): string[] {
  const widths = cellWidths(columns, tableWidth);
  const rule = (left: string, fill: string, mid: string, right: string): string =>
    left + widths.map((w) => fill.repeat(w)).join(mid) + right;
  const renderRow = (cells: readonly string[], bar: string): string[] => {
    const wrapped = cells.map((c, i) => wrapText(c, widths[i]! - 2));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = wrapped.map(
        (w, i) => ' ' + justify(w[k] ?? '', widths[i]! - 2, columns[i]!.justify) + ' ',
      );
      out.push(bar + parts.join(bar) + bar);
    }
    return out;
  };

  const lines = [rule('┏', '━', '┳', '┓')];
  lines.push(
    ...renderRow(
      columns.map((c) => c.header),
      '┃',
    ),
  );
  lines.push(rule('┡', '━', '╇', '┩'));
  rows.forEach((row, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤'));
    lines.push(...renderRow(row, '│'));
  });
  lines.push(rule('└', '─', '┴', '┘'));
  return lines;
}
