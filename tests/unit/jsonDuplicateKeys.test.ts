import { describe, expect, it } from 'vitest';
import { checkJsonArray, firstDuplicateKey, ndjsonToArray } from '../../src/lib/jsonRows';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('keys held twice by one JSON object', () => {
  it('are found at any depth, in the value that holds them', () => {
    expect(firstDuplicateKey('{"a":1,"a":2}')).toEqual({ key: 'a', value: 1 });
    expect(firstDuplicateKey('[{"a":1},{"a":1,"b":{"c":[1,{"d":1}],"c":2}}]')).toEqual({ key: 'c', value: 2 });
    // Keys are compared as JSON reads them.
    expect(firstDuplicateKey('[{"x":1},{"x":1},{"a":1,"\\u0061":2}]')).toEqual({ key: 'a', value: 3 });
  });

  it('are not confused with values, strings holding quotes or braces, or keys of sibling objects', () => {
    expect(firstDuplicateKey('[{"a":"a","b":"a"},{"a":1}]')).toBeNull();
    expect(firstDuplicateKey('[{"a":"x\\"y,\\"a\\":{","b":[{"a":1},{"a":2}]}]')).toBeNull();
    expect(firstDuplicateKey('{"a":{"a":{"a":1}}}')).toBeNull();
    expect(firstDuplicateKey('[{"A":1,"a":2}]')).toBeNull();
  });

  it('refuse a JSON array naming the key and the record, counting records of earlier chunks', () => {
    expect(() => checkJsonArray(bytes('[{"id":1},{"id":2,"id":3}]'), 'f.json', 10)).toThrow(
      '"f.json" has an object with the key "id" twice (record 12 of the array). Keep one of them and load the file again.',
    );
    expect(checkJsonArray(bytes('[{"id":1},{"id":2}]'), 'f.json').records).toBe(2);
  });

  it('refuse NDJSON naming the key and the line', () => {
    expect(() => ndjsonToArray(bytes('{"a":1}\n\n{"a":1,"a":2}\n'), 'f.ndjson', 4)).toThrow(
      '"f.ndjson" has an object with the key "a" twice (line 7). Keep one of them and load the file again.',
    );
  });
});
