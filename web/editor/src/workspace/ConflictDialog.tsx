// The choice a builder makes when another builder changed the same thing:
// per clashing action, keep mine or take theirs. Their changes are said as
// the history says them (history/describe.ts).

import { Alert, Button, Group, Modal, Radio, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ConflictState } from '../model/session';
import { editPath } from '../model/edits';
import { changedMembers } from '../model/merge';
import { isObject } from '../model/patch';
import type { Change, Edit, JSONObject, JSONValue } from '../model/types';
import { describeChange, memberLabel, shortShow, text } from './history/describe';

/** show writes a value of a member; a member removed (null in a patch) or absent is "—". */
function show(v: JSONValue | undefined): string {
  return v === null ? '—' : shortShow(v);
}

/** memberRows lists, for an update both sides made, each member: before, theirs, mine. */
function memberRows(c: Change, edits: Edit[]): { member: string; before: string; theirs: string; mine: string }[] {
  if (c.op !== 'update' || !isObject(c.before) || !isObject(c.after)) return [];
  const mine = edits.find((e) => isObject(e.value) && editPath(e) === c.path)?.value;
  const members = changedMembers(c.before, c.after);
  return members.map((m) => ({
    member: memberLabel(m),
    before: show((c.before as JSONObject)[m]),
    theirs: show((c.after as JSONObject)[m]),
    mine: isObject(mine) && m in mine ? show(mine[m]) : 'unchanged',
  }));
}

export function ConflictDialog({ conflict, onResolve }: { conflict: ConflictState; onResolve: (c: Record<number, 'mine' | 'theirs'>) => void }) {
  const [choices, setChoices] = useState<Record<number, 'mine' | 'theirs'>>({});
  return (
    <Modal opened onClose={() => undefined} withCloseButton={false} closeOnEscape={false} closeOnClickOutside={false}
      title="Someone else changed the same thing" size="lg">
      <Stack>
        <Text size="sm">
          Version {conflict.theirs.version} was saved while you were editing. Your other changes will be kept; for these,
          choose what to keep.
        </Text>
        {conflict.clashes.map((k) => (
          <Stack key={k.id} gap={6} p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
            <Text fw={600} size="sm">Your change: {k.label}</Text>
            {k.changes.length === 0 && k.applies && (
              <Text size="xs" c="dimmed">
                What they changed could not be compared with it (the server could not say), so it is not sent unasked.
              </Text>
            )}
            {k.changes.map((c, i) => {
              const rows = memberRows(c, k.edits);
              const { crumbs, lines } = describeChange(c);
              const where = crumbs.join(' ▸ ');
              return (
                <Stack key={i} gap={4}>
                  <Text size="xs" c="dimmed">
                    {where}: they {lines.map(text).join('; ')}
                  </Text>
                  {rows.length > 0 && (
                    <Table withTableBorder fz="xs" verticalSpacing={4} aria-label={`Theirs and mine: ${where}`}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Setting</Table.Th>
                          <Table.Th>Was</Table.Th>
                          <Table.Th>Theirs</Table.Th>
                          <Table.Th>Mine</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {rows.map((r) => (
                          <Table.Tr key={r.member}>
                            <Table.Td>{r.member}</Table.Td>
                            <Table.Td>{r.before}</Table.Td>
                            <Table.Td>{r.theirs}</Table.Td>
                            <Table.Td>{r.mine}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Stack>
              );
            })}
            {!k.applies && (
              <Alert color="orange" p="xs">
                <Text size="xs">Your change no longer applies to their version, so theirs is kept.</Text>
              </Alert>
            )}
            <Radio.Group value={k.applies ? (choices[k.id] ?? 'theirs') : 'theirs'} aria-label={`Keep for ${k.label}`}
              onChange={(v) => setChoices((c) => ({ ...c, [k.id]: v as 'mine' | 'theirs' }))}>
              <Group gap="lg">
                <Radio value="theirs" label="Keep theirs" />
                <Radio value="mine" label="Keep mine" disabled={!k.applies} />
              </Group>
            </Radio.Group>
          </Stack>
        ))}
        <Group justify="flex-end">
          <Button onClick={() => onResolve(choices)}>Apply</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
