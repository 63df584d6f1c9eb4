import { Box, VisuallyHidden, type BoxProps } from '@mantine/core';
import type { ReactNode } from 'react';

interface Props extends BoxProps {
  /** What is loading, as a screen reader says it ("Loading tasks"). */
  label: string;
  /** What shows meanwhile (skeletons, a loader), hidden from screen readers. */
  children: ReactNode;
}

/** LoadingStatus is a placeholder that screen readers announce as a status. */
export function LoadingStatus({ label, children, ...box }: Props) {
  return (
    <Box role="status" aria-busy="true" {...box}>
      <VisuallyHidden>{label}</VisuallyHidden>
      <div aria-hidden="true">{children}</div>
    </Box>
  );
}
