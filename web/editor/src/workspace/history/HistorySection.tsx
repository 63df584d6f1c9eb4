// History: the model's versions, newest first; what changed between two
// of them, in words and grouped by part; and restoring an earlier version
// as a new one (which the session then follows, like any other version).

import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert, Badge, Button, Center, Code, Grid, Group, Loader, Modal, Paper, Select, Stack, Text, Title, UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, toSaveError } from '../../graphql/errors';
import { MODEL_DIFF, MODEL_VERSIONS, RESTORE_MODEL_VERSION } from '../../graphql/operations';
import type { Change, ModelDoc } from '../../model/types';
import { relativeTime } from '../../models/time';
import { useModel, useWorkspace } from '../context';
import { describeChanges, tally, type Line } from './describe';
import { LoadFailed } from '../../shell/LoadFailed';

interface Version {
  version: number;
  createdAt: string;
}

interface VersionsData {
  model: { id: string; version: number; versions: Version[] } | null;
}

/** Versions shown at first; "Show older versions" shows more. */
const pageSize = 30;

const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function exactTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : exact.format(t);
}

export function HistorySection() {
  const { name } = useWorkspace();
  const { version: current } = useModel();
  const { data, loading, error, refetch } = useQuery<VersionsData>(MODEL_VERSIONS, { variables: { name } });
  // A new version (ours, someone else's, a restore) joins the list.
  const seen = useRef(current);
  useEffect(() => {
    if (seen.current === current) return;
    seen.current = current;
    void refetch();
  }, [current, refetch]);
  const [picked, setPicked] = useState<{ from: number | null; to: number } | null>(null);
  const [shown, setShown] = useState(pageSize);
  const [restoring, setRestoring] = useState<number | null>(null);

  const versions = data?.model?.versions ?? [];
  const latest = Math.max(current, versions[0]?.version ?? 0);
  const previousOf = (v: number) => versions.find((x) => x.version < v)?.version ?? null;
  const to = picked?.to ?? versions[0]?.version ?? null;
  const from = picked ? picked.from : to !== null ? previousOf(to) : null;

  if (error && !data) {
    return (
      <LoadFailed what="The history" error={error} retry={refetch} />
    );
  }
  if (loading && !data) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the history" />
      </Center>
    );
  }

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <Title order={2} size="h4">History</Title>
          <Text size="sm" c="dimmed">Every save makes a version. Pick one to see what it changed.</Text>
          {versions.length === 0 ? (
            <Text size="sm" c="dimmed">No versions are kept.</Text>
          ) : (
            <Paper withBorder radius="md" component="nav" aria-label="Versions" style={{ overflow: 'hidden' }}>
              <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                {versions.slice(0, shown).map((v, i) => (
                  <VersionRow key={v.version} v={v} first={i === 0} isCurrent={v.version === latest} selected={v.version === to}
                    onSelect={() => setPicked({ to: v.version, from: previousOf(v.version) })}
                    onRestore={() => setRestoring(v.version)} />
                ))}
              </Stack>
            </Paper>
          )}
          {versions.length > shown && (
            <Button variant="subtle" size="xs" onClick={() => setShown((n) => n + pageSize)}>
              Show older versions ({versions.length - shown} more)
            </Button>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {to !== null && (
          <Comparison versions={versions} from={from} to={to} onPick={(f, t) => setPicked({ from: f, to: t })} />
        )}
      </Grid.Col>
      {restoring !== null && (
        <RestoreDialog version={restoring} onClose={() => setRestoring(null)}
          onRestored={() => {
            setRestoring(null);
            setPicked(null);
            setShown(pageSize);
          }} />
      )}
    </Grid>
  );
}

function VersionRow({ v, first, isCurrent, selected, onSelect, onRestore }: {
  v: Version; first: boolean; isCurrent: boolean; selected: boolean; onSelect: () => void; onRestore: () => void;
}) {
  return (
    <Group component="li" gap="xs" wrap="nowrap" px="sm" py={8} justify="space-between"
      style={{
        borderTop: first ? undefined : '1px solid var(--mantine-color-gray-2)',
        background: selected ? 'var(--mantine-color-indigo-0)' : undefined,
        boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-indigo-6)' : undefined,
      }}>
      <UnstyledButton onClick={onSelect} aria-current={selected ? 'true' : undefined} aria-label={`Version ${v.version}, ${relativeTime(v.createdAt)}`}
        style={{ flex: 1, minWidth: 0 }}>
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600}>Version {v.version}</Text>
            {isCurrent && <Badge size="xs" variant="light" color="teal">Current</Badge>}
          </Group>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{relativeTime(v.createdAt)}</Text>
        </Group>
        <Text size="xs" c="dimmed" truncate>
          <time dateTime={v.createdAt}>{exactTime(v.createdAt)}</time>
        </Text>
      </UnstyledButton>
      {!isCurrent && (
        <Button size="compact-xs" variant="subtle" color="gray" onClick={onRestore} aria-label={`Restore version ${v.version}`}>
          Restore
        </Button>
      )}
    </Group>
  );
}

function Comparison({ versions, from, to, onPick }: {
  versions: Version[]; from: number | null; to: number; onPick: (from: number | null, to: number) => void;
}) {
  const options = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="md">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <Title order={3} size="h4">
            {from === null ? `Version ${to}` : `Changes from version ${from} to ${to}`}
          </Title>
          <Group gap="xs" wrap="nowrap">
            <Select label="From version" size="xs" w={130} data={options} allowDeselect={false}
              value={from === null ? null : String(from)} placeholder="—" onChange={(v) => v && onPick(Number(v), to)} />
            <Select label="To version" size="xs" w={130} data={options} allowDeselect={false}
              value={String(to)} onChange={(v) => v && onPick(from, Number(v))} />
          </Group>
        </Group>
        {from === null ? (
          <Text size="sm" c="dimmed">The first version kept: there is nothing before it to compare with. Pick a version under From to compare.</Text>
        ) : from === to ? (
          <Text size="sm" c="dimmed">The same version on both sides: pick another to compare.</Text>
        ) : (
          <Diff from={from} to={to} />
        )}
      </Stack>
    </Paper>
  );
}

