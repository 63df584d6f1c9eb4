// The Model Editor's History, Apps and Flows sections in a real browser,
// against a running Torque with the TODO example and its app "todo" (see
// internal/webapp/editor_history_e2e_test.go, which starts one): two edits
// made in the Entities section show in the history as versions and as a
// diff in words; restoring the first version brings its content back as a
// new version, on the server and in the editor; an app is created from the
// model, found on the server, and deleted after a confirmation; Flows
// shows its empty state; every section fits a 375 px wide screen. Elements
// are found by role and label. Any console error fails the run.
//
// env: see harness.mjs; TORQUE_SCREENSHOTS (a directory: write
// editor-history.png and editor-apps.png there).
import { base, check, eventually, graphql, labelled, page, scenario, signIn, step } from './harness.mjs';
import { saved, shot } from './editor-steps.mjs';

const nav = (label) => page.getByRole('navigation', { name: 'Model sections' }).getByRole('link', { name: label, exact: true });
const versionButton = (v) => page.getByRole('navigation', { name: 'Versions' }).getByRole('button', { name: new RegExp(`^Version ${v},`) });

async function fields() {
  const m = (await graphql('query { model(name: "TODO") { version document } }')).model;
  return { version: m.version, fields: m.document.entities.find((e) => e.name === 'Task').fields };
}

// fitsNarrow checks that the page does not scroll sideways on a phone.
async function fitsNarrow(what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 375, `${what} is ${wide} px wide at 375 px`);
}

