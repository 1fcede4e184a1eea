// Checks of the Parameters section itself (not of given values). Schema problems answer
// InvalidSchema with Heat's wording; a Default that breaks its own constraints fails template
// validation ("Reasons for template verification failure": "If the parameter definition contains
// a parameter restriction definition and a default value, the default value must also conform").
import { ApiError } from '../../protocol/errors.ts';
import { compilePattern } from './pattern.ts';
import { PARAMETER_TYPES, numericSetting, typedParameterValue } from './parameter-types.ts';
import { checkParameterFunctions } from './parameter-functions.ts';
import { isJsonObject, type JsonValue, type ParameterDef, type Template } from './types.ts';

const schemaError = (reason: string): ApiError => new ApiError('InvalidSchema', { reason });

function checkSettings(name: string, def: ParameterDef): void {
  if (def.AllowedValues !== undefined && !Array.isArray(def.AllowedValues)) {
    throw schemaError(`AllowedValues must be a list (parameter ${name})`);
  }
  if (def.AllowedPattern !== undefined) {
    if (typeof def.AllowedPattern !== 'string') throw schemaError(`AllowedPattern must be a string (parameter ${name})`);
    compilePattern(def.AllowedPattern, name);
  }
  for (const key of ['MinLength', 'MaxLength'] as const) {
    const value = def[key];
    if (value === undefined) continue;
    const n = numericSetting(value);
    if (n === undefined || !Number.isInteger(n) || n < 0) throw schemaError(`min/max length must be integral (parameter ${name} ${key})`);
  }
  for (const key of ['MinValue', 'MaxValue'] as const) {
    if (def[key] !== undefined && numericSetting(def[key]) === undefined) {
      throw schemaError(`min/max must be numeric (parameter ${name} ${key})`);
    }
  }
  const noEcho: JsonValue | undefined = def.NoEcho;
  if (noEcho !== undefined && typeof noEcho !== 'boolean' && !(typeof noEcho === 'string' && /^(true|false)$/i.test(noEcho))) {
    throw schemaError(`NoEcho must be a boolean (parameter ${name})`);
  }
}

export function validateParameterDefinitions(template: Template): void {
  for (const [name, def] of Object.entries(template.Parameters)) {
    if (!isJsonObject(def)) throw schemaError(`The definition of parameter ${name} must be an object`);
    if (def.Type === undefined) throw schemaError(`Missing parameter type for parameter: ${name}`);
    if (typeof def.Type !== 'string' || !PARAMETER_TYPES.has(def.Type)) {
      throw schemaError(`Invalid type (${JSON.stringify(def.Type)}) of parameter ${name}`);
    }
    checkSettings(name, def);
    checkParameterFunctions(template, name, def);
    if (def.Default !== undefined) {
      try {
        typedParameterValue(name, def, def.Default);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'StackValidationFailed') {
          throw new ApiError('InvalidTemplate', { reason: `The default value is invalid. ${err.args.reason}` });
        }
        throw err;
      }
    }
  }
}
