// The runtime of a signed-in session: the JSON-RPC client over HTTP, the
// WebSocket for live updates, and the user.

import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { User } from './auth/api';
import { RpcClient } from './rpc/client';
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
  onUnauthorized: () => void;
  signOut: () => Promise<void>;
  children: ReactNode;
}

export function RuntimeProvider({ user, onUnauthorized, signOut, children }: Props) {
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;
  const rpc = useMemo(() => new RpcClient({ onUnauthorized: () => unauthorized.current() }), []);
  const [socket, setSocket] = useState<RpcSocket | null>(null);
  useEffect(() => {
    const s = new RpcSocket({ url: socketURL('/rpc/ws') });
    setSocket(s);
    return () => s.close();
  }, []);
  const value = useMemo(
    () => (socket ? { user, rpc, socket, signOut, signedOut: () => unauthorized.current() } : null),
    [user, rpc, socket, signOut],
  );
  if (!value) return null;
  return <RuntimeContext.Provider value={value}>{children}</RuntimeContext.Provider>;
}
