import type { ViewProps } from './Renderer';
import { ComponentGrid } from './Renderer';

export function ContainerView({ component }: ViewProps) {
  return <ComponentGrid components={component.children ?? []} />;
}
