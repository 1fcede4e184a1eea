// Parameter values as the API carries them (ParameterKey / ParameterValue lists).
import type { Parameter } from '../../engine/types.ts';

// Effective values of an instance: group values overlaid by its overrides (semantics.md §10);
// template defaults fill the rest when the template resolves them.
export function effectiveParameters(group: Parameter[], overrides: Parameter[]): Parameter[] {
  const merged = new Map(group.map((p) => [p.ParameterKey, p.ParameterValue]));
  for (const o of overrides) merged.set(o.ParameterKey, o.ParameterValue);
  return [...merged].map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

export const givenValues = (parameters: readonly Parameter[]): Record<string, string> =>
  Object.fromEntries(parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
