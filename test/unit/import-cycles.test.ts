// The layers of src/ import one way: no module reaches itself through its imports (type-only
// imports included, as they tie the modules' vocabularies together just the same), and the
// edges around the clients follow docs/architecture.md.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'assets' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
    graph.set(
      file,
      importedFiles.map((i) => i.fileName).filter((name) => name.startsWith('.')).map((name) => resolve(dirname(file), name)),
    );
  }
  return graph;
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w.slice(SRC.length + 1));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

// Folders of src/ and the only folders each may import from (besides itself); folders not listed
// are checked for cycles only.
const ALLOWED: Record<string, string[]> = {
  // The HTTP clients of a server, shared by the CLI and the testing library: no server code.
  client: ['domain'],
  // A client of the server, besides `serve`, which starts one.
  cli: ['client', 'domain', 'config', 'engine', 'server.ts', 'startup-error.ts'],
};

function layerOf(file: string): string {
  return file.slice(SRC.length + 1).split('/')[0];
}

function forbiddenEdges(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const allowed = ALLOWED[layerOf(from)];
    if (!allowed) continue;
    for (const to of targets) {
      const layer = layerOf(to);
      if (layer !== layerOf(from) && !allowed.includes(layer)) found.push(`${from.slice(SRC.length + 1)} → ${to.slice(SRC.length + 1)}`);
    }
  }
  return found;
}

describe('imports', () => {
  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['/a', ['/b']],
      ['/b', ['/c']],
      ['/c', ['/a']],
      ['/d', ['/a']],
    ]);
    assert.equal(cycles(graph).length, 1);
  });

  it('src/ has no import cycles', () => {
    const graph = importGraph(sourceFiles(SRC));
    assert.ok(graph.size > 100, 'the source tree was read');
    assert.deepEqual(cycles(graph), []);
  });

  it('finds an edge that crosses the layers', () => {
    const graph = new Map([
      [`${SRC}/cli/a.ts`, [`${SRC}/testing/b.ts`, `${SRC}/client/c.ts`]],
      [`${SRC}/client/c.ts`, [`${SRC}/domain/d.ts`]],
    ]);
    assert.deepEqual(forbiddenEdges(graph), ['cli/a.ts → testing/b.ts']);
  });

  it('client/ uses no server code, and the CLI reaches the server only through client/, not the testing library', () => {
    const graph = importGraph(sourceFiles(SRC));
    assert.ok([...graph.keys()].some((f) => layerOf(f) === 'client'), 'src/client was read');
    assert.deepEqual(forbiddenEdges(graph), []);
  });
});
