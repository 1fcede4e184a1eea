// Property-based checks of invariants that tables cannot cover well.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { topologicalLevels, type Graph } from '../../../src/stacks/template/graph.ts';
import { canonicalJson } from '../../../src/stacks/template/json.ts';
import { parseTemplate } from '../../../src/stacks/template/parse.ts';
import { resolveParameters } from '../../../src/stacks/template/parameters.ts';
import type { JsonObject, JsonValue } from '../../../src/stacks/template/types.ts';
import { PSEUDO, evalIn, template } from './helpers.ts';

const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;

describe('properties', () => {
  it('canonicalJson ignores key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 6 }), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        return canonicalJson(obj as JsonObject) === canonicalJson(reversed as JsonObject);
      }),
    );
  });

  it('Fn::Select "start:stop" equals Array.prototype.slice and "::-1" reverses', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 8 }), fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 10 }), (items, start, stop) => {
        assert.deepEqual(evalIn({ 'Fn::Select': [`${start}:${stop}`, items] }), items.slice(start, stop));
        assert.deepEqual(evalIn({ 'Fn::Select': ['::-1', items] }), [...items].reverse());
      }),
    );
  });

  it('Fn::Join undoes Fn::Split', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (text, delimiter) => {
        const expr = { 'Fn::Join': [delimiter, { 'Fn::Split': [delimiter, text] }] };
        return evalIn(expr) === text;
      }),
    );
  });

  it('Fn::Base64Decode undoes Fn::Base64Encode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => evalIn({ 'Fn::Base64Decode': { 'Fn::Base64Encode': text } }) === text));
  });

  it('Fn::Sub leaves text without variables unchanged and unescapes ${!X}', () => {
    const plain = fc.string().filter((s) => !s.includes('${'));
    fc.assert(
      fc.property(plain, fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/), (text, name) => {
        assert.equal(evalIn({ 'Fn::Sub': text }), text);
        assert.equal(evalIn({ 'Fn::Sub': `${text}\${!${name}}` }), `${text}\${${name}}`);
      }),
    );
  });

  it('a CommaDelimitedList parameter gives back its items', () => {
    const t = template({ Parameters: { L: { Type: 'CommaDelimitedList' } } });
    const item = fc.stringMatching(/^[a-z0-9.-]{1,10}$/);
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (items) => {
        assert.deepEqual(resolveParameters(t, { L: items.join(', ') }, PSEUDO).values.L, items);
      }),
    );
  });

  it('JSON and YAML bodies of the same template parse alike', () => {
    // "<<" is a YAML merge key, as in the PyYAML loader ROS uses, so it is no ordinary key there.
    const key = fc.string({ minLength: 1 }).filter((k) => k !== '<<');
    const value = json.filter((v) => !JSON.stringify(v).includes('"<<"'));
    fc.assert(
      fc.property(fc.dictionary(key, fc.dictionary(key, value, { maxKeys: 3 }), { maxKeys: 3 }), (mappings) => {
        const doc = { ROSTemplateFormatVersion: '2015-09-01', Mappings: mappings, Description: 'x' };
        // Compared as JSON text: JSON has no -0, so the JSON body reads it back as 0.
        const asJson = (text: string) => canonicalJson(parseTemplate(text) as unknown as JsonValue);
        assert.equal(asJson(stringify(doc)), asJson(JSON.stringify(doc)));
      }),
    );
  });

  it('keeps "__proto__" keys as ordinary properties', () => {
    const value = evalIn(JSON.parse('{"__proto__": {"a": 1}, "b": {"Fn::MergeMapToList": [{"__proto__": [1]}]}}') as JsonValue);
    assert.deepEqual(Object.keys(value as JsonObject), ['__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(JSON.parse(JSON.stringify(value)), JSON.parse('{"__proto__": {"a": 1}, "b": [{"__proto__": 1}]}'));
  });

  it('topological levels put every dependency in an earlier level', () => {
    const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
    );
    fc.assert(
      fc.property(dag, (edges) => {
        // Only edges to lower-numbered nodes, so the graph is acyclic.
        const graph: Graph = new Map(edges.map((targets, i) => [`n${i}`, new Set(targets.filter((t) => t < i).map((t) => `n${t}`))]));
        const levels = topologicalLevels(graph);
        const levelOf = new Map(levels.flatMap((level, i) => level.map((node) => [node, i] as const)));
        assert.equal(levelOf.size, graph.size);
        for (const [node, deps] of graph) for (const dep of deps) assert.ok(levelOf.get(dep)! < levelOf.get(node)!);
      }),
    );
  });
});
