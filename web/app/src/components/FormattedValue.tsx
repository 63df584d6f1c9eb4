import { Anchor, Badge, Code, Text, VisuallyHidden } from '@mantine/core';
import type { MouseEvent } from 'react';
import { Link } from 'react-router-dom';
import type { Formatted } from '../layout/format';

interface Props {
  value: Formatted;
  /** Where a reference leads: the page of the entity it names, if any. */
  referenceTo?: (id: string) => string | undefined;
  /** A value in a detail view: text keeps its lines, JSON shows as a block. */
  block?: boolean;
}

// Links inside a clickable grid row do their own thing, not the row's.
const stop = (e: MouseEvent) => e.stopPropagation();

/** FormattedValue shows one value as format() described it. */
export function FormattedValue({ value: x, referenceTo, block = false }: Props) {
  switch (x.kind) {
    case 'empty':
      return (
        <Text span c="dimmed" inherit>
          <span aria-hidden="true">—</span>
          <VisuallyHidden>empty</VisuallyHidden>
        </Text>
      );
    case 'boolean':
      return (
        <Text span inherit fw={700} c={x.value ? 'teal.7' : 'red.7'} role="img" aria-label={x.label} title={x.label}>
          {x.value ? '✓' : '✗'}
        </Text>
      );
    case 'enum':
      return (
        <Badge color={x.color} variant="light" tt="none" radius="sm">
          {x.text}
        </Badge>
      );
    case 'date':
      return <time dateTime={x.iso}>{x.text}</time>;
    case 'number':
      return <>{x.text}</>;
    case 'link':
      return (
        <Anchor href={x.href} title={x.full} onClick={stop} inherit {...(x.href.startsWith('http') ? { target: '_blank', rel: 'noreferrer' } : {})}>
          {x.text}
        </Anchor>
      );
    case 'reference': {
      const to = referenceTo?.(x.id);
      return to ? (
        <Anchor component={Link} to={to} onClick={stop} inherit>
          {x.text}
        </Anchor>
      ) : (
        <>{x.text}</>
      );
    }
    case 'json':
      return block ? (
        <Code block>{x.text}</Code>
      ) : (
        <Text span ff="monospace" inherit title={x.full}>
          {x.text}
        </Text>
      );
    case 'text':
      return block ? (
        <Text span inherit style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {x.text}
        </Text>
      ) : (
        <Text span inherit title={x.full}>
          {x.text}
        </Text>
      );
  }
}
