// What a view shows when what it reads could not be loaded: the reason and
// "Try again".

import { Alert, Button, Stack, Text } from '@mantine/core';
import { errorMessage } from '../graphql/errors';

export function LoadFailed({ what, error, retry }: { what: string; error: unknown; retry: () => unknown }) {
  return (
    <Alert color="red" title={`${what} could not be loaded`} role="alert">
      <Stack gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        <Button size="xs" variant="light" color="red" w="fit-content" onClick={() => void retry()}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}
