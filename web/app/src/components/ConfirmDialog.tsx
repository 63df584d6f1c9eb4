import { Button, Group, Modal, Text } from '@mantine/core';

interface Props {
  opened: boolean;
  title: string;
  message: string;
  detail: string;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
  /** Give focus back to what had it when the dialog opened (default); false: the caller moves it, in onExited. */
  returnFocus?: boolean;
  /** Called once the dialog has closed. */
  onExited?: () => void;
}

export function ConfirmDialog({ opened, title, message, detail, confirmLabel, onCancel, onConfirm, returnFocus = true, onExited }: Props) {
  return (
    <Modal opened={opened} onClose={onCancel} title={title} size="sm" returnFocus={returnFocus} onExitTransitionEnd={onExited}>
      <Text>{message}</Text>
      {detail && (
        <Text fw={600} mt="xs">
          {detail}
        </Text>
      )}
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button color="red" onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
