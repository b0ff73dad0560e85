import { editDistance } from '../../lib/rules/edit-distance';

test('edit distance: equal strings, one edit of each kind, empty strings', () => {
  expect(editDistance('role', 'role')).toBe(0);
  expect(editDistance('rolee', 'role')).toBe(1); // deletion
  expect(editDistance('rle', 'role')).toBe(1); // insertion
  expect(editDistance('StringEqualz', 'StringEquals')).toBe(1); // substitution
  expect(editDistance('', 'abc')).toBe(3);
  expect(editDistance('abc', '')).toBe(3);
  expect(editDistance('kitten', 'sitting')).toBe(3);
});
