// AllowedPattern and Fn::MatchPattern evaluation. Patterns are user input, so they run on RE2JS, a linear-time engine:
// no pattern can stall the event loop the way `(a+)+b` does on a backtracking engine. ROS writes
// patterns in the Java dialect; RE2 accepts its escapes of any punctuation (`\&`, `\!`, `\@`,
// `\-`) inside and outside classes, its classes (`\d`, `\p{L}`, `[[:alpha:]]`) and `\Q...\E`;
// Java's POSIX names (`\p{Alpha}`) are translated (toRe2).
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

class UnsupportedSyntax extends Error {}

// Java's POSIX classes (`\p{Alpha}`, `\P{Digit}`) are RE2's `[[:alpha:]]` / `[[:^digit:]]`.
const JAVA_POSIX: Readonly<Record<string, string>> = {
  Lower: 'lower',
  Upper: 'upper',
  ASCII: 'ascii',
  Alpha: 'alpha',
  Digit: 'digit',
  Alnum: 'alnum',
  Punct: 'punct',
  Graph: 'graph',
  Print: 'print',
  Blank: 'blank',
  Cntrl: 'cntrl',
  XDigit: 'xdigit',
  Space: 'space',
};

// Rewrites the Java-only class names into RE2 syntax, tracking whether each sits inside a
// bracket expression (where the POSIX form needs no brackets of its own). Everything else is
// left to RE2, which reads the rest of the Java dialect as Java does.
export function toRe2(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && pattern[i + 1] === 'Q') {
      // Quoted text is literal up to \E (or the end).
      const end = pattern.indexOf('\\E', i + 2);
      const stop = end < 0 ? pattern.length : end + 2;
      out += pattern.slice(i, stop);
      i = stop - 1;
      continue;
    }
    if (c === '\\') {
      const posix = /^\\([pP])\{(\w+)\}/.exec(pattern.slice(i));
      const name = posix && Object.hasOwn(JAVA_POSIX, posix[2]!) ? JAVA_POSIX[posix[2]!] : undefined;
      if (posix && name) {
        const cls = `[:${posix[1] === 'P' ? '^' : ''}${name}:]`;
        out += inClass ? cls : `[${cls}]`;
        i += posix[0].length - 1;
        continue;
      }
      out += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (!inClass && c === '[') {
      inClass = true;
      // A `]` (or `^]`) right after the opening bracket is a member, not the end.
      const lead = /^\[\^?\]?/.exec(pattern.slice(i))![0];
      out += lead;
      i += lead.length - 1;
      continue;
    }
    if (inClass && c === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      if (end > 0) {
        out += pattern.slice(i, end + 2);
        i = end + 1;
        continue;
      }
    }
    // RE2 would read `&&` as two members: refused rather than matched with other semantics.
    if (inClass && c === '&' && pattern[i + 1] === '&') throw new UnsupportedSyntax('uses a class intersection (&&)');
    if (inClass && c === ']') inClass = false;
    out += c;
  }
  return out;
}

function whyInvalid(pattern: string): string {
  if (/\(\?<?[=!]/.test(pattern) || /\\[1-9]|\\k</.test(pattern)) {
    return 'uses lookaround or a backreference, which localros does not evaluate (its engine runs in linear time)';
  }
  return 'is not a valid regular expression';
}

// A pattern RE2 cannot run; the message completes `"<pattern>" …`.
export class PatternSyntaxError extends Error {}

// Compiles a Java-dialect pattern that must match the whole value, or throws PatternSyntaxError.
export function compileRegex(pattern: string): CompiledPattern {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(toRe2(pattern));
  } catch (err) {
    if (err instanceof UnsupportedSyntax) throw new PatternSyntaxError(`${err.message}, which localros does not evaluate`);
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    throw new PatternSyntaxError(whyInvalid(pattern));
  }
  const entry: CompiledPattern = { matches: (value) => re.matches(value) };
  compiled.set(pattern, entry);
  if (compiled.size > MAX_ENTRIES) compiled.delete(compiled.keys().next().value!);
  return entry;
}

// Throws InvalidSchema naming the parameter when its AllowedPattern cannot be compiled.
export function compilePattern(pattern: string, parameter: string): CompiledPattern {
  try {
    return compileRegex(pattern);
  } catch (err) {
    if (!(err instanceof PatternSyntaxError)) throw err;
    throw schemaError(`AllowedPattern "${pattern}" ${err.message} (parameter ${parameter})`);
  }
}
