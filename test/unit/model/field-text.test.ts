// fieldText: the text a message or key shows for a field whose shape is not yet validated.
import { describe, expect, it } from 'vitest';
import { fieldText } from '../../../src/model/field-text.ts';

describe('fieldText', () => {
  it('shows scalars as Go would, and nothing for an absent field', () => {
    expect([fieldText('web'), fieldText(5), fieldText(false), fieldText(2n ** 64n), fieldText(undefined), fieldText(null)]).toEqual([
      'web',
      '5',
      'false',
      '18446744073709551616',
      '',
      '',
    ]);
  });
  it('never shows an object as [object Object]: two different objects stay different', () => {
    expect(fieldText({ a: 1 })).toBe('{"a":1}');
    expect(fieldText(['x'])).not.toBe(fieldText(['y']));
  });
});
