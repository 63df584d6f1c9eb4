// The preview without data. The TorqueApp's components load their data and
// their forms over JSON-RPC (POST /rpc) for an app; a model with no app
// yet has none to ask, and its preview names the app "" (which no app can
// be called: the server answers `app "" not found`). answerOffline answers
// those calls from the editor's document instead: no records, and form
// definitions made as internal/layout's FormFor makes them, so that grids
// show their columns and forms their inputs. offlineFetch is the preview's
// JSON-RPC transport: the calls for the app "" (and only those) go to it.

import type { FetchLike, FormDef, FormField } from 'torque-app';
import type { ModelDoc } from '../../model/types';
import { dataFields, shownSystemFields } from './components';
import { words } from './pageRules';

/** The app name of the preview without data. */
export const noApp = '';

const widgets: Record<string, string> = {
  string: 'text', text: 'textarea', integer: 'integer', number: 'number', boolean: 'checkbox', date: 'date', datetime: 'datetime',
  enum: 'select', email: 'email', url: 'url', json: 'json',
};

const systemLabels: Record<string, [string, string]> = {
  id: ['ID', 'string'], createdAt: ['Created at', 'datetime'], updatedAt: ['Updated at', 'datetime'], createdBy: ['Created by', 'string'],
};

/** humanize turns a field name into a label as the server does: "dueDate" → "Due date", "homepageURL" → "Homepage URL". */
export function humanize(s: string): string {
  const ws = words(s).map((w, i) => {
    let out = w !== w.toUpperCase() || [...w].length === 1 ? w.toLowerCase() : w;
    if (i === 0) out = out.charAt(0).toUpperCase() + out.slice(1);
    return out;
  });
  return ws.length ? ws.join(' ') : s;
}

/** formDefinition is the form of entity in doc with fields (all when empty), or an error message. */
export function formDefinition(doc: ModelDoc, entity: string, fields: string[] = []): FormDef | string {
  const e = doc.entities.find((x) => x.name === entity);
  if (!e) return `model ${JSON.stringify(doc.name)} has no entity type ${JSON.stringify(entity)}`;
  const names = fields.length ? fields : dataFields(doc, entity);
  const out: FormField[] = [];
  for (const name of names) {
    const f = e.fields.find((x) => x.name === name);
    if (f) {
      const ff: FormField = { name, label: f.displayName?.trim() || humanize(name), type: f.type, widget: widgets[f.type] ?? 'text', required: f.required ?? false };
      for (const k of ['min', 'max', 'minLength', 'maxLength'] as const) if (f[k] !== undefined) ff[k] = f[k];
      if (f.pattern) ff.pattern = f.pattern;
      if (f.default !== undefined) ff.default = f.default;
      if (f.type === 'enum') ff.options = (f.values ?? []).map((v) => ({ value: v, label: v }));
      out.push(ff);
      continue;
    }
    const r = doc.relationships.find((x) => x.kind !== 'many-to-many' && x.to === entity && x.toField === name);
    if (r) {
      const from = doc.entities.find((x) => x.name === r.from);
      const display = from?.fields.find((x) => x.type === 'string')?.name ?? 'id';
      out.push({ name, label: humanize(name), type: 'string', widget: 'relation', required: r.required ?? false,
        relation: { entity: r.from, relationship: r.name, displayField: display, multiple: false } });
      continue;
    }
    const s = systemLabels[name];
    if (s && shownSystemFields.includes(name)) {
      out.push({ name, label: s[0], type: s[1], widget: widgets[s[1]] ?? 'text', required: false, readOnly: true });
      continue;
    }
    return `no field ${JSON.stringify(name)} in entity type ${JSON.stringify(entity)}`;
  }
  return { entity, title: e.displayName?.trim() || entity, fields: out };
}

interface Call {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
}

/** answerOffline answers one JSON-RPC call of the preview without data. */
export function answerOffline(doc: ModelDoc, call: Call): object {
  const id = call.id ?? null;
  const p = call.params ?? {};
  const fail = (message: string, code = 'ENOTFOUND') => ({ jsonrpc: '2.0', id, error: { code: -32004, message, data: { code } } });
  switch (call.method) {
    case 'loadEntityData':
      return { jsonrpc: '2.0', id, result: { items: [], nextCursor: null, total: 0 } };
    case 'getFormDefinition': {
      const fields = Array.isArray(p.fields) ? p.fields.filter((x): x is string => typeof x === 'string') : [];
      if (typeof p.id === 'string' && p.id) return fail('there are no records without an app');
      const form = formDefinition(doc, typeof p.entity === 'string' ? p.entity : '', fields);
      return typeof form === 'string' ? fail(form, 'EINVALID') : { jsonrpc: '2.0', id, result: { form } };
    }
    default:
      return fail('Create an app from this model to see its data', 'EINVALID');
  }
}

/** offlineCalls returns the calls of a request body when every one is for the app "", else null. */
export function offlineCalls(body: unknown): Call[] | null {
  if (typeof body !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return null;
  }
  const calls = (Array.isArray(v) ? v : [v]) as Call[];
  const ours = calls.length > 0 && calls.every((c) => typeof c === 'object' && c !== null && c.params?.app === noApp);
  return ours ? calls : null;
}

/**
 * offlineFetch is the fetch of the preview's JSON-RPC client: it answers
 * the requests whose every call is for the app "" from doc(), and sends
 * every other request to the server.
 */
export function offlineFetch(doc: () => ModelDoc): FetchLike {
  return (input, init) => {
    const calls = offlineCalls(init.body);
    if (!calls) return fetch(input, init);
    const answers = calls.map((c) => answerOffline(doc(), c));
    const batch = typeof init.body === 'string' && init.body.trimStart().startsWith('[');
    const body = JSON.stringify(batch ? answers : answers[0]);
    return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } }));
  };
}
