// The name of a new application, checked as the server checks it
// (appNameRE in internal/service/app.go): it is the app's URL, /app/{name}/.

import { z } from 'zod';

export const appNameRE = /^[a-z][a-z0-9-]{0,62}$/;

export function newAppSchema(taken: readonly string[]) {
  return z.object({
    name: z
      .string()
      .trim()
      .min(1, 'Name is required')
      .max(63, 'At most 63 characters')
      .regex(/^[a-z]/, 'Start with a lowercase letter')
      .regex(appNameRE, 'Only lowercase letters, digits and “-”')
      .refine((n) => !taken.includes(n), 'There is already an app with this name'),
  });
}
export type NewApp = z.infer<ReturnType<typeof newAppSchema>>;

/** appURL is where an application opens. */
export function appURL(name: string): string {
  return `/app/${encodeURIComponent(name)}/`;
}

/** suggestAppName turns a model name into a free app name: "My_Tasks" → "my-tasks". */
export function suggestAppName(model: string, taken: readonly string[]): string {
  let base = model.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 56);
  if (!base) base = 'app';
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}
