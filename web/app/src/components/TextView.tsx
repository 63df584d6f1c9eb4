import { Text } from '@mantine/core';
import type { ViewProps } from './Renderer';

export function TextView({ component }: ViewProps) {
  return <Text>{String(component.props.text ?? '')}</Text>;
}
