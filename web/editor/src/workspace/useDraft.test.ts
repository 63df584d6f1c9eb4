import { describe, expect, it } from 'vitest';
import { followDraft, sameValue } from './useDraft';

describe('following the document while typing', () => {
  it('takes the document value when others changed it', () => {
    expect(followDraft('Due', 'Due date', 'Due')).toBe('Due date');
    expect(followDraft(200, 120, 200)).toBe(120);
    expect(followDraft(['a'], ['a', 'b'], ['a'])).toEqual(['a', 'b']);
  });

  it('keeps an input that already says the same', () => {
    const draft = 'Due date ';
    expect(followDraft('Due', 'Due date', draft)).toBe(draft);
    expect(followDraft('10', '1', '1.0')).toBe('1.0');
  });

  it('leaves alone an input the document did not change, even invalid', () => {
    expect(followDraft('200', '200', 'ten')).toBe('ten');
    expect(followDraft(['a'], ['a'], [])).toEqual([]);
  });

  it('follows a form member by member', () => {
    const before = { required: false, maxLength: '200', title: 'Due' };
    const now = { required: true, maxLength: '200', title: 'Due' };
    const draft = { required: false, maxLength: 'ten', title: 'Due ' };
    expect(followDraft(before, now, draft)).toEqual({ required: true, maxLength: 'ten', title: 'Due ' });
    expect(followDraft(before, before, draft)).toBe(draft);
  });

  it('compares text trimmed and numbers by value', () => {
    expect(sameValue(' a ', 'a')).toBe(true);
    expect(sameValue('5', '5.0')).toBe(true);
    expect(sameValue('', '0')).toBe(false);
    expect(sameValue('abc', 'abd')).toBe(false);
    expect(sameValue(true, true)).toBe(true);
  });
});