const opLooks: Record<Change['op'], { mark: string; color: string; label: string }> = {
  add: { mark: '+', color: 'teal', label: 'Added' },
  remove: { mark: '−', color: 'red', label: 'Removed' },
  update: { mark: '~', color: 'indigo', label: 'Changed' },
  reorder: { mark: '⇅', color: 'gray', label: 'Reordered' },
};

function Diff({ from, to }: { from: number; to: number }) {
  const { name } = useWorkspace();
  const { data, loading, error, refetch } = useQuery<{ model: { id: string; diff: Change[] } | null }>(MODEL_DIFF, {
    variables: { name, from, to },
    // Two versions never change: what was read once stays true.
    fetchPolicy: 'cache-first',
  });
  if (error && !data) {
    return (
      <LoadFailed what="The changes" error={error} retry={refetch} />
    );
  }
  if (loading || !data) {
    return (
      <Center py="lg">
        <Loader size="sm" aria-label="Loading the changes" />
      </Center>
    );
  }
  const changes = data.model?.diff ?? [];
  if (changes.length === 0) {
    return <Text size="sm" c="dimmed">No differences: the two versions have the same content.</Text>;
  }
  const groups = describeChanges(changes);
  return (
    <Stack gap="sm" aria-label={`Changes from version ${from} to ${to}`} role="region">
      <Text size="xs" c="dimmed">{tally(changes)}</Text>
      {groups.map((g) => (
        <Stack key={g.crumbs.join('/')} gap={4}>
          <Text size="xs" fw={700} c="dark.3" component="h4" m={0} aria-label={g.crumbs.join(' ▸ ')}>
            {g.crumbs.map((c, i) => (
              <span key={i}>
                {i > 0 && <Text span c="gray.5" mx={4} aria-hidden>▸</Text>}
                {c}
              </span>
            ))}
          </Text>
          <Stack component="ul" gap={4} m={0} p={0} style={{ listStyle: 'none' }}>
            {g.lines.map((l, i) => <ChangeLine key={i} line={l} />)}
          </Stack>
        </Stack>
      ))}
    </Stack>
  );
}

function ChangeLine({ line }: { line: Line }) {
  const look = opLooks[line.op];
  return (
    <Group component="li" gap={8} wrap="nowrap" align="flex-start">
      <Badge size="sm" variant="light" color={look.color} w={22} px={0} style={{ flexShrink: 0 }} aria-label={look.label}>
        {look.mark}
      </Badge>
      <Text size="sm" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {line.pieces.map((p, i) =>
          typeof p === 'string' ? <span key={i}>{p}</span> : <Code key={i} title={p.full !== p.value ? p.full : undefined}>{p.value}</Code>,
        )}
      </Text>
    </Group>
  );
}

interface Restored {
  restoreModelVersion: { id: string; version: number; document: ModelDoc };
}

/**
 * RestoreDialog confirms restoring a version, made on the session's
 * version; when the model changed meanwhile, it says so and offers to
 * restore on the newer version.
 */
function RestoreDialog({ version, onClose, onRestored }: { version: number; onClose: () => void; onRestored: () => void }) {
  const { name, session } = useWorkspace();
  const { version: current, status } = useModel();
  const [restore, { loading }] = useMutation<Restored>(RESTORE_MODEL_VERSION);
  const [problem, setProblem] = useState<{ message: string; conflict: number | null } | null>(null);
  const busy = status !== 'saved';

  const run = async (baseVersion: number) => {
    setProblem(null);
    try {
      const res = await restore({ variables: { name, version, baseVersion } });
      const m = res.data?.restoreModelVersion;
      // The modelChanged event brings it too; the session takes it once.
      if (m) session.remote({ version: m.version, document: m.document }, null);
      notifications.show({ color: 'teal', title: `Version ${version} restored`, message: m ? `It is now version ${m.version}.` : undefined });
      onRestored();
    } catch (e) {
      const err = toSaveError(e);
      if (err.code === 'CONFLICT') {
        setProblem({ message: `The model changed meanwhile${err.conflict ? ` (it is now at version ${err.conflict.version})` : ''}. Look at the latest changes, or restore version ${version} on top of them.`, conflict: err.conflict?.version ?? current });
      } else {
        setProblem({ message: errorMessage(e), conflict: null });
      }
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Restore version ${version}?`}>
      <Stack>
        <Text size="sm">
          The model’s content goes back to what it was in version {version}, saved as a new version (version {current + 1}). Nothing is
          lost: every version stays in the history, so you can restore a later one just as well.
        </Text>
        <Text size="sm" c="dimmed">Apps made from this model follow the new version at once.</Text>
        {busy && !problem && (
          <Alert color="gray" p="xs"><Text size="xs">Your last changes are still being saved; restore once they are.</Text></Alert>
        )}
        {problem && (
          <Alert color={problem.conflict !== null ? 'orange' : 'red'} role="alert" title={problem.conflict !== null ? 'The model changed meanwhile' : 'Not restored'}>
            <Text size="sm">{problem.message}</Text>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          {problem?.conflict != null ? (
            <Button color="orange" loading={loading} disabled={busy} onClick={() => void run(Math.max(current, problem.conflict ?? 0))}>
              Restore on the latest version
            </Button>
          ) : (
            <Button loading={loading} disabled={busy} onClick={() => void run(current)} data-autofocus>
              Restore version {version}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
