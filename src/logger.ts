/**
 * The library's only voice besides fit's progress display and summary(): warnings and notes go
 * through a replaceable logger, so an application decides where they end up.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`tensile: ${message}\n`),
  warn: (message) => process.stderr.write(`tensile warning: ${message}\n`),
};

let current: Logger =
  typeof process !== 'undefined' && process.stderr ? stderrLogger : silentLogger();

function silentLogger(): Logger {
  return { info: () => {}, warn: () => {} };
}

/** Replaces the library's logger; pass `null` to silence it. Returns the previous logger. */
export function setLogger(logger: Logger | null): Logger {
  const previous = current;
  current = logger ?? silentLogger();
  return previous;
}

export function getLogger(): Logger {
  return current;
}
