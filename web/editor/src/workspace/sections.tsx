// The sections of a model's workspace, in the order of the navigation.

import type { ComponentType } from 'react';
import { EntitiesSection } from './entities/EntitiesSection';

export interface Section {
  /** The URL segment: /models/{model}/{path}. */
  path: string;
  label: string;
  element: ComponentType;
}

export const sections: Section[] = [
  { path: 'entities', label: 'Entities', element: EntitiesSection },
];
