// The decode of EnvoyExtensions[].Arguments (src/core/write-checks/envoy-extensions/mapstructure.ts)
// against go-viper/mapstructure v2.4.0's own ExampleDecode_errors (mapstructure_examples_test.go): the
// same struct and input, except that numbers arrive from JSON as float64, as they reach Consul.
import { describe, expect, it } from 'vitest';
import { decodeError, int, map, slice, str } from '../../../src/core/write-checks/envoy-extensions/mapstructure.ts';
import { goErrorProblems, goErrorText } from '../../../src/core/write-checks/go-error.ts';

const PERSON = { Name: str(), Age: int(), Emails: slice(str()), Extra: map(str()) };

describe('mapstructure.Decode errors', () => {
  it('ExampleDecode_errors: one line per field, in the struct’s order, keys matched ignoring case', () => {
    const err = decodeError({ name: 123, age: 'bad value', emails: [1, 2, 3] }, PERSON, 'Arguments', false);
    expect(goErrorText(err!)).toBe(
      [
        'decoding failed due to the following error(s):',
        '',
        "'Name' expected type 'string', got unconvertible type 'float64'",
        "'Age' expected type 'int', got unconvertible type 'string'",
        "'Emails[0]' expected type 'string', got unconvertible type 'float64'",
        "'Emails[1]' expected type 'string', got unconvertible type 'float64'",
        "'Emails[2]' expected type 'string', got unconvertible type 'float64'",
      ].join('\n'),
    );
    // validate names each value by its path in the file, one problem per value.
    expect(goErrorProblems(err).map((p) => p.field)).toEqual([
      'Arguments.name',
      'Arguments.age',
      'Arguments.emails[0]',
      'Arguments.emails[1]',
      'Arguments.emails[2]',
    ]);
  });

  it('WeakDecode takes numbers and booleans for strings and "1"/"" for an int, but not a word', () => {
    expect(decodeError({ Name: 5, Age: '', Emails: 'one' }, PERSON, 'Arguments', true)).toBeUndefined();
    expect(goErrorText(decodeError({ Age: 'many' }, PERSON, 'Arguments', true)!)).toBe(
      "decoding failed due to the following error(s):\n\n'Age' cannot parse value as 'int': strconv.ParseInt: invalid syntax",
    );
  });

  it('nothing to say for a value of the right type, a missing key or a null', () => {
    expect(decodeError({ Name: 'a', Age: 3, Emails: ['x'], Extra: { k: 'v' }, Other: [1] }, PERSON, 'Arguments', false)).toBeUndefined();
    expect(decodeError({ Name: null }, PERSON, 'Arguments', false)).toBeUndefined();
  });
});
