// A Stryker ignore-plugin (`ignorers: ['log-calls']` in stryker.config.mjs): no mutant in a call
// on the server's logger (`log.error(...)`, `this.opts.log.warn(...)`, `cluster.log.info(...)`),
// nor the one that empties an arrow function whose whole body is such a call (a `.catch` handler
// that only logs). What a log line says is not part of what localros answers, so these mutants
// are equivalent by nature; every other equivalent mutant stays counted (docs/testing.md).
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const LEVELS = new Set(['error', 'warn', 'info', 'debug']);
const named = (node, name) => node.type === 'Identifier' && (name === undefined || node.name === name);
// `log`, or any `<expression>.log`.
const isLogger = (node) => named(node, 'log') || (node.type === 'MemberExpression' && !node.computed && named(node.property, 'log'));
const isLogCall = (node) =>
  node?.type === 'CallExpression' &&
  node.callee.type === 'MemberExpression' &&
  !node.callee.computed &&
  named(node.callee.property) &&
  LEVELS.has(node.callee.property.name) &&
  isLogger(node.callee.object);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-calls', {
    shouldIgnore(path) {
      if (isLogCall(path.node)) return 'a call on the logger: what a log line says is not behaviour';
      if (path.node.type === 'ArrowFunctionExpression' && isLogCall(path.node.body)) return 'a handler that only logs';
      return undefined;
    },
  }),
];
