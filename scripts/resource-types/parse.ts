// Reads one ROS CDK `*.generated.js` (and its `.d.ts` for attribute descriptions) with the
// TypeScript parser and returns the resource types it defines. In those files each type is a
// class `RosX` with `RosX.ROS_RESOURCE_TYPE_NAME = "ALIYUN::…"`; its constructor lists the
// attributes (`this.attrA = this.getAtt('A')`); `renderProperties` calls `rosXPropsToRosTemplate`,
// whose returned object maps each ROS property name to a mapper over the camel-case prop
// (stringToRosTemplate, listMapper(...), a struct's own ...ToRosTemplate function, ...); the
// validator that function asserts (`RosXPropsValidator`) carries requiredValidator,
// validateAllowedValues, validateRange, validateLength and validateAllowedPattern per prop.
import ts from 'typescript';
import type { AttributeKind, AttributeSchema, PropertySchema, ResourceTypeSchema } from '../../src/stacks/resource-types/schema.ts';

type Constraints = Omit<PropertySchema, 'type' | 'items' | 'properties'>;

interface Module {
  functions: Map<string, ts.FunctionDeclaration>;
  classes: Map<string, ts.ClassDeclaration>;
  typeNames: Map<string, string>;
}

function readModule(source: ts.SourceFile): Module {
  const module: Module = { functions: new Map(), classes: new Map(), typeNames: new Map() };
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) module.functions.set(statement.name.text, statement);
    else if (ts.isClassDeclaration(statement) && statement.name) module.classes.set(statement.name.text, statement);
    else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const { left, right } = statement.expression;
      if (
        ts.isPropertyAccessExpression(left) &&
        left.name.text === 'ROS_RESOURCE_TYPE_NAME' &&
        ts.isIdentifier(left.expression) &&
        ts.isStringLiteral(right)
      ) {
        module.typeNames.set(left.expression.text, right.text);
      }
    }
  }
  return module;
}

function visit(node: ts.Node, fn: (node: ts.Node) => void): void {
  fn(node);
  node.forEachChild((child) => visit(child, fn));
}

const rosMember = (node: ts.Node): string | undefined =>
  ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'ros' ? node.name.text : undefined;

function literal(node: ts.Expression): string | number | boolean | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return -Number(node.operand.text);
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

function objectField(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

// Constraints per camel-case prop name, from `errors.collect(ros.propertyValidator('x', V)(arg))`.
function readValidator(fn: ts.FunctionDeclaration | undefined): Map<string, Constraints> {
  const out = new Map<string, Constraints>();
  if (!fn?.body) return out;
  visit(fn.body, (node) => {
    if (!ts.isCallExpression(node) || !ts.isCallExpression(node.expression)) return;
    const inner = node.expression;
    if (rosMember(inner.expression) !== 'propertyValidator' || inner.arguments.length !== 2) return;
    const [nameArg, validator] = inner.arguments as unknown as [ts.Expression, ts.Expression];
    if (!ts.isStringLiteral(nameArg)) return;
    const c = out.get(nameArg.text) ?? {};
    out.set(nameArg.text, c);
    const kind = rosMember(validator);
    const arg = node.arguments[0];
    const obj = arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
    const num = (field: string): number | undefined => {
      const e = obj && objectField(obj, field);
      const v = e ? literal(e) : undefined;
      return typeof v === 'number' ? v : undefined;
    };
    if (kind === 'requiredValidator') c.required = true;
    else if (kind === 'validateAllowedValues' && obj) {
      const list = objectField(obj, 'allowedValues');
      if (list && ts.isArrayLiteralExpression(list)) {
        const values = list.elements.map((e) => literal(e));
        if (values.every((v) => v !== undefined)) c.allowed = values as (string | number | boolean)[];
      }
    } else if (kind === 'validateRange') {
      const [min, max] = [num('min'), num('max')];
      if (min !== undefined) c.min = min;
      if (max !== undefined) c.max = max;
    } else if (kind === 'validateLength') {
      const [min, max] = [num('min'), num('max')];
      if (min !== undefined) c.minLength = min;
      if (max !== undefined) c.maxLength = max;
    } else if (kind === 'validateAllowedPattern' && obj) {
      const reg = objectField(obj, 'reg');
      if (reg && ts.isRegularExpressionLiteral(reg)) c.pattern = reg.text.slice(1, reg.text.lastIndexOf('/'));
    }
  });
  return out;
}

// The validator a ...ToRosTemplate function asserts: `RosXPropsValidator(properties).assertSuccess()`.
function assertedValidator(fn: ts.FunctionDeclaration): string | undefined {
  let name: string | undefined;
  visit(fn, (node) => {
    if (name || !ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return;
    if (node.expression.text.endsWith('Validator')) name = node.expression.text;
  });
  return name;
}

const TAG: PropertySchema = {
  type: 'object',
  properties: { Key: { type: 'string', required: true }, Value: { type: 'string' } },
};

class Reader {
  constructor(
    private readonly module: Module,
    private readonly where: string,
  ) {}

  // Schema of the value a mapper expression renders.
  mapper(expr: ts.Expression, depth: number): PropertySchema {
    const member = rosMember(expr);
    switch (member) {
      case 'stringToRosTemplate':
      case 'dateToRosTemplate':
        return { type: 'string' };
      case 'numberToRosTemplate':
        return { type: 'number' };
      case 'booleanToRosTemplate':
        return { type: 'boolean' };
      case 'objectToRosTemplate':
        return { type: 'any' };
      case 'anyDictToRosTemplate':
        return { type: 'map', items: { type: 'any' } };
      case 'rosTagToRosTemplate':
        return structuredClone(TAG);
      case undefined:
        break;
      default:
        throw new Error(`${this.where}: unknown mapper ros.${member}`);
    }
    if (ts.isCallExpression(expr) && expr.arguments.length === 1) {
      const kind = rosMember(expr.expression);
      if (kind === 'listMapper') return { type: 'list', items: this.mapper(expr.arguments[0]!, depth) };
      if (kind === 'hashMapper') return { type: 'map', items: this.mapper(expr.arguments[0]!, depth) };
    }
    if (ts.isIdentifier(expr)) {
      const fn = this.module.functions.get(expr.text);
      if (!fn) throw new Error(`${this.where}: no function ${expr.text}`);
      if (depth > 12) return { type: 'object' };
      return { type: 'object', properties: this.template(fn, depth + 1) };
    }
    throw new Error(`${this.where}: unreadable mapper ${expr.getText()}`);
  }

  // ROS property name → schema, from a ...ToRosTemplate function.
  template(fn: ts.FunctionDeclaration, depth: number): Record<string, PropertySchema> {
    const validator = assertedValidator(fn);
    const constraints = readValidator(validator ? this.module.functions.get(validator) : undefined);
    let returned: ts.ObjectLiteralExpression | undefined;
    visit(fn.body!, (node) => {
      if (ts.isReturnStatement(node) && node.expression && ts.isObjectLiteralExpression(node.expression)) returned = node.expression;
    });
    const out: Record<string, PropertySchema> = {};
    for (const p of returned?.properties ?? []) {
      if (!ts.isPropertyAssignment(p) || !(ts.isStringLiteral(p.name) || ts.isIdentifier(p.name))) continue;
      const call = p.initializer;
      if (!ts.isCallExpression(call) || call.arguments.length !== 1) throw new Error(`${this.where}: unreadable property ${p.getText()}`);
      const arg = call.arguments[0]!;
      const camel = ts.isPropertyAccessExpression(arg) ? arg.name.text : undefined;
      const schema = this.mapper(call.expression, depth);
      const c = camel ? constraints.get(camel) : undefined;
      out[p.name.text] = c ? { ...schema, ...c } : schema;
    }
    return out;
  }

  attributes(cls: ts.ClassDeclaration): string[] {
    const names: string[] = [];
    visit(cls, (node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'getAtt' &&
        node.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        names.push(node.arguments[0].text);
      }
    });
    return names;
  }

  renderFunction(cls: ts.ClassDeclaration): ts.FunctionDeclaration | undefined {
    const method = cls.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'renderProperties');
    let name: string | undefined;
    if (method) {
      visit(method, (node) => {
        if (!name && ts.isCallExpression(node) && ts.isIdentifier(node.expression)) name = node.expression.text;
      });
    }
    return name ? this.module.functions.get(name) : undefined;
  }
}

