// Simulated ids are derived from their seed (stack id + logical id), so a stack keeps its
// physical ids whatever version of localros deployed it: these values were computed by the
// implementation before the digest handling was rewritten (issue 17), and must never change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededDigits, seededInt, seededName, seededString, seededUuid } from '../../src/stacks/template/ids.ts';

describe('seeded ids', () => {
  it('derive the same values from the same seed as before', () => {
    assert.equal(seededString('s5', 6), 'fbrf8a');
    // Longer than one SHA-256 digest: the second block continues the first.
    assert.equal(seededString('s69', 70), 'pemf58yswous4mwe6qxwckcl16va1u6cl9bi5if5ytbywbphcrly81pvag0cqwq0hd7m51');
    assert.equal(seededUuid('u1'), '212747ae-f1a4-48b8-af1e-3c57a2327bf4');
    assert.equal(seededDigits('d2', 19), '2223427164351215845');
    assert.equal(seededInt('n3', 1, 100), 61);
  });

  it('write names and UUIDs as the joined values they replace', () => {
    for (let i = 0; i < 200; i++) {
      const hex = seededString(`u${i}`, 32, '0123456789abcdef');
      assert.equal(seededUuid(`u${i}`), `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`);
      assert.equal(seededName('vpc', `n${i}`, 20), `vpc-${seededString(`n${i}`, 20)}`);
    }
    // Longer than the scratch buffer.
    const prefix = 'P'.repeat(300);
    assert.equal(seededName(prefix, 'n', 40), `${prefix}-${seededString('n', 40)}`);
  });

  it('answer the empty string for no characters', () => {
    assert.equal(seededString('s', 0), '');
  });

  it('take their characters from a printable ASCII alphabet only', () => {
    assert.equal(seededString('s5', 300, 'ab'), seededString('s5', 300, 'ab'));
    assert.match(seededString('s5', 300, 'ab'), /^[ab]{300}$/);
    assert.throws(() => seededString('s', 3, 'äö'), RangeError);
  });
});
