import { describe, expect, it } from 'vitest';
import { modalAfter } from './modal';

describe('modalAfter', () => {
  it('opens a modal, for a row when there is one', () => {
    expect(modalAfter(null, { type: 'openModal', modal: 'form' })).toEqual({ id: 'form' });
    expect(modalAfter(null, { type: 'openModal', modal: 'form' }, 'e1')).toEqual({ id: 'form', entityId: 'e1' });
    expect(modalAfter(null, { type: 'openModal' })).toBeNull();
  });
  it('closes the modal it names, or any without a name', () => {
    expect(modalAfter({ id: 'form' }, { type: 'closeModal', modal: 'form' })).toBeNull();
    expect(modalAfter({ id: 'form' }, { type: 'closeModal', modal: 'other' })).toEqual({ id: 'form' });
    expect(modalAfter({ id: 'form' }, { type: 'closeModal' })).toBeNull();
  });
  it('leaves it for other actions', () => {
    expect(modalAfter({ id: 'form' }, { type: 'refresh' })).toEqual({ id: 'form' });
  });
});