// "@Attribute Name: description" comments of the declarations file, per class.
function attributeDescriptions(dts: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of dts.split('\n')) {
    const cls = /^export declare class (\w+)/.exec(line);
    if (cls) {
      current = new Map();
      out.set(cls[1]!, current);
      continue;
    }
    const attr = /@Attribute (\w+):\s*(.*)$/.exec(line);
    if (attr && current) current.set(attr[1]!, attr[2]!.trim());
  }
  return out;
}

// The catalogue's attribute shape, from the attribute's name and description. The CDK types
// every attribute as IResolvable, so the kind is inferred: [INF] in docs/fidelity.md.
export function attributeKind(name: string, description: string): AttributeKind {
  const text = description.toLowerCase();
  if (/\b(list|array)\b/.test(text) || /(Ids|Ips|Addresses|List|Names)$/.test(name)) return 'list';
  if (/^(Outputs|Headers|Data|ErrorData)$/.test(name)) return 'map';
  if (/\b(dict|map|json)\b/.test(text) && !/\bjson (format(ted)? )?string\b/.test(text)) return 'map';
  if (/^the (total )?number of\b|\bcount\b/.test(text) || /(Count|Number|Port|Amount|Capacity)$/.test(name)) return 'number';
  return 'string';
}

// First sentence of a description, so that the data stays small.
const brief = (text: string): string => {
  const end = text.search(/\.(\s|$)/);
  return (end >= 0 ? text.slice(0, end + 1) : text).slice(0, 240);
};

export function parseGenerated(service: string, js: string, dts: string, where: string): Record<string, ResourceTypeSchema> {
  const source = ts.createSourceFile(where, js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const module = readModule(source);
  const descriptions = attributeDescriptions(dts);
  const reader = new Reader(module, where);
  const out: Record<string, ResourceTypeSchema> = {};
  for (const [className, typeName] of module.typeNames) {
    const cls = module.classes.get(className);
    if (!cls) throw new Error(`${where}: no class ${className} for ${typeName}`);
    const render = reader.renderFunction(cls);
    if (!render) throw new Error(`${where}: no renderProperties in ${className}`);
    const attributes: Record<string, AttributeSchema> = {};
    for (const name of reader.attributes(cls)) {
      const description = descriptions.get(className)?.get(name) ?? '';
      attributes[name] = { type: attributeKind(name, description), ...(description ? { description: brief(description) } : {}) };
    }
    out[typeName] = { service, properties: reader.template(render, 0), attributes };
  }
  return out;
}
