// Flows: the model's XFlows, as its document lists them. They are built
// with the flow editor that comes with the XFlow work; here they can be
// seen and removed.

import { Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useEdit, useModel } from '../context';
import { flowInfo } from './flowInfo';

export function FlowsSection() {
  const { doc } = useModel();
  const edit = useEdit();
  const [removing, setRemoving] = useState<string | null>(null);
  const flows = doc.xflows.map(flowInfo);

  return (
    <Stack gap="xs" maw={880}>
      <Title order={2} size="h4">Flows</Title>
      <Text size="sm" c="dimmed">
        Flows automate what happens in the apps made from this model: when a record is created or changed, on a schedule, or
        when someone presses a button, a flow runs its steps — notify someone, set a field, create a record, call a service.
      </Text>
      {flows.length === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Stack align="center" gap={4}>
            <Text fw={600}>No flows yet</Text>
            <Text size="sm" c="dimmed" ta="center" maw={520}>
              Flows are built with the flow editor, which comes with the XFlow work. Until then, the flows of a model imported
              with them are listed here.
            </Text>
          </Stack>
        </Paper>
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Stack component="ul" gap={0} m={0} p={0} aria-label="Flows" style={{ listStyle: 'none' }}>
            {flows.map((f, i) => (
              <Group component="li" key={f.name || `#${i}`} justify="space-between" wrap="nowrap" gap="sm" px="md" py="sm"
                style={{ borderTop: i === 0 ? undefined : '1px solid var(--mantine-color-gray-2)' }}>
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6} wrap="wrap">
                    <Text fw={600} size="sm">{f.name || `Unnamed flow #${i + 1}`}</Text>
                    {f.trigger && <Badge size="xs" variant="light" color="grape" tt="none">{f.trigger}</Badge>}
                    {f.steps !== null && <Badge size="xs" variant="light" color="gray" tt="none">{f.steps} step{f.steps === 1 ? '' : 's'}</Badge>}
                  </Group>
                  {f.description && <Text size="xs" c="dimmed" lineClamp={2}>{f.description}</Text>}
                </Stack>
                {f.name && (
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRemoving(f.name)} aria-label={`Remove flow ${f.name}`}>
                    Remove
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={`Remove flow ${removing ?? ''}?`}>
        <Stack>
          <Text size="sm">The flow is taken out of the model. Undo brings it back.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>Cancel</Button>
            <Button color="red" data-autofocus onClick={() => {
              if (removing !== null) edit(`Remove flow ${removing}`, [{ op: 'removeFlow', flow: removing }]);
              setRemoving(null);
            }}>Remove</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
