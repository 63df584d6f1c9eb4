// The runtime of a signed-in session: the JSON-RPC client over HTTP, the
// WebSocket for live updates, and the user.

import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import type { User } from './auth/api';
import { RpcClient, type FetchLike } from './rpc/client';
import { RpcSocket, socketURL } from './rpc/socket';

export interface Runtime {
  user: User;
  rpc: RpcClient;
  socket: RpcSocket;
  signOut: () => Promise<void>;
  /** The session ended (a call answered 401): show the sign-in form. */
  signedOut: () => void;
}

const RuntimeContext = createContext<Runtime | null>(null);

export function useRuntime(): Runtime {
  const r = useContext(RuntimeContext);
  if (!r) throw new Error('useRuntime outside RuntimeProvider');
  return r;
}

interface Props {
  user: User;
  /** Called when a call answers 401 (the one given last). */
  onUnauthorized: () => void;
  signOut: () => Promise<void>;
  /** How JSON-RPC requests are sent (the browser's fetch by default); the first one given is kept. */
  fetch?: FetchLike;
  children: ReactNode;
}

export function RuntimeProvider({ user, onUnauthorized, signOut, fetch, children }: Props) {
  // The client is made once; it calls the onUnauthorized given last.
  const [unauthorized] = useState(() => new Latest(onUnauthorized));
  useLayoutEffect(() => unauthorized.set(onUnauthorized), [unauthorized, onUnauthorized]);
  const [rpc] = useState(() => new RpcClient({ onUnauthorized: () => unauthorized.get()(), ...(fetch ? { fetch } : {}) }));
  // Made unconnected: the effect connects it, and connects it again after
  // the cleanup of a remount (React's strict mode) closed it.
  const [socket] = useState(() => new RpcSocket({ url: socketURL('/rpc/ws'), connect: false }));
  useEffect(() => {
    socket.open();
    return () => socket.close();
  }, [socket]);
  const value = useMemo(
    () => ({ user, rpc, socket, signOut, signedOut: onUnauthorized }),
    [user, rpc, socket, signOut, onUnauthorized],
  );
  return <RuntimeContext.Provider value={value}>{children}</RuntimeContext.Provider>;
}

/** Latest holds the value last rendered, for callbacks made once (read when they run, not while rendering). */
class Latest<T> {
  constructor(private value: T) {}
  get(): T {
    return this.value;
  }
  set(value: T): void {
    this.value = value;
  }
}
