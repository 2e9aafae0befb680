import { duplicateKey } from './json-body.js';

describe('duplicate keys in a JSON body', () => {
  it.each([
    ['{"role":"nurse","name":"x","role":"admin"}', 'role'],
    ['{"a":{"b":1,"b":2}}', 'a.b'],
    ['{"readings":[{"systolic":1},{"systolic":1,"systolic":2}]}', 'readings[1].systolic'],
    ['[{"a":1},[],{"a":1,"a":1}]', '[2].a'],
    // The same key written two ways is one key.
    ['{"role":"nurse","r\\u006fle":"admin"}', 'role'],
    ['{"x":"a \\"role\\": b","x":1}', 'x'],
  ])('%s names %s', (text, field) => {
    expect(duplicateKey(text)).toEqual({ field, message: 'appears more than once in its JSON object' });
  });

  it.each([
    '{"role":"nurse"}',
    '{"a":{"b":1},"b":{"a":1}}',
    '[{"a":1},{"a":2}]',
    '{"s":"{\\"a\\":1,\\"a\\":2}"}',
    '{"\\\\":1,"\\\\\\\\":2}',
    '"text"',
    '42',
    '{}',
  ])('%s has none', (text) => {
    expect(duplicateKey(text)).toBeUndefined();
  });
});
