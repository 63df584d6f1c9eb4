import { Button } from '@mantine/core';
import type { ViewProps } from './Renderer';
import { usePage } from './PageContext';

export function ButtonView({ component }: ViewProps) {
  const { run } = usePage();
  return <Button onClick={() => run(component.actions?.onClick)}>{String(component.props.label ?? '')}</Button>;
}
