import { describe, expect, it, vi } from 'vitest';
import { errorMessage, RpcClient, RpcError } from './client';

function fakeFetch(answer: (body: unknown) => { status?: number; body: unknown }) {
  const bodies: unknown[] = [];
  const fn = vi.fn((_url: string, init: RequestInit) => {
    const body: unknown = JSON.parse(typeof init.body === 'string' ? init.body : '');
    bodies.push(body);
    const a = answer(body);
    return Promise.resolve(new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status ?? 200 }));
  });
  return { fn, bodies };
}

const echo = (body: unknown) => {
  const list = Array.isArray(body) ? body : [body];
  const answers = list.map((r: { id: number; method: string }) => ({ jsonrpc: '2.0', id: r.id, result: r.method }));
  return { body: Array.isArray(body) ? answers.reverse() : answers[0] };
};

describe('RpcClient', () => {
  it('sends calls of one tick as one batch and matches answers by id', async () => {
    const { fn, bodies } = fakeFetch(echo);
    const c = new RpcClient({ fetch: fn });
    const [a, b, d] = await Promise.all([c.call('loadPage', { app: 'todo' }), c.call('getFormDefinition', {}), c.call('x', {})]);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(Array.isArray(bodies[0])).toBe(true);
    expect((bodies[0] as unknown[]).length).toBe(3);
    expect([a, b, d]).toEqual(['loadPage', 'getFormDefinition', 'x']);
    expect(fn.mock.calls[0]?.[1].credentials).toBe('same-origin');
  });

  it('sends a lone call as a single request', async () => {
    const { bodies, fn } = fakeFetch(echo);
    const c = new RpcClient({ fetch: fn });
    await c.call('loadPage', { app: 'todo' });
    expect(bodies[0]).toMatchObject({ jsonrpc: '2.0', method: 'loadPage', params: { app: 'todo' } });
  });

  it('splits batches at maxBatch', async () => {
    const { fn } = fakeFetch(echo);
    const c = new RpcClient({ fetch: fn, maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => c.call(`m${i}`, {})));
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('rejects with the error of its own answer and its field messages', async () => {
    const { fn } = fakeFetch((body) => {
      const [x, y] = body as Array<{ id: number }>;
      return {
        body: [
          { jsonrpc: '2.0', id: x?.id, result: 1 },
          { jsonrpc: '2.0', id: y?.id, error: { code: -32602, message: 'invalid Task', data: { code: 'EINVALID', fields: { title: 'too long' } } } },
        ],
      };
    });
    const c = new RpcClient({ fetch: fn });
    const ok = c.call('a', {});
    const bad = c.call('b', {});
    await expect(ok).resolves.toBe(1);
    const err = await bad.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).data?.fields).toEqual({ title: 'too long' });
    expect((err as RpcError).torqueCode).toBe('EINVALID');
  });

  it('tells the app when the caller is not signed in', async () => {
    const { fn } = fakeFetch(() => ({ status: 401, body: { error: { code: 'EUNAUTHORIZED', message: 'sign in' } } }));
    const onUnauthorized = vi.fn();
    const c = new RpcClient({ fetch: fn, onUnauthorized });
    await expect(c.call('loadPage', {})).rejects.toMatchObject({ code: -32001 });
    expect(onUnauthorized).toHaveBeenCalled();
  });

  it('rejects every call when an answer is missing', async () => {
    const { fn } = fakeFetch(() => ({ status: 204, body: undefined }));
    const c = new RpcClient({ fetch: fn });
    await expect(c.call('a', {})).rejects.toThrow(/no answer/);
  });
});

describe('errorMessage', () => {
  it('reads errors, RPC errors and anything thrown', () => {
    expect(errorMessage(new RpcError(-32602, 'invalid params'))).toBe('invalid params');
    expect(errorMessage(new TypeError('failed to fetch'))).toBe('failed to fetch');
    expect(errorMessage('gone')).toBe('gone');
  });
});
