// Builds the native backend (binding.gyp) during `npm install` / `npm ci`, from this package's
// own sources, with the node-gyp that ships with npm and the Node headers already on the machine.
// It never fails the install: without a compiler (or with TENSILE_SKIP_NATIVE=1) it prints why
// and exits 0, and the library runs on its TypeScript backend.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function note(message) {
  process.stderr.write(`tensile: ${message}\n`);
}

/** node-gyp: npm tells scripts where its own copy is; else look beside npm, else PATH. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    join(
      dirname(process.execPath),
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  for (const c of candidates) {
    if (c && existsSync(c)) return [process.execPath, c];
  }
  return ['node-gyp'];
}

/** Node's own headers when installed (a distro or official tarball): no download needed. */
function nodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function main() {
  if (process.env.TENSILE_SKIP_NATIVE === '1') {
    note('TENSILE_SKIP_NATIVE=1: not building the native backend; using the TypeScript backend.');
    return;
  }
  if (!existsSync(join(root, 'binding.gyp'))) return;
  const [cmd, ...pre] = findNodeGyp();
  const args = [...pre, 'rebuild', `--jobs=${Math.max(1, availableParallelism())}`];
  const dir = nodeDir();
  if (dir !== null) args.push(`--nodedir=${dir}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: process.env });
  if (result.status === 0) {
    note(`built the native backend in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
    .trim()
    .split('\n')
    .slice(-15)
    .join('\n');
  note(
    'could not build the native backend, so Tensile will run on its (slower) TypeScript backend.\n' +
      'To build it, install a C++17 compiler, make and python3, then run `npm rebuild tensile`.\n' +
      (result.error ? `${result.error.message}\n` : output),
  );
}

try {
  main();
} catch (err) {
  note(`native build skipped: ${err instanceof Error ? err.message : String(err)}`);
}
process.exit(0);
