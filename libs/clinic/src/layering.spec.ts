import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The clinical domains form a layered graph: a folder of libs/clinic/src imports only folders below
 * it, through their index.ts. This reads every import of every domain file (tests included) and
 * fails on a cycle, naming it, and on an import into another folder's internals.
 */

const root = dirname(fileURLToPath(import.meta.url));
const folders = readdirSync(root).filter((f) => statSync(join(root, f)).isDirectory());

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? filesOf(path) : f.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  file: string;
  target: string;
  specifier: string;
}

function importsOf(folder: string): Import[] {
  const found: Import[] = [];
  for (const file of filesOf(join(root, folder))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
      const specifier = m[1] ?? m[2];
      if (!specifier.startsWith('.')) continue;
      const resolved = relative(root, join(dirname(file), specifier));
      const target = resolved.split('/')[0];
      if (target !== folder && folders.includes(target)) found.push({ file: relative(root, file), target, specifier: resolved });
    }
  }
  return found;
}

const graph = new Map(folders.map((f) => [f, importsOf(f)]));

/** A cycle through `start`'s imports, as the list of folders, or null. */
function cycleFrom(start: string): string[] | null {
  const path: string[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (f: string): string[] | null => {
    if (visiting.has(f)) return [...path.slice(path.indexOf(f)), f];
    if (done.has(f)) return null;
    visiting.add(f);
    path.push(f);
    for (const t of new Set((graph.get(f) ?? []).map((i) => i.target))) {
      const cycle = visit(t);
      if (cycle) return cycle;
    }
    path.pop();
    visiting.delete(f);
    done.add(f);
    return null;
  };
  return visit(start);
}

describe('clinical domain layering', () => {
  it('reads the domain folders', () => {
    expect(folders).toEqual(expect.arrayContaining(['events', 'patients', 'sessions', 'vitals', 'scheduling']));
  });

  it.each(folders)('%s is part of no import cycle', (folder) => {
    expect(cycleFrom(folder)).toBeNull();
  });

  it.each(folders)('%s imports other folders only through their index.ts', (folder) => {
    const deep = (graph.get(folder) ?? [])
      .filter((i) => !/^[a-z0-9-]+\/index\.js$/.test(i.specifier))
      .map((i) => `${i.file} → ${i.specifier}`);
    expect(deep).toEqual([]);
  });

  it('the events catalogue depends on no domain', () => {
    expect(graph.get('events')).toEqual([]);
  });
});
