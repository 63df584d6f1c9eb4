import { describe, expect, it } from 'vitest';
import type { Flow } from '../../model/types';
import { flowInfo } from './flowInfo';

describe('flow info', () => {
  it('reads what a flow says of itself', () => {
    const f = { name: 'notify', description: 'Tell the owner', trigger: { type: 'entity.created', entity: 'Task' }, steps: [{}, {}] } as Flow;
    expect(flowInfo(f)).toEqual({ name: 'notify', description: 'Tell the owner', trigger: 'entity.created · Task', steps: 2 });
  });

  it('takes other spellings, and leaves out what is not there', () => {
    expect(flowInfo({ name: 'nightly', title: 'Nightly', on: 'schedule', nodes: [] }))
      .toEqual({ name: 'nightly', description: 'Nightly', trigger: 'schedule', steps: 0 });
    expect(flowInfo({ name: 'bare' })).toEqual({ name: 'bare', description: '', trigger: '', steps: null });
    expect(flowInfo({ trigger: 42 } as unknown as Flow).name).toBe('');
  });
});
