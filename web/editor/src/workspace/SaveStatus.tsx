// The save-status indicator: saved, unsaved, saving, offline, conflict.

import { Badge, Loader, Tooltip } from '@mantine/core';
import type { SaveStatus as Status } from '../model/session';

const looks: Record<Status, { color: string; label: string; hint: string }> = {
  saved: { color: 'teal', label: 'Saved', hint: 'Every change is saved.' },
  unsaved: { color: 'gray', label: 'Unsaved', hint: 'Changes are saved a moment after you stop (Ctrl+S saves now).' },
  saving: { color: 'indigo', label: 'Saving…', hint: 'Sending your changes.' },
  offline: { color: 'orange', label: 'Offline', hint: 'The server cannot be reached; your changes are kept and sent when it can.' },
  conflict: { color: 'red', label: 'Conflict', hint: 'Someone changed the same thing: choose what to keep.' },
  error: { color: 'red', label: 'Not saved', hint: 'The server refused the last change; see the message.' },
  signedOut: { color: 'orange', label: 'Signed out', hint: 'Sign in again: your changes are kept and saved then.' },
};

export function SaveStatus({ status, version }: { status: Status; version: number }) {
  const l = looks[status];
  return (
    <Tooltip label={`${l.hint} Version ${version}.`} multiline w={240} withArrow>
      <Badge color={l.color} variant="light" role="status" aria-live="polite" aria-label={`Save status: ${l.label}`}
        leftSection={status === 'saving' ? <Loader size={10} color={l.color} /> : undefined}>
        {l.label}
      </Badge>
    </Tooltip>
  );
}
