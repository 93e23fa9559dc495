/**
 * Training curves as an SVG picture, drawn by hand (no plotting dependency): one panel per
 * metric, epochs along x, one line per series (train solid, validation dashed).
 */

export interface Series {
  name: string;
  values: readonly number[];
  color: string;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  series: Series[];
}

const PANEL_W = 420;
const PANEL_H = 270;
const MARGIN = { left: 58, right: 16, top: 34, bottom: 42 };

/** Lays the panels out in a grid of `columns` and returns the SVG document. */
export function renderCurvesSvg(panels: readonly Panel[], title: string, columns = 2): string {
  const rows = Math.ceil(panels.length / columns);
  const width = columns * PANEL_W;
  const height = rows * PANEL_H + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="26" text-anchor="middle" font-size="17" font-weight="bold">${escape(title)}</text>`,
  ];
  panels.forEach((panel, i) => {
    const x0 = (i % columns) * PANEL_W;
    const y0 = 40 + Math.floor(i / columns) * PANEL_H;
    parts.push(renderPanel(panel, x0, y0));
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function renderPanel(panel: Panel, x0: number, y0: number): string {
  const left = x0 + MARGIN.left;
  const right = x0 + PANEL_W - MARGIN.right;
  const top = y0 + MARGIN.top;
  const bottom = y0 + PANEL_H - MARGIN.bottom;
  const all = panel.series.flatMap((s) => s.values.filter(Number.isFinite));
  const epochs = Math.max(1, ...panel.series.map((s) => s.values.length));
  const [lo, hi] = niceRange(Math.min(...all), Math.max(...all));
  const sx = (e: number): number =>
    epochs === 1 ? (left + right) / 2 : left + ((right - left) * e) / (epochs - 1);
  const sy = (v: number): number => bottom - ((bottom - top) * (v - lo)) / (hi - lo);

  const out: string[] = [];
  out.push(
    `<text x="${(left + right) / 2}" y="${y0 + 22}" text-anchor="middle" font-size="14">${escape(panel.title)}</text>`,
  );
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    const y = sy(v);
    out.push(`<line x1="${left}" y1="${f(y)}" x2="${right}" y2="${f(y)}" stroke="#e4e4e4"/>`);
    out.push(
      `<text x="${left - 6}" y="${f(y + 4)}" text-anchor="end" font-size="11" fill="#444">${tick(v, hi - lo)}</text>`,
    );
  }
  for (let e = 0; e < epochs; e++) {
    out.push(
      `<text x="${f(sx(e))}" y="${bottom + 16}" text-anchor="middle" font-size="11" fill="#444">${e + 1}</text>`,
    );
  }
  out.push(
    `<text x="${right}" y="${bottom + 34}" text-anchor="end" font-size="12" fill="#444">epoch</text>`,
  );
  out.push(
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#888"/>`,
  );

  panel.series.forEach((s, j) => {
    const points = s.values.map((v, e) => `${f(sx(e))},${f(sy(v))}`).join(' ');
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    for (let e = 0; e < s.values.length; e++) {
      out.push(`<circle cx="${f(sx(e))}" cy="${f(sy(s.values[e]!))}" r="3" fill="${s.color}"/>`);
    }
    // The legend sits under the axis, where it never hides a curve.
    const lx = left + 110 * j;
    const ly = bottom + 34;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${lx + 30}" y="${ly}" font-size="11">${escape(s.name)}</text>`);
  });
  return out.join('\n');
}

/** A range a little wider than the data, so lines do not touch the frame. */
function niceRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const pad = max > min ? (max - min) * 0.08 : Math.abs(max) * 0.05 || 0.5;
  return [min - pad, max + pad];
}

function tick(v: number, span: number): string {
  return v.toFixed(span < 0.05 ? 4 : span < 0.5 ? 3 : 2);
}

function f(v: number): string {
  return v.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
