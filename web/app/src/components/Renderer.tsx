// The registry of component types and the grid they are laid out on.

import { Alert, Grid } from '@mantine/core';
import type { ComponentType } from 'react';
import { rowsOf } from '../layout/grid';
import type { Component } from '../layout/types';
import { ButtonView } from './ButtonView';
import { ComponentBoundary } from './ComponentBoundary';
import { ContainerView } from './ContainerView';
import { DataGridView } from './DataGridView';
import { DetailView } from './DetailView';
import { FormView } from './FormView';
import { ModalView } from './ModalView';
import { TextView } from './TextView';

export interface ViewProps {
  component: Component;
}

export const registry: Record<string, ComponentType<ViewProps>> = {
  Button: ButtonView,
  Container: ContainerView,
  DataGrid: DataGridView,
  Detail: DetailView,
  Form: FormView,
  Modal: ModalView,
  Text: TextView,
};

/** RenderComponent renders one component by its type, inside a boundary. */
export function RenderComponent({ component }: ViewProps) {
  const View = registry[component.type];
  return (
    <ComponentBoundary name={`${component.type} ${component.id}`}>
      {View ? (
        <View component={component} />
      ) : (
        <Alert color="yellow">Unknown component type {component.type}</Alert>
      )}
    </ComponentBoundary>
  );
}

/** ComponentGrid lays components out on 12 columns, a Mantine Grid per row. */
export function ComponentGrid({ components }: { components: Component[] }) {
  return (
    <>
      {rowsOf(components).map((row) => (
        <Grid key={row.key} columns={12} gutter="md" mb="md">
          {row.cells.map((cell) => (
            <Grid.Col key={cell.component.id} span={{ base: 12, sm: cell.span }} offset={{ base: 0, sm: cell.offset }}>
              <RenderComponent component={cell.component} />
            </Grid.Col>
          ))}
        </Grid>
      ))}
      {components
        .filter((c) => c.type === 'Modal')
        .map((c) => (
          <RenderComponent key={c.id} component={c} />
        ))}
    </>
  );
}
