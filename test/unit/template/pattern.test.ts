import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/protocol/errors.ts';
import { compilePattern, toRe2 } from '../../../src/stacks/template/pattern.ts';

const matches = (pattern: string, value: string) => compilePattern(pattern, 'P').matches(value);

describe('AllowedPattern (Java dialect, linear time)', () => {
  it('matches the whole value', () => {
    assert.equal(matches('[a-z]+', 'abc'), true);
    assert.equal(matches('[a-z]+', 'abc1'), false);
    assert.equal(matches('a|b', 'ab'), false);
  });

  it('accepts escaped punctuation inside and outside classes', () => {
    assert.equal(matches('[\\w\\&\\!\\@\\-]+', 'a&!@-'), true);
    assert.equal(matches('\\&\\!\\@\\-', '&!@-'), true);
  });

  it("translates Java's POSIX classes, not inside \\Q...\\E", () => {
    assert.equal(toRe2('\\p{Alpha}[\\p{Digit}_]\\P{Upper}'), '[[:alpha:]][[:digit:]_][[:^upper:]]');
    assert.equal(toRe2('[]\\p{Lower}]'), '[][:lower:]]');
    assert.equal(toRe2('\\Q\\p{Alpha}\\E'), '\\Q\\p{Alpha}\\E');
    assert.equal(matches('\\p{Upper}\\p{Lower}+', 'Abc'), true);
  });

  it('answers a catastrophic pattern without backtracking', () => {
    assert.equal(matches('(a+)+b', 'a'.repeat(100_000)), false);
  });

  it('refuses what a linear engine cannot evaluate, and broken patterns', () => {
    const reason = (pattern: string) => {
      try {
        compilePattern(pattern, 'P');
      } catch (e) {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, 'InvalidSchema');
        return e.message;
      }
      throw new Error('compiled');
    };
    assert.match(reason('(a)\\1'), /lookaround or a backreference/);
    assert.match(reason('(?=a)a'), /lookaround or a backreference/);
    assert.match(reason('[a-z&&[^b]]'), /class intersection \(&&\), which localros does not evaluate \(parameter P\)/);
    assert.equal(matches('[&]+', '&&'), true);
    assert.match(reason('[a-'), /AllowedPattern "\[a-" is not a valid regular expression \(parameter P\)/);
  });
});
