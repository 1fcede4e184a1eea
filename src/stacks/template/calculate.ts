// Fn::Calculate ("Fn::Calculate" page): ["expression", ndigits, [number0, number1, ...]]. `{n}`
// stands for the n-th number; the result is a Number. Arithmetic is Python's, which ROS runs:
// integer division truncates towards minus infinity ("5/2=2" on the page), `%` takes the sign of
// the divisor, `//` and `**` exist; ndigits rounds the result only when floating-point numbers
// take part.
import { ApiError } from '../../protocol/errors.ts';
import { usageError } from './intrinsics.ts';
import type { JsonValue } from './types.ts';

const USAGE = '["expression", ndigits, [number1, number2, ...]]';

interface Num {
  value: number;
  float: boolean;
}

function failure(detail: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `"Fn::Calculate": ${detail}` });
}

const TOKEN = /\s*(\d+\.\d*|\.\d+|\d+|\*\*|\/\/|[-+*/%()])/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < expression.length) {
    if (expression.slice(at).trim() === '') break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(expression);
    if (!m) throw failure(`unexpected character "${expression.slice(at).trim()[0]}" in "${expression}"`);
    tokens.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

function floorDiv(a: Num, b: Num): Num {
  if (b.value === 0) throw failure('division by zero');
  return { value: Math.floor(a.value / b.value), float: a.float || b.float };
}

function binary(op: string, a: Num, b: Num): Num {
  const float = a.float || b.float;
  switch (op) {
    case '+':
      return { value: a.value + b.value, float };
    case '-':
      return { value: a.value - b.value, float };
    case '*':
      return { value: a.value * b.value, float };
    case '/':
      if (b.value === 0) throw failure('division by zero');
      return float ? { value: a.value / b.value, float } : floorDiv(a, b);
    case '//':
      return floorDiv(a, b);
    case '%':
      if (b.value === 0) throw failure('division by zero');
      return { value: a.value - b.value * Math.floor(a.value / b.value), float };
    default:
      return { value: a.value ** b.value, float: float || b.value < 0 };
  }
}

// expression := term (('+'|'-') term)*; term := unary (('*'|'/'|'//'|'%') unary)*;
// unary := ('+'|'-') unary | power; power := atom ('**' unary)?; atom := number | '(' expression ')'
class Parser {
  private at = 0;
  constructor(
    private readonly tokens: string[],
    private readonly source: string,
  ) {}

  parse(): Num {
    const result = this.expression();
    if (this.at < this.tokens.length) throw failure(`unexpected "${this.tokens[this.at]}" in "${this.source}"`);
    return result;
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private expression(): Num {
    let left = this.term();
    while (this.peek() === '+' || this.peek() === '-') left = binary(this.tokens[this.at++]!, left, this.term());
    return left;
  }

  private term(): Num {
    let left = this.unary();
    while (['*', '/', '//', '%'].includes(this.peek() ?? '')) left = binary(this.tokens[this.at++]!, left, this.unary());
    return left;
  }

  private unary(): Num {
    const op = this.peek();
    if (op === '-' || op === '+') {
      this.at++;
      const operand = this.unary();
      return op === '-' ? { value: -operand.value, float: operand.float } : operand;
    }
    return this.power();
  }

  private power(): Num {
    const base = this.atom();
    if (this.peek() !== '**') return base;
    this.at++;
    return binary('**', base, this.unary());
  }

  private atom(): Num {
    const token = this.tokens[this.at++];
    if (token === undefined) throw failure(`"${this.source}" ends unexpectedly`);
    if (token === '(') {
      const inner = this.expression();
      if (this.tokens[this.at++] !== ')') throw failure(`missing ")" in "${this.source}"`);
      return inner;
    }
    if (/^[\d.]/.test(token)) return { value: Number(token), float: token.includes('.') };
    throw failure(`unexpected "${token}" in "${this.source}"`);
  }
}

function numberLiteral(value: JsonValue, index: number): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw failure(`number ${index} (${JSON.stringify(value)}) is not a number`);
  // Parenthesised so that a negative number stays one operand.
  return n < 0 ? `(${n})` : String(typeof value === 'string' ? value.trim() : n);
}

export function calculate(args: JsonValue): JsonValue {
  if (!Array.isArray(args) || args.length < 2 || args.length > 3) throw usageError('Fn::Calculate', USAGE);
  const [expression, ndigits, numbers = []] = args as [JsonValue, JsonValue, JsonValue?];
  if (typeof expression !== 'string' || !Array.isArray(numbers)) throw usageError('Fn::Calculate', USAGE);
  if (typeof ndigits !== 'number' || !Number.isInteger(ndigits) || ndigits < 0) {
    throw failure(`ndigits must be 0 or a positive integer, got ${JSON.stringify(ndigits)}`);
  }
  const text = expression.replace(/\{(\d+)\}/g, (_, i: string) => {
    const index = Number(i);
    if (index >= numbers.length) throw failure(`{${index}} has no number (${numbers.length} given)`);
    return numberLiteral(numbers[index]!, index);
  });
  const result = new Parser(tokenize(text), expression).parse();
  if (!Number.isFinite(result.value)) throw failure(`"${expression}" has no finite result`);
  return result.float ? Number(result.value.toFixed(ndigits)) : result.value;
}
