// Who else is on the model, and what they are editing: the modelPresence
// subscription (joining by subscribing), and setPresence for this builder.

import { useApolloClient, useSubscription } from '@apollo/client/react';
import { Avatar, Badge, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { MODEL_PRESENCE, SET_PRESENCE } from '../graphql/operations';

export interface Member {
  id: string;
  user: { id: string; email: string };
  editing: string | null;
  since: string;
}

export interface PresenceState {
  you: string | null;
  members: Member[];
}

const colors = ['grape', 'teal', 'orange', 'cyan', 'pink', 'lime', 'violet', 'red'];

/** colorOf gives each presence a stable color. */
export function colorOf(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return colors[h % colors.length] as string;
}

export function initials(email: string): string {
  const local = email.split('@')[0] ?? email;
  const parts = local.split(/[._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? local[1] ?? '')).toUpperCase();
}

/**
 * usePresence returns the members, setEditing (sent when it changes; the
 * last one wins) and follower, the element to render while on the model:
 * it joins the presence and, when the subscription ends, joins again.
 */
export function usePresence(name: string): { presence: PresenceState; setEditing: (path: string | null) => void; follower: ReactElement } {
  const apollo = useApolloClient();
  const [presence, setPresence] = useState<PresenceState>({ you: null, members: [] });
  const [round, setRound] = useState(0);
  const editing = useRef<string | null>(null);
  const you = useRef<string | null>(null);

  const send = useCallback(() => {
    if (!you.current) return;
    apollo
      .mutate({ mutation: SET_PRESENCE, variables: { name, id: you.current, editing: editing.current }, fetchPolicy: 'no-cache' })
      .catch(() => undefined); // best effort: the next change, or joining again, sends it
  }, [apollo, name]);

  const onEvent = useCallback(
    (p: PresenceState) => {
      const joined = you.current !== p.you;
      you.current = p.you;
      setPresence({ you: p.you, members: p.members });
      if (joined && editing.current) send();
    },
    [send],
  );
  const retry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(retry.current), []);
  const onEnded = useCallback(() => {
    you.current = null;
    setPresence({ you: null, members: [] });
    clearTimeout(retry.current);
    retry.current = setTimeout(() => setRound((n) => n + 1), 2000);
  }, []);

  const setEditing = useCallback(
    (path: string | null) => {
      if (editing.current === path) return;
      editing.current = path;
      send();
    },
    [send],
  );
  const follower = <JoinPresence key={round} name={name} onEvent={onEvent} onEnded={onEnded} />;
  return { presence, setEditing, follower };
}

function JoinPresence({ name, onEvent, onEnded }: { name: string; onEvent: (p: PresenceState) => void; onEnded: () => void }) {
  useSubscription<{ modelPresence: PresenceState }>(MODEL_PRESENCE, {
    variables: { name },
    fetchPolicy: 'no-cache',
    onData: ({ data: { data } }) => {
      if (data?.modelPresence) onEvent(data.modelPresence);
    },
    onError: onEnded,
    onComplete: onEnded,
  });
  return null;
}

/** PresenceBar shows the other builders on the model as avatars. */
export function PresenceBar({ presence }: { presence: PresenceState }) {
  const others = presence.members.filter((m) => m.id !== presence.you);
  if (others.length === 0) return null;
  return (
    <Avatar.Group spacing="xs" aria-label={`Also here: ${others.map((m) => m.user.email).join(', ')}`} role="group">
      {others.slice(0, 5).map((m) => (
        <Tooltip key={m.id} label={m.editing ? `${m.user.email} · editing ${m.editing.replace(/\//g, ' › ')}` : m.user.email} withArrow>
          <Avatar size="sm" radius="xl" color={colorOf(m.id)} aria-label={m.user.email}>
            {initials(m.user.email)}
          </Avatar>
        </Tooltip>
      ))}
      {others.length > 5 && <Avatar size="sm" radius="xl">+{others.length - 5}</Avatar>}
    </Avatar.Group>
  );
}

/** EditingBadge marks a part another builder is editing. */
export function EditingBadge({ presence, path, ml }: { presence: PresenceState; path: string; ml?: number }) {
  const here = presence.members.filter((m) => m.id !== presence.you && m.editing === path);
  if (here.length === 0) return null;
  const first = here[0] as Member;
  return (
    <Badge size="xs" variant="dot" ml={ml} color={colorOf(first.id)} title={`${here.map((m) => m.user.email).join(', ')} editing`}>
      {initials(first.user.email)} editing
    </Badge>
  );
}
