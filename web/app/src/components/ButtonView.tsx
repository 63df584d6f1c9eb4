import { Button } from '@mantine/core';
import { stringProp } from '../layout/grid';
import type { ViewProps } from './Renderer';
import { usePage } from './PageContext';

export function ButtonView({ component }: ViewProps) {
  const { run } = usePage();
  return <Button onClick={() => run(component.actions?.onClick)}>{stringProp(component.props.label)}</Button>;
}
