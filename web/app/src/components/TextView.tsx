import { Text } from '@mantine/core';
import { stringProp } from '../layout/grid';
import type { ViewProps } from './Renderer';

export function TextView({ component }: ViewProps) {
  return <Text>{stringProp(component.props.text)}</Text>;
}
