// The Apollo client of the editor: queries and mutations over HTTP POST to
// /graphql (the session cookie goes along), subscriptions over one
// WebSocket (graphql-transport-ws) to the same path, which reconnects.

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

export function wsURL(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${path}`;
}

export interface Connection {
  apollo: ApolloClient;
  ws: Client;
}

/** connect makes the client; onUnauthenticated hears that the session ended. */
export function connect(onUnauthenticated: () => void): Connection {
  const ws = createClient({
    url: wsURL('/graphql'),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(10000, 500 * 2 ** retries)));
    },
    on: {
      closed: (e) => {
        if ((e as CloseEvent | undefined)?.code === 4401) onUnauthenticated();
      },
    },
  });
  const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin' });
  // Subscriptions, and the presence updates that belong to one, take the
  // WebSocket; the rest HTTP.
  const link = ApolloLink.split(
    ({ query, operationName }) => {
      const def = getMainDefinition(query);
      return (def.kind === Kind.OPERATION_DEFINITION && def.operation === OperationTypeNode.SUBSCRIPTION) || operationName === 'SetPresence';
    },
    new GraphQLWsLink(ws),
    http,
  );
  const apollo = new ApolloClient({
    link,
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
  return { apollo, ws };
}
