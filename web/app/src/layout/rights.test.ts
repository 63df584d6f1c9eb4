import { describe, expect, it } from 'vitest';
import { may } from './rights';

const rights = {
  Task: { read: true as const, create: true as const, update: 'own' as const, delete: 'own' as const },
  Tag: { read: true as const },
};
const mine = { createdBy: 'u1' };
const theirs = { createdBy: 'u2' };

describe('may', () => {
  it('allows everything without rights (a preview)', () => {
    expect(may(undefined, 'Task', 'delete')).toBe(true);
  });

  it('reads true and absent (false)', () => {
    expect(may(rights, 'Task', 'create')).toBe(true);
    expect(may(rights, 'Tag', 'create')).toBe(false);
    expect(may(rights, 'Nope', 'read')).toBe(false);
  });

  it('allows "own" only on the records the user created', () => {
    expect(may(rights, 'Task', 'update', mine, 'u1')).toBe(true);
    expect(may(rights, 'Task', 'update', theirs, 'u1')).toBe(false);
    expect(may(rights, 'Task', 'delete', theirs, 'u1')).toBe(false);
    expect(may(rights, 'Task', 'update')).toBe(false);
    expect(may(rights, 'Task', 'update', mine)).toBe(false);
  });

  it('lets "own" create', () => {
    expect(may({ Task: { create: 'own' } }, 'Task', 'create')).toBe(true);
  });
});
