import { Center, Loader } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { logout, me, type User } from './api';
import { SignIn } from './SignIn';
import { errorMessage } from '../rpc/client';
import { LoadingStatus } from '../components/LoadingStatus';
import { RuntimeProvider } from '../runtime';

type State = { kind: 'checking' } | { kind: 'signedOut' } | { kind: 'signedIn'; user: User };

/** AuthGate shows the sign-in form until someone is signed in. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [checkError, setCheckError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    me()
      .then((user) => live && setState(user ? { kind: 'signedIn', user } : { kind: 'signedOut' }))
      .catch((e: unknown) => {
        if (!live) return;
        setCheckError(errorMessage(e));
        setState({ kind: 'signedOut' });
      });
    return () => {
      live = false;
    };
  }, []);

  const signedOut = useCallback(() => setState({ kind: 'signedOut' }), []);
  const signOut = useCallback(async () => {
    await logout().catch(() => undefined);
    setState({ kind: 'signedOut' });
  }, []);

  switch (state.kind) {
    case 'checking':
      return (
        <LoadingStatus label="Loading">
          <Center h="100vh">
            <Loader />
          </Center>
        </LoadingStatus>
      );
    case 'signedOut':
      return <SignIn initialError={checkError} onSignedIn={(user) => setState({ kind: 'signedIn', user })} />;
    case 'signedIn':
      return (
        <RuntimeProvider user={state.user} onUnauthorized={signedOut} signOut={signOut}>
          {children}
        </RuntimeProvider>
      );
  }
}
