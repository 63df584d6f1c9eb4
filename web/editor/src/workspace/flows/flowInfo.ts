// What the Flows section shows of an XFlow. Flows are kept verbatim in the
// model (docs/model.md), so every member but the name is read if present.

import { isObject } from '../../model/patch';
import type { Flow, JSONValue } from '../../model/types';

export interface FlowInfo {
  /** The flow's name, or "" when it has none (it cannot be addressed by an edit then). */
  name: string;
  description: string;
  /** What starts it, in a few words ("entity.created · Task"), or "". */
  trigger: string;
  /** How many steps it has, or null when it does not list them. */
  steps: number | null;
}

function firstString(...vs: (JSONValue | undefined)[]): string | undefined {
  return vs.find((x): x is string => typeof x === 'string');
}

function words(v: JSONValue | undefined): string {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return '';
  const kind = firstString(v.type, v.event, v.on, v.kind);
  const target = firstString(v.entity, v.entityType, v.page, v.schedule, v.cron);
  return [kind, target].filter(Boolean).join(' · ');
}

export function flowInfo(f: Flow): FlowInfo {
  const v = f as unknown as Record<string, JSONValue | undefined>;
  const description = firstString(v.description, v.title, v.displayName);
  const list = [v.steps, v.nodes, v.actions].find((x): x is JSONValue[] => Array.isArray(x));
  return {
    name: typeof f.name === 'string' ? f.name : '',
    description: description ?? '',
    trigger: words(v.trigger ?? v.on ?? v.when),
    steps: list ? list.length : null,
  };
}
