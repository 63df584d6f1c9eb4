// The sections of a model's workspace, in the order of the navigation.
// Entities comes with the editor; the others load when first opened, so the
// diagram library and the TorqueApp's renderer are not in the first load.

import { IconAffiliate, IconApps, IconDatabase, IconHistory, IconLayoutDashboard, IconRoute, type Icon } from '@tabler/icons-react';
import { lazy, type ComponentType } from 'react';
import { EntitiesSection } from './entities/EntitiesSection';

export interface Section {
  /** The URL segment: /models/{model}/{path}. */
  path: string;
  label: string;
  icon: Icon;
  element: ComponentType;
}

export const sections: Section[] = [
  { path: 'entities', label: 'Entities', icon: IconDatabase, element: EntitiesSection },
  {
    path: 'relationships',
    label: 'Relationships',
    icon: IconAffiliate,
    element: lazy(() => import('./relationships/RelationshipsSection').then((m) => ({ default: m.RelationshipsSection }))),
  },
  { path: 'pages', label: 'Pages', icon: IconLayoutDashboard, element: lazy(() => import('./pages/PagesSection').then((m) => ({ default: m.PagesSection }))) },
  { path: 'flows', label: 'Flows', icon: IconRoute, element: lazy(() => import('./flows/FlowsSection').then((m) => ({ default: m.FlowsSection }))) },
  { path: 'apps', label: 'Apps', icon: IconApps, element: lazy(() => import('./apps/AppsSection').then((m) => ({ default: m.AppsSection }))) },
  { path: 'history', label: 'History', icon: IconHistory, element: lazy(() => import('./history/HistorySection').then((m) => ({ default: m.HistorySection }))) },
];
