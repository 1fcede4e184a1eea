// Parameter types, value conversion and constraints ("Parameters" page of the ROS template
// reference). Constraint messages are those of OpenStack Heat's engine/constraints.py, from which
// ROS's template engine and its error codes (StackValidationFailed, UserParameterMissing, ...)
// descend; with a ConstraintDescription that text replaces the message, as in Heat.
import { ApiError } from '../../protocol/errors.ts';
import { compilePattern } from './pattern.ts';
import { deepEqual, nestedDeeperThan, plainText, sentence, stringifyValue } from './json.ts';
import { MAX_NESTING_DEPTH } from './parse.ts';
import { isJsonObject, type JsonValue, type ParameterDef } from './types.ts';

export const PARAMETER_TYPES: ReadonlySet<string> = new Set([
  'String',
  'Number',
  'CommaDelimitedList',
  'Json',
  'Boolean',
  'ALIYUN::OOS::Parameter::Value',
  'ALIYUN::OOS::SecretParameter::Value',
]);

const isOosType = (type: string): boolean => type.startsWith('ALIYUN::OOS::');
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export function parameterError(name: string, reason: string): ApiError {
  return new ApiError('StackValidationFailed', { reason: `Parameter '${name}' is invalid: ${reason}` });
}

export function isNoEcho(def: ParameterDef): boolean {
  return def.NoEcho === true || (typeof def.NoEcho === 'string' && def.NoEcho.toLowerCase() === 'true');
}

export function numericSetting(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value);
  return undefined;
}

// Converts a given or default value to the parameter's type. The result is what Ref returns:
// Number -> number, CommaDelimitedList -> string[], Json -> parsed JSON, Boolean -> boolean.
export function convertParameter(name: string, def: ParameterDef, raw: JsonValue): JsonValue {
  switch (def.Type) {
    case 'Number': {
      const n = numericSetting(raw);
      if (n === undefined) throw parameterError(name, `Value "${stringifyValue(raw)}" is not a number`);
      return n;
    }
    case 'CommaDelimitedList':
      if (Array.isArray(raw)) return raw.map(stringifyValue);
      if (typeof raw !== 'string') throw parameterError(name, `Value "${stringifyValue(raw)}" is not a comma delimited list`);
      // "80, foo, bar" is three values ("Parameters" page), so blanks around commas are dropped.
      return raw.trim() === '' ? [] : raw.split(',').map((item) => item.trim());
    case 'Json': {
      let value = raw;
      if (typeof raw === 'string') {
        try {
          value = JSON.parse(raw) as JsonValue;
        } catch {
          throw parameterError(name, `Value "${raw}" is not a valid JSON string`);
        }
      }
      if (nestedDeeperThan(value, MAX_NESTING_DEPTH)) throw parameterError(name, `Value is nested more than ${MAX_NESTING_DEPTH} levels deep`);
      return value;
    }
    case 'Boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
      throw parameterError(name, `Value "${stringifyValue(raw)}" is not a boolean (true or false)`);
    default:
      if (isJsonObject(raw) || Array.isArray(raw)) throw parameterError(name, `Value ${JSON.stringify(raw)} is not a string`);
      return stringifyValue(raw);
  }
}

const bound = (value: JsonValue | undefined): string => (value === undefined ? 'None' : String(value));

function violation(name: string, def: ParameterDef, value: JsonValue): string | undefined {
  const allowed = def.AllowedValues;
  if (Array.isArray(allowed)) {
    // A CommaDelimitedList is checked item by item; a Json value as a whole.
    const members = def.Type === 'CommaDelimitedList' && Array.isArray(value) ? value : [value];
    const bad = members.find(
      (member) =>
        !allowed.some((candidate) => {
          if (def.Type === 'Number') return numericSetting(candidate) === member;
          if (def.Type === 'Boolean') return stringifyValue(candidate).toLowerCase() === String(member);
          if (def.Type === 'Json') return deepEqual(candidate, member);
          return stringifyValue(candidate) === member;
        }),
    );
    if (bad !== undefined) return `"${stringifyValue(bad)}" is not an allowed value [${allowed.map(stringifyValue).join(', ')}]`;
  }
  // AllowedPattern must match the whole value and does not apply to the OOS types ("Parameters" page).
  if (typeof def.AllowedPattern === 'string' && !isOosType(def.Type) && (def.Type === 'String' || def.Type === 'CommaDelimitedList')) {
    const pattern = compilePattern(def.AllowedPattern, name);
    const bad = (Array.isArray(value) ? value : [value]).find((member) => !pattern.matches(String(member)));
    if (bad !== undefined) return `"${stringifyValue(bad)}" does not match pattern "${def.AllowedPattern}"`;
  }
  if (typeof value === 'string' && def.Type !== 'Json') {
    const length = [...value].length;
    const min = numericSetting(def.MinLength);
    const max = numericSetting(def.MaxLength);
    if ((min !== undefined && length < min) || (max !== undefined && length > max)) {
      return `length (${length}) is out of range (min: ${bound(min)}, max: ${bound(max)})`;
    }
  }
  if (typeof value === 'number' && def.Type === 'Number') {
    const min = numericSetting(def.MinValue);
    const max = numericSetting(def.MaxValue);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      return `${value} is out of range (min: ${bound(min)}, max: ${bound(max)})`;
    }
  }
  return undefined;
}

export function checkConstraints(name: string, def: ParameterDef, value: JsonValue): void {
  const problem = violation(name, def, value);
  const description = plainText(def.ConstraintDescription);
  if (problem !== undefined) throw parameterError(name, description === undefined ? problem : sentence(description));
}

// `Default: null` "indicates that this parameter is an empty string and the parameter
// verification is skipped" ("Parameters" page).
export function typedParameterValue(name: string, def: ParameterDef, raw: JsonValue): JsonValue {
  if (raw === null) return def.Type === 'CommaDelimitedList' ? [] : def.Type === 'Json' || def.Type === 'Number' || def.Type === 'Boolean' ? null : '';
  const value = convertParameter(name, def, raw);
  checkConstraints(name, def, value);
  return value;
}
