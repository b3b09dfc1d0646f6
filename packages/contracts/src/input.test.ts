import { describe, expect, it } from '@jest/globals';
import { isStorableJson, isStorableText, TextSchema } from './input.js';

describe('TextSchema', () => {
  it('refuses NUL and unpaired surrogates, keeps everything else as it is', () => {
    for (const bad of ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDC00\uD800']) expect(isStorableText(bad)).toBe(false);
    for (const good of ['', '  spaces kept  ', 'Zürich 🏃‍♀️ 5:10/km', '\u0001\t\n', '\uD83C\uDFC3']) {
      expect(TextSchema.parse(good)).toBe(good);
    }
    expect(TextSchema.safeParse('a\u0000').error!.issues[0]!.message).toMatch(/NUL/);
  });
});

describe('isStorableJson', () => {
  it('looks at every string and key, however deep', () => {
    expect(isStorableJson({ client_name: 'My GPT', redirect_uris: ['https://a.example/cb'], n: 1, ok: true, none: null })).toBe(true);
    expect(isStorableJson({ redirect_uris: ['https://a.example/cb', 'x\u0000'] })).toBe(false);
    expect(isStorableJson({ deep: [{ deeper: { 'key\uD800': 1 } }] })).toBe(false);
    let deep: unknown = 'fine';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(isStorableJson(deep)).toBe(true);
  });
});