await scenario('model editor history, apps and flows scenario', 'torque-editor-history-failure.png', async () => {
  let first;
  await step('sign in to the editor and open the TODO model', async () => {
    await signIn(`${base}/editor/`, 'Models');
    first = await fields();
    await page.getByRole('table', { name: 'Models' }).getByRole('link', { name: 'TODO' }).click();
    await page.waitForURL(`${base}/editor/models/TODO/entities/Task`);
    await page.getByRole('heading', { name: 'Task', level: 2 }).waitFor();
  });

  const v0 = first.version;
  await step('two edits in the Entities section make two versions', async () => {
    await page.getByRole('table', { name: /Fields of/ }).getByRole('link', { name: 'title', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Field Task.title' });
    await panel.getByLabel(labelled('Maximum length')).fill('120');
    await saved();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    const form = page.getByRole('form', { name: /Add a field/ });
    await form.getByLabel(labelled('Field name')).fill('estimate');
    await form.getByRole('textbox', { name: labelled('Field type') }).click();
    await page.getByRole('option', { name: 'number', exact: true }).click();
    await form.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('table', { name: /Fields of/ }).getByRole('link', { name: 'estimate', exact: true }).waitFor();
    await saved();
    const now = await fields();
    check(now.version === v0 + 2, `version ${now.version}, want ${v0 + 2}`);
    check(now.fields.find((f) => f.name === 'title').maxLength === 120, 'maxLength not saved');
  });

  await step('History lists the versions, newest first, and says what the last one changed', async () => {
    await nav('History').click();
    await page.waitForURL(`${base}/editor/models/TODO/history`);
    await versionButton(v0 + 2).waitFor();
    const names = await page.getByRole('navigation', { name: 'Versions' }).getByRole('button', { name: /^Version \d+,/ }).allTextContents();
    check(names[0].startsWith(`Version ${v0 + 2}Current`), `first row: ${names[0]}`);
    check(names.length >= 3 && names[1].startsWith(`Version ${v0 + 1}`), `rows: ${names.join(' | ')}`);
    check((await versionButton(v0 + 2).getAttribute('aria-current')) === 'true', 'the current version is not selected');
    const diff = page.getByRole('region', { name: `Changes from version ${v0 + 1} to ${v0 + 2}` });
    await diff.getByText('added field estimate (number)').waitFor();
    await diff.getByRole('heading', { name: 'Entities ▸ Task ▸ fields' }).waitFor();
  });

  await step('comparing the first version with the current one says both changes in words', async () => {
    await page.getByRole('textbox', { name: 'From version' }).click();
    await page.getByRole('option', { name: `Version ${v0}`, exact: true }).click();
    const diff = page.getByRole('region', { name: `Changes from version ${v0} to ${v0 + 2}` });
    await diff.getByText('changed max length from 200 to 120').waitFor();
    await diff.getByText('added field estimate (number)').waitFor();
    await diff.getByRole('heading', { name: 'Entities ▸ Task ▸ fields ▸ title' }).waitFor();
    await diff.getByText('1 added, 1 changed').waitFor();
    await shot('editor-history.png');
  });

  await step('selecting a version shows what it changed', async () => {
    await versionButton(v0 + 1).click();
    const diff = page.getByRole('region', { name: `Changes from version ${v0} to ${v0 + 1}` });
    await diff.getByText('changed max length from 200 to 120').waitFor();
    check(await diff.getByText(/estimate/).count() === 0, 'version 2 shows the field added in version 3');
  });

  await step('restoring the first version after confirming makes a new version with its content', async () => {
    await page.getByRole('button', { name: `Restore version ${v0}` }).click();
    const dialog = page.getByRole('dialog', { name: `Restore version ${v0}?` });
    await dialog.getByText(`saved as a new version (version ${v0 + 3})`).waitFor();
    await dialog.getByRole('button', { name: `Restore version ${v0}` }).click();
    await dialog.waitFor({ state: 'hidden' });
    await versionButton(v0 + 3).waitFor();
    const now = await fields();
    check(now.version === v0 + 3, `version ${now.version}, want ${v0 + 3}`);
    const kept = (await graphql('query { model(name: "TODO") { versions { version document } } }')).model.versions;
    const one = kept.find((v) => v.version === v0).document.entities.find((e) => e.name === 'Task').fields;
    check(JSON.stringify(now.fields) === JSON.stringify(one), `fields ${JSON.stringify(now.fields)}, want version ${v0}'s ${JSON.stringify(one)}`);
    check(JSON.stringify(now.fields) === JSON.stringify(first.fields), 'the fields are not those of the start');
    // The editor follows: the new version is current and says what the restore did.
    const diff = page.getByRole('region', { name: `Changes from version ${v0 + 2} to ${v0 + 3}` });
    await diff.getByText('changed max length from 120 to 200').waitFor();
    await diff.getByText('removed field estimate (number)').waitFor();
    await page.getByRole('status', { name: 'Save status: Saved' }).waitFor();
    await nav('Entities').click();
    await page.getByRole('table', { name: /Fields of/ }).getByRole('link', { name: 'title', exact: true }).waitFor();
    check(await page.getByRole('table', { name: /Fields of/ }).getByRole('link', { name: 'estimate', exact: true }).count() === 0, 'estimate still shown');
  });

  await step('a restore made on a stale version says the model changed meanwhile, and the retry works', async () => {
    await nav('History').click();
    // Someone else saves a version the editor has not heard of yet: hold the live event back by making the change
    // while the dialog is open, then answer the conflict.
    await page.getByRole('button', { name: `Restore version ${v0 + 1}` }).click();
    const dialog = page.getByRole('dialog', { name: `Restore version ${v0 + 1}?` });
    await dialog.waitFor();
    await page.route('**/graphql', async (route) => {
      const body = route.request().postData() ?? '';
      if (body.includes('"operationName":"RestoreModelVersion"')) {
        const data = JSON.parse(body);
        data.variables.baseVersion -= 1;
        await route.continue({ postData: JSON.stringify(data) });
        return;
      }
      await route.continue();
    });
    await dialog.getByRole('button', { name: `Restore version ${v0 + 1}` }).click();
    await dialog.getByText('The model changed meanwhile', { exact: true }).waitFor();
    await page.unroute('**/graphql');
    await dialog.getByRole('button', { name: 'Restore on the latest version' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await versionButton(v0 + 4).waitFor();
    const now = await fields();
    check(now.version === v0 + 4 && now.fields.find((f) => f.name === 'title').maxLength === 120, `after the retry: ${JSON.stringify(now)}`);
  });

  await step('Apps lists the app made from the model, with a link that opens it in a new tab', async () => {
    await nav('Apps').click();
    await page.waitForURL(`${base}/editor/models/TODO/apps`);
    const list = page.getByRole('list', { name: 'Apps made from TODO' });
    const open = list.getByRole('link', { name: 'Open todo (opens in a new tab)' });
    await open.waitFor();
    check((await open.getAttribute('href')) === '/app/todo/', `href ${await open.getAttribute('href')}`);
    check((await open.getAttribute('target')) === '_blank', 'the link does not open a new tab');
  });

  await step('an app is created from the form; bad and taken names are refused under the field', async () => {
    const form = page.getByRole('form', { name: 'Create an app' });
    const input = form.getByLabel(labelled('App name'));
    await input.fill('Todo 2');
    await form.getByRole('button', { name: 'Create app' }).click();
    await form.getByText('Start with a lowercase letter').waitFor();
    await input.fill('todo');
    await form.getByRole('button', { name: 'Create app' }).click();
    await form.getByText('There is already an app with this name').waitFor();
    await input.fill('todo2');
    await form.getByRole('button', { name: 'Create app' }).click();
    await page.getByRole('list', { name: 'Apps made from TODO' }).getByRole('link', { name: 'Open todo2 (opens in a new tab)' }).waitFor();
    check((await input.inputValue()) === '', 'the form was not cleared');
    const app = (await graphql('query { app(name: "todo2") { name model } }')).app;
    check(app?.name === 'todo2' && app.model === 'TODO', `app ${JSON.stringify(app)}`);
    await page.getByRole('alert').filter({ hasText: 'App todo2 created' }).waitFor({ state: 'hidden' });
    await shot('editor-apps.png');
  });

  await step('deleting an app asks to type its name, says what is lost, and removes it', async () => {
    await page.getByRole('button', { name: 'Delete app todo2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete app todo2?' });
    await dialog.getByText(/Every record stored in todo2.*deleted for good/).waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete app' });
    check(await confirm.isDisabled(), 'Delete is enabled before the name is typed');
    await dialog.getByLabel('Type todo2 to confirm').fill('todo2');
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('list', { name: 'Apps made from TODO' }).getByRole('link', { name: 'Open todo2 (opens in a new tab)' }).waitFor({ state: 'detached' });
    const res = await page.request.post(`${base}/graphql`, { headers: { Origin: base }, data: { query: 'query { app(name: "todo2") { name } }' } });
    const body = await res.json();
    check(body.data?.app == null, `todo2 still exists: ${JSON.stringify(body)}`);
  });

  await step('Flows shows what flows are and where they are made', async () => {
    await nav('Flows').click();
    await page.waitForURL(`${base}/editor/models/TODO/flows`);
    await page.getByText('No flows yet').waitFor();
    await page.getByText(/built with the flow editor/).waitFor();
  });

  await step('every section fits a 375 px wide screen', async () => {
    await page.setViewportSize({ width: 375, height: 760 });
    for (const section of ['flows', 'apps', 'history']) {
      await page.goto(`${base}/editor/models/TODO/${section}`);
      await page.getByRole('heading', { name: section[0].toUpperCase() + section.slice(1), level: 2 }).waitFor();
      if (section === 'history') await page.getByRole('region', { name: /Changes from version/ }).waitFor();
      await eventually(async () => (await page.getByLabel(/^Loading/).count()) === 0, `${section} loaded`);
      await fitsNarrow(section);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
