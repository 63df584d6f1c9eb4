// Following a page over the WebSocket: subscribe (again after every
// reconnection, and when the server says events were missed), hand on the
// notifications of that subscription only, and unsubscribe when done.

import type { DataChanged, Ended, Subscribed } from '../layout/types';
import type { RpcSocket } from './socket';

export interface PageFollower {
  /** The page as it is when subscribed; again: after a reconnection or a resync (changes may have been missed). */
  subscribed?: (res: Subscribed, again: boolean) => void;
  pageChanged?: (res: Subscribed) => void;
  dataChanged?: (d: DataChanged) => void;
  /** The server ended the subscription (reason: an error code). */
  ended?: (e: Ended) => void;
  /** subscribe failed (a lost connection subscribes again when back). */
  failed?: (e: unknown) => void;
}

/** followPage follows page of app on socket until the function it returns is called. */
export function followPage(socket: Pick<RpcSocket, 'call' | 'notify' | 'on' | 'onOpen'>, app: string, page: string, on: PageFollower): () => void {
  let live = true;
  let subscription: string | null = null;
  let again = false;
  const subscribe = () => {
    socket
      .call<Subscribed>('subscribe', { app, page })
      .then((res) => {
        if (!live) {
          socket.notify('unsubscribe', { subscription: res.subscription });
          return;
        }
        subscription = res.subscription;
        on.subscribed?.(res, again);
        again = true;
      })
      .catch((e: unknown) => {
        if (live) on.failed?.(e);
      });
  };
  const mine = (p: { subscription?: string }) => live && subscription !== null && p.subscription === subscription;
  const offs = [
    socket.onOpen(() => {
      subscription = null;
      subscribe();
    }),
    socket.on('pageChanged', (p) => {
      if (mine(p as Subscribed)) on.pageChanged?.(p as Subscribed);
    }),
    socket.on('dataChanged', (p) => {
      if (mine(p as DataChanged)) on.dataChanged?.(p as DataChanged);
    }),
    socket.on('subscriptionEnded', (p) => {
      const e = p as Ended;
      if (!mine(e)) return;
      subscription = null;
      if (e.reason === 'resync') {
        again = true;
        subscribe();
      } else {
        on.ended?.(e);
      }
    }),
  ];
  return () => {
    live = false;
    offs.forEach((off) => off());
    if (subscription) socket.notify('unsubscribe', { subscription });
    subscription = null;
  };
}
