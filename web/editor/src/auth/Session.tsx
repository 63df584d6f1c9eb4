// The signed-in builder: the sign-in screen until someone is signed in
// (the TorqueApp's, with the fields Email and Password), then the GraphQL
// connection, closed again on sign-out or when the server ends the session.

import { ApolloProvider } from '@apollo/client/react';
import { Center, Loader } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { SignIn, logout, me, type User } from 'torque-app';
import { connect, type Connection } from '../graphql/client';

interface Signed {
  user: User;
  signOut: () => Promise<void>;
  /** signedOut shows the sign-in screen: a request found the session gone. */
  signedOut: () => void;
}

const SignedContext = createContext<Signed | null>(null);

export function useSigned(): Signed {
  const s = useContext(SignedContext);
  if (!s) throw new Error('useSigned outside SessionGate');
  return s;
}

type State = { kind: 'checking' } | { kind: 'signedOut'; error: string | null } | { kind: 'signedIn'; user: User };

export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'checking' });

  useEffect(() => {
    let live = true;
    me()
      .then((user) => live && setState(user ? { kind: 'signedIn', user } : { kind: 'signedOut', error: null }))
      .catch((e: unknown) => live && setState({ kind: 'signedOut', error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, []);

  switch (state.kind) {
    case 'checking':
      return (
        <Center h="100vh">
          <Loader aria-label="Loading" />
        </Center>
      );
    case 'signedOut':
      return <SignIn initialError={state.error} onSignedIn={(user) => setState({ kind: 'signedIn', user })} />;
    case 'signedIn':
      return (
        <Connected user={state.user} onSignedOut={() => setState({ kind: 'signedOut', error: null })}>
          {children}
        </Connected>
      );
  }
}

function Connected({ user, onSignedOut, children }: { user: User; onSignedOut: () => void; children: ReactNode }) {
  // The WebSocket is lazy: it opens with the first subscription and closes
  // when the last one ends (as they do when this view goes away), so nothing
  // is disposed here, which React's strict mode would do while still in use.
  const [conn] = useState<Connection>(() => connect(onSignedOut));
  const signOut = useCallback(async () => {
    await logout().catch(() => undefined);
    onSignedOut();
  }, [onSignedOut]);
  const value = useMemo(() => ({ user, signOut, signedOut: onSignedOut }), [user, signOut, onSignedOut]);
  return (
    <SignedContext.Provider value={value}>
      <ApolloProvider client={conn.apollo}>{children}</ApolloProvider>
    </SignedContext.Provider>
  );
}
