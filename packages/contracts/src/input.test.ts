import { describe, expect, it } from '@jest/globals';
import { isStorableText, TextSchema } from './input.js';

describe('TextSchema', () => {
  it('refuses NUL and unpaired surrogates, keeps everything else as it is', () => {
    for (const bad of ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDC00\uD800']) expect(isStorableText(bad)).toBe(false);
    for (const good of ['', '  spaces kept  ', 'Zürich 🏃‍♀️ 5:10/km', '\u0001\t\n', '\uD83C\uDFC3']) {
      expect(TextSchema.parse(good)).toBe(good);
    }
    expect(TextSchema.safeParse('a\u0000').error!.issues[0]!.message).toMatch(/NUL/);
  });
});
