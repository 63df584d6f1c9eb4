import { describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './fakeSocket';
import { backoff, RpcSocket, socketURL } from './socket';

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const s = new RpcSocket({
    url: 'ws://x/rpc/ws',
    create: () => {
      const f = new FakeSocket();
      sockets.push(f);
      return f;
    },
    baseDelay: 100,
    maxDelay: 1000,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  return { s, sockets, timers };
}

describe('RpcSocket', () => {
  it('queues calls until open and resolves them by id', async () => {
    const { s, sockets } = setup();
    const p = s.call<{ subscription: string }>('subscribe', { app: 'todo' });
    const ws = sockets[0]!;
    expect(ws.sent).toHaveLength(0);
    ws.open();
    const req = JSON.parse(ws.sent[0]!) as { id: number };
    expect(req).toMatchObject({ jsonrpc: '2.0', method: 'subscribe', params: { app: 'todo' } });
    ws.message({ jsonrpc: '2.0', id: req.id, result: { subscription: 's1' } });
    await expect(p).resolves.toEqual({ subscription: 's1' });
  });

  it('dispatches notifications by method, one by one and in batches', () => {
    const { s, sockets } = setup();
    const data = vi.fn<(params: unknown) => void>();
    const page = vi.fn<(params: unknown) => void>();
    s.on('dataChanged', data);
    const stop = s.on('pageChanged', page);
    sockets[0]!.open();
    sockets[0]!.message({ jsonrpc: '2.0', method: 'dataChanged', params: { type: 'Task' } });
    sockets[0]!.message([
      { jsonrpc: '2.0', method: 'pageChanged', params: { version: 2 } },
      { jsonrpc: '2.0', method: 'dataChanged', params: { type: 'Tag' } },
    ]);
    stop();
    sockets[0]!.message({ jsonrpc: '2.0', method: 'pageChanged', params: { version: 3 } });
    expect(data.mock.calls.map((c) => c[0])).toEqual([{ type: 'Task' }, { type: 'Tag' }]);
    expect(page.mock.calls.map((c) => c[0])).toEqual([{ version: 2 }]);
  });

  it('reconnects with growing delays and runs onOpen again to subscribe anew', async () => {
    const { s, sockets, timers } = setup();
    const opened = vi.fn();
    s.onOpen(opened);
    sockets[0]!.open();
    expect(opened).toHaveBeenCalledTimes(1);
    const pending = s.call('subscribe', {});
    sockets[0]!.drop();
    await expect(pending).rejects.toThrow(/connection lost/);
    expect(timers.map((t) => t.ms)).toEqual([100]);
    timers[0]!.fn();
    sockets[1]!.drop(); // the server is still away
    expect(timers.map((t) => t.ms)).toEqual([100, 200]);
    timers[1]!.fn();
    sockets[2]!.open();
    expect(opened).toHaveBeenCalledTimes(2);
    sockets[2]!.drop();
    expect(timers[2]!.ms).toBe(100); // a connection that opened resets the backoff
  });

  it('connects on open when made with connect: false, and again after close', () => {
    const sockets: FakeSocket[] = [];
    const s = new RpcSocket({
      url: 'ws://x/rpc/ws',
      connect: false,
      create: () => {
        const f = new FakeSocket();
        sockets.push(f);
        return f;
      },
    });
    expect(sockets).toHaveLength(0);
    s.open();
    s.open();
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    s.close();
    expect(s.connected).toBe(false);
    s.open();
    expect(sockets).toHaveLength(2);
  });

  it('connects again right after close, before the old socket has finished closing', () => {
    const sockets: FakeSocket[] = [];
    const s = new RpcSocket({
      url: 'ws://x/rpc/ws',
      connect: false,
      create: () => {
        const f = new FakeSocket();
        sockets.push(f);
        return f;
      },
    });
    const opened = vi.fn();
    s.onOpen(opened);
    s.open();
    s.close(); // React's strict mode: the effect's cleanup, then the effect again
    s.open();
    expect(sockets).toHaveLength(2);
    expect(sockets[0]!.closeCalls).toBe(1);
    sockets[0]!.drop(); // the first socket's close completes: nobody listens
    sockets[1]!.open();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(s.connected).toBe(true);
  });

  it('fails the calls waiting for the connection when closed', async () => {
    const { s } = setup();
    const waiting = s.call('subscribe', {});
    s.close();
    await expect(waiting).rejects.toThrow(/connection closed/);
  });

  it('stops for good when closed', () => {
    const { s, sockets, timers } = setup();
    sockets[0]!.open();
    s.close();
    expect(timers).toHaveLength(0);
    return expect(s.call('x', {})).rejects.toThrow(/closed/);
  });
});

describe('backoff and socketURL', () => {
  it('doubles up to the maximum', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoff(n, 500, 3000))).toEqual([500, 1000, 2000, 3000, 3000]);
  });
  it('uses wss on https pages', () => {
    expect(socketURL('/rpc/ws', { protocol: 'https:', host: 'a.example:8443' })).toBe('wss://a.example:8443/rpc/ws');
    expect(socketURL('/rpc/ws', { protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/rpc/ws');
  });
});
