import { invalidArgument } from '../errors.js';

/**
 * Fills `{name}` and `{name:spec}` fields the way Python's str.format does for the specs
 * checkpoint paths use: `{epoch:02d}`, `{val_loss:.2f}`, `{loss:.3e}`, `{epoch}`.
 */
export function formatPath(template: string, values: Readonly<Record<string, number>>): string {
  return template.replace(
    /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g,
    (_m, name: string, spec?: string) => {
      const value = values[name];
      if (value === undefined) {
        throw invalidArgument(
          `The checkpoint path ${template} uses {${name}}, which is not in the logs. ` +
            `Available: ${Object.keys(values).join(', ')}.`,
        );
      }
      return formatValue(value, spec ?? '', template);
    },
  );
}

function formatValue(value: number, spec: string, template: string): string {
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfegs])?$/.exec(spec);
  if (m === null) {
    throw invalidArgument(
      `Unsupported format spec '${spec}' in the checkpoint path ${template}; ` +
        `use e.g. 02d, .4f, .2e.`,
    );
  }
  const [, zero, width, precision, type] = m;
  let text: string;
  const p = precision === undefined ? undefined : Number(precision);
  switch (type) {
    case 'd':
      text = String(Math.trunc(value));
      break;
    case 'f':
      text = value.toFixed(p ?? 6);
      break;
    case 'e': {
      const [mant, exp] = value.toExponential(p ?? 6).split('e') as [string, string];
      const sign = exp.startsWith('-') ? '-' : '+';
      text = `${mant}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
      break;
    }
    default:
      text = p === undefined ? String(value) : String(Number(value.toPrecision(p)));
  }
  if (width !== undefined) {
    const w = Number(width);
    if (zero !== undefined) {
      const negative = text.startsWith('-');
      const digits = negative ? text.slice(1) : text;
      text = (negative ? '-' : '') + digits.padStart(w - (negative ? 1 : 0), '0');
    } else {
      text = text.padStart(w);
    }
  }
  return text;
}
