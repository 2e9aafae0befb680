// Builds the wall board page into dist/board (or the folder given): one ES module and one style
// sheet bundled and minified by esbuild, index.html and the icon copied. Fails when the page's
// JavaScript grows past its budget (gzip), so a wall screen or a tablet loads it at once.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_KB = 80;
const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, '../../dist/board'));

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { board: join(here, 'src/main.ts') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  outdir: out,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'favicon.svg']) await copyFile(join(here, 'src', file), join(out, file));

const gzipKb = (file) => gzipSync(file, { level: 9 }).length / 1024;
const js = gzipKb(await readFile(join(out, 'board.js')));
const css = gzipKb(await readFile(join(out, 'board.css')));
console.log(`board page built in ${out}: board.js ${js.toFixed(1)} kB gzip, board.css ${css.toFixed(1)} kB gzip`);
if (js > BUDGET_KB) {
  console.error(`board.js is ${js.toFixed(1)} kB gzip, over its ${BUDGET_KB} kB budget`);
  process.exit(1);
}
