// Server problems, keyed by the paths of the server's model validation
// ("entities[0].fields[2].type") or of an edit ("edits[1].value.type"),
// turned into keys by name that the editor's forms look up:
// "entities/Task/fields/title#type", "relationships/r#to", "pages/Tasks#route".

import { editPath } from './edits';
import type { Edit, ModelDoc } from './types';

export type Problems = Record<string, string>;

export function problemKey(path: string, member = ''): string {
  return `${path}#${member}`;
}

const entityRE = /^entities\[(\d+)\](?:\.fields\[(\d+)\])?(?:\.(.+))?$/;
const listRE = /^(relationships|pages|xflows)\[(\d+)\](?:\.(.+))?$/;
const editRE = /^edits\[(\d+)\](?:\.value)?(?:\.(.+))?$/;

/**
 * namedProblems maps the server's fields (paths into doc, the document
 * the refused write would have made, or into edits) to keys by name.
 * Paths it cannot place are kept under "#" plus the path.
 */
export function namedProblems(doc: ModelDoc, edits: readonly Edit[], fields: Record<string, string>): Problems {
  const out: Problems = {};
  for (const [path, msg] of Object.entries(fields)) {
    out[placed(doc, edits, path) ?? `#${path}`] = msg;
  }
  return out;
}

function placed(doc: ModelDoc, edits: readonly Edit[], path: string): string | null {
  let m = entityRE.exec(path);
  if (m) {
    const ent = doc.entities[Number(m[1])];
    if (!ent) return null;
    if (m[2] === undefined) return problemKey(`entities/${ent.name}`, m[3] ?? '');
    const f = ent.fields[Number(m[2])];
    return f ? problemKey(`entities/${ent.name}/fields/${f.name}`, m[3] ?? '') : null;
  }
  m = listRE.exec(path);
  if (m) {
    const list = doc[m[1] as 'relationships' | 'pages' | 'xflows'] as { name: string }[];
    const part = list[Number(m[2])];
    return part ? problemKey(`${m[1]}/${part.name}`, m[3] ?? '') : null;
  }
  m = editRE.exec(path);
  if (m) {
    const e = edits[Number(m[1])];
    if (!e) return null;
    try {
      return problemKey(editPath(e), m[2] ?? '');
    } catch {
      return null;
    }
  }
  return null;
}

/** problemsAt returns the problems of one part, by member. */
export function problemsAt(problems: Problems, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = `${path}#`;
  for (const [k, v] of Object.entries(problems)) {
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  }
  return out;
}
