import { describe, expect, it, vi } from 'vitest';
import type { Subscribed } from '../layout/types';
import { followPage } from './follow';
import { FakeSocket } from './fakeSocket';
import { RpcSocket } from './socket';

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<() => void> = [];
  const socket = new RpcSocket({
    url: 'ws://x/rpc/ws',
    create: () => {
      const f = new FakeSocket();
      sockets.push(f);
      return f;
    },
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  return { socket, sockets, timers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('followPage', () => {
  it('subscribes, hands on its own notifications only, and unsubscribes when stopped', async () => {
    const { socket, sockets } = setup();
    const subscribed = vi.fn<(res: Subscribed, again: boolean) => void>();
    const data = vi.fn();
    const stop = followPage(socket, 'todo', 'Tasks', { subscribed, dataChanged: data });
    const ws = sockets[0]!;
    ws.open();
    expect(ws.requests()[0]).toMatchObject({ method: 'subscribe', params: { app: 'todo', page: 'Tasks' } });
    ws.answer('s1');
    await tick();
    expect(subscribed.mock.calls.map((c) => c[1])).toEqual([false]);
    ws.message({ jsonrpc: '2.0', method: 'dataChanged', params: { subscription: 's2', type: 'Task' } });
    ws.message({ jsonrpc: '2.0', method: 'dataChanged', params: { subscription: 's1', type: 'Task' } });
    expect(data).toHaveBeenCalledTimes(1);
    stop();
    expect(ws.requests().at(-1)).toMatchObject({ method: 'unsubscribe', params: { subscription: 's1' } });
    ws.message({ jsonrpc: '2.0', method: 'dataChanged', params: { subscription: 's1', type: 'Task' } });
    expect(data).toHaveBeenCalledTimes(1);
  });

  it('subscribes again after a reconnection and after a resync, saying so', async () => {
    const { socket, sockets, timers } = setup();
    const subscribed = vi.fn<(res: Subscribed, again: boolean) => void>();
    const ended = vi.fn();
    followPage(socket, 'todo', 'Tasks', { subscribed, ended });
    sockets[0]!.open();
    sockets[0]!.answer('s1');
    await tick();
    sockets[0]!.drop();
    timers[0]!();
    sockets[1]!.open();
    sockets[1]!.answer('s2');
    await tick();
    sockets[1]!.message({ jsonrpc: '2.0', method: 'subscriptionEnded', params: { subscription: 's2', reason: 'resync', message: '' } });
    sockets[1]!.answer('s3');
    await tick();
    expect(subscribed.mock.calls.map((c) => [c[0].subscription, c[1]])).toEqual([['s1', false], ['s2', true], ['s3', true]]);
    sockets[1]!.message({ jsonrpc: '2.0', method: 'subscriptionEnded', params: { subscription: 's3', reason: 'EFORBIDDEN', message: 'no' } });
    expect(ended).toHaveBeenCalledWith({ subscription: 's3', reason: 'EFORBIDDEN', message: 'no' });
  });

  it('unsubscribes a subscription answered after it was stopped', async () => {
    const { socket, sockets } = setup();
    const subscribed = vi.fn();
    const stop = followPage(socket, 'todo', 'Tasks', { subscribed });
    sockets[0]!.open();
    stop();
    sockets[0]!.answer('s1');
    await tick();
    expect(subscribed).not.toHaveBeenCalled();
    expect(sockets[0]!.requests().at(-1)).toMatchObject({ method: 'unsubscribe', params: { subscription: 's1' } });
  });
});
