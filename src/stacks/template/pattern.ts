// AllowedPattern evaluation. Patterns are user input, so they run on RE2JS, a linear-time engine:
// no pattern can stall the event loop the way `(a+)+b` does on a backtracking engine. ROS writes
// patterns in the Java dialect; RE2 accepts its escapes of any punctuation (`\&`, `\!`, `\@`,
// `\-`) inside and outside classes, its classes (`\d`, `\p{L}`, `[[:alpha:]]`) and `\Q...\E`.
// Backreferences and lookaround need backtracking and are refused (docs/fidelity.md).
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { ApiError } from '../../protocol/errors.ts';

export interface CompiledPattern {
  // True when the whole value matches.
  matches(value: string): boolean;
}

// Compiled patterns by source: every target of an operation checks the same template's
// patterns, so each is compiled once. A template holds at most a few hundred parameters.
const MAX_ENTRIES = 512;
const compiled = new Map<string, CompiledPattern>();

const schemaError = (reason: string): ApiError => new ApiError('InvalidSchema', { reason });

function whyInvalid(pattern: string): string {
  if (/\(\?<?[=!]/.test(pattern) || /\\[1-9]|\\k</.test(pattern)) {
    return 'uses lookaround or a backreference, which localros does not evaluate (its engine runs in linear time)';
  }
  return 'is not a valid regular expression';
}

// Throws InvalidSchema naming the parameter when the pattern cannot be compiled.
export function compilePattern(pattern: string, parameter: string): CompiledPattern {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    throw schemaError(`AllowedPattern "${pattern}" ${whyInvalid(pattern)} (parameter ${parameter})`);
  }
  const entry: CompiledPattern = { matches: (value) => re.matches(value) };
  compiled.set(pattern, entry);
  if (compiled.size > MAX_ENTRIES) compiled.delete(compiled.keys().next().value!);
  return entry;
}
