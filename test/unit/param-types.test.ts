// Handlers read their parameters typed as the decoder makes them: the committed
// params.generated.ts is what the generator makes from the current definitions, and no handler
// under src/api casts a decoded parameter (`p.X as T`) or takes the untyped `Decoded` record.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { renderParamTypes } from '../../scripts/param-types/render.ts';
import { ACTION_PARAM_DEFS } from '../../src/api/action-params.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const API = join(root, 'src/api');
// The decoder itself works on the untyped record it builds.
const DECODER = join(API, 'decode.ts');
const PARAM_NAMES = new Set(['p', 'params']);

function apiFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return apiFiles(path);
    return e.name.endsWith('.ts') && path !== DECODER ? [path] : [];
  });
}

// Whether an expression reads the decoded parameters (`p`, `p.X`, `p.X ?? p.Y`, …).
function readsParams(node: ts.Node): boolean {
  if (ts.isIdentifier(node) && PARAM_NAMES.has(node.text)) {
    const parent = node.parent;
    return !(ts.isPropertyAccessExpression(parent) && parent.name === node);
  }
  return ts.forEachChild(node, (child) => (readsParams(child) ? true : undefined)) ?? false;
}

interface Finding {
  where: string;
  text: string;
}

function findings(source: string, file: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const found: Finding[] = [];
  const visit = (node: ts.Node) => {
    const cast = ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node);
    if (cast && !ts.isConstTypeReference(node.type) && readsParams(node.expression)) {
      found.push({ where: `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, text: node.getText() });
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Decoded') {
      found.push({ where: `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, text: node.getText() });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('typed action parameters', () => {
  it('params.generated.ts is what `npm run gen:param-types` makes of the definitions', () => {
    const committed = readFileSync(join(API, 'params.generated.ts'), 'utf8');
    assert.equal(committed, renderParamTypes(ACTION_PARAM_DEFS), 'stale: run npm run gen:param-types and commit the result');
  });

  it('finds a cast of a decoded parameter when there is one', () => {
    const sample = [
      'function a(p: P) { return p.X as string; }',
      'function b(p: P) { return (p.X ?? p.Y) as string; }',
      'function c(params: Decoded) { return resolve(params as Source); }',
      'function d(p: P) { return [p.X, 1] as const; }',
      'function e(q: Q) { return q.p as string; }',
    ].join('\n');
    assert.deepEqual(
      findings(sample, join(API, 'sample.ts')).map((f) => f.text),
      ['p.X as string', '(p.X ?? p.Y) as string', 'Decoded', 'params as Source'],
    );
  });

  it('no handler under src/api casts a decoded parameter or takes the untyped record', () => {
    const files = apiFiles(API);
    assert.ok(files.length > 20, 'src/api was read');
    assert.deepEqual(files.flatMap((f) => findings(readFileSync(f, 'utf8'), f)), []);
  });
});
