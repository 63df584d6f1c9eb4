// The Relationships section of the Model Editor in a real browser, against
// a running Torque (see internal/webapp/editor_relationships_e2e_test.go,
// which starts one): a builder creates a blank model with three entity
// types, adds a one-to-many and a many-to-many relationship through the
// "New relationship" dialog (names suggested from the entity types, a
// colliding end refused under its input), finds them on the server and in
// the diagram, changes what deleting does, undoes that (on the server
// too), opens an entity type from the diagram, deletes a relationship
// after confirming, and sees one to a missing entity type (as another
// tool could leave it in a document) shown as broken. Elements are found by role and label. Any console
// error fails the run.
//
// env: see harness.mjs; TORQUE_SCREENSHOTS (a directory: write
// editor-relationships.png and editor-diagram.png there).
import { base, check, eventually, labelled, page, scenario, signIn, step } from './harness.mjs';
import { addEntity, addField, gql, saved, shot } from './editor-steps.mjs';

const shooting = Boolean(process.env.TORQUE_SCREENSHOTS);

const model = 'Projects';

async function serverRelationships() {
  const q = 'query($n: String!) { model(name: $n) { relationships { name kind from to fromField toField onDelete required } } }';
  return (await gql(q, { n: model })).model.relationships;
}

// choose picks an option of the select labelled label in scope.
async function choose(scope, label, option) {
  await scope.getByRole('textbox', { name: labelled(label) }).click();
  await page.getByRole('option', { name: option }).click();
}

async function value(scope, label) {
  return scope.getByRole('textbox', { name: labelled(label) }).inputValue();
}

await scenario('relationships editor scenario', 'torque-editor-relationships-failure.png', async () => {
  await step('sign in and create a blank model', async () => {
    await signIn(`${base}/editor/`, 'Models');
    // Against a server kept between runs: start again from nothing.
    const left = await page.request.post(`${base}/graphql`, {
      headers: { Origin: base }, data: { query: 'mutation($n: String!) { deleteModel(name: $n) }', variables: { n: model } },
    });
    if ((await left.json()).data?.deleteModel) {
      await page.reload();
      await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    }
    await page.getByRole('button', { name: 'New model' }).click();
    const dialog = page.getByRole('dialog', { name: 'New model' });
    await dialog.getByLabel(labelled('Name')).fill(model);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${base}/editor/models/${model}/entities`);
  });

  await step('three entity types with a few fields are added', async () => {
    await addEntity('Project');
    await addField('name', 'string');
    await addField('deadline', 'date');
    await addEntity('Task');
    await addField('title', 'string');
    await addField('done', 'boolean');
    await addField('due', 'date');
    await addEntity('Tag');
    await addField('label', 'string');
    await saved();
  });

  await step('the Relationships section starts empty, with the diagram of the entity types', async () => {
    await page.getByRole('navigation', { name: 'Model sections' }).getByRole('link', { name: 'Relationships' }).click();
    await page.waitForURL(`${base}/editor/models/${model}/relationships`);
    await page.getByText('No relationships yet').waitFor();
    const diagram = page.getByRole('application', { name: 'Diagram of the entity types and their relationships' });
    await diagram.getByRole('group', { name: /^Entity type Task,/ }).waitFor();
  });

  await step('a one-to-many relationship is added with the suggested names; an end that is a field is refused', async () => {
    await page.getByRole('button', { name: 'Add relationship' }).click();
    const dialog = page.getByRole('dialog', { name: 'New relationship' });
    await choose(dialog, 'From entity', 'Project');
    await choose(dialog, 'To entity', 'Task');
    await choose(dialog, 'Kind', /^one-to-many/);
    check(await dialog.getByLabel(labelled('Name')).inputValue() === 'projectTasks', 'the name is suggested');
    check(await dialog.getByLabel(labelled('From field')).inputValue() === 'tasks', 'fromField is suggested');
    check(await dialog.getByLabel(labelled('To field')).inputValue() === 'project', 'toField is suggested');
    await dialog.getByLabel(labelled('To field')).fill('title');
    await dialog.getByText('Task already has “title”').waitFor();
    await dialog.getByRole('button', { name: 'Create' }).click();
    check(await dialog.isVisible(), 'the dialog stays open while the form is wrong');
    await dialog.getByLabel(labelled('To field')).fill('project');
    await dialog.getByRole('checkbox', { name: 'Required' }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForURL(`${base}/editor/models/${model}/relationships/projectTasks`);
    await saved();
    const rels = await serverRelationships();
    check(rels.length === 1, `relationships on the server: ${JSON.stringify(rels)}`);
    const r = rels[0];
    check(r.name === 'projectTasks' && r.kind === 'one-to-many' && r.from === 'Project' && r.to === 'Task' &&
      r.fromField === 'tasks' && r.toField === 'project' && r.onDelete === 'restrict' && r.required === true, `on the server: ${JSON.stringify(r)}`);
  });

  await step('a many-to-many relationship follows the entity types it is given, and cannot be required', async () => {
    await page.getByRole('button', { name: 'Add relationship' }).click();
    const dialog = page.getByRole('dialog', { name: 'New relationship' });
    await choose(dialog, 'Kind', /^many-to-many/);
    await choose(dialog, 'From entity', 'Task');
    await choose(dialog, 'To entity', 'Tag');
    await eventually(async () => (await dialog.getByLabel(labelled('Name')).inputValue()) === 'taskTags', 'the name follows the entity types');
    check(await dialog.getByLabel(labelled('From field')).inputValue() === 'tags', 'fromField follows');
    check(await dialog.getByLabel(labelled('To field')).inputValue() === 'tasks', 'toField follows');
    check(await dialog.getByRole('radio', { name: 'set-null', exact: true }).isChecked(), 'set-null is the default of many-to-many');
    check(await dialog.getByRole('checkbox', { name: 'Required' }).count() === 0, 'no Required for many-to-many');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${base}/editor/models/${model}/relationships/taskTags`);
    await saved();
    const rels = await serverRelationships();
    check(rels.map((r) => `${r.name}:${r.kind}:${r.onDelete}`).join(',') === 'projectTasks:one-to-many:restrict,taskTags:many-to-many:set-null',
      `on the server: ${JSON.stringify(rels)}`);
  });

  await step('the relationships are in the table and in the diagram', async () => {
    const table = page.getByRole('table', { name: 'Relationships' });
    await table.getByRole('row', { name: /projectTasks.*one-to-many.*Project → Task.*restrict/ }).waitFor();
    const diagram = page.getByRole('application', { name: 'Diagram of the entity types and their relationships' });
    const label = diagram.getByRole('link', { name: 'Relationship projectTasks, one-to-many, from Project to Task' });
    await label.waitFor();
    check((await label.innerText()).replace(/\s+/g, ' ').includes('projectTasks 1 — N'), `edge label: ${await label.innerText()}`);
    await diagram.getByRole('link', { name: /^Relationship taskTags,/ }).waitFor();
    // The label opens its relationship.
    await label.click();
    await page.waitForURL(`${base}/editor/models/${model}/relationships/projectTasks`);
    await page.getByRole('form', { name: 'Relationship projectTasks' }).waitFor();
    if (shooting) {
      await page.setViewportSize({ width: 1440, height: 1000 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await shot('editor-relationships.png');
      const box = page.locator('section', { has: diagram });
      await box.scrollIntoViewIfNeeded();
      await page.getByRole('button', { name: 'Fit View' }).click();
      await page.waitForTimeout(400); // the fit animates
      await shot('editor-diagram.png', box);
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  await step('onDelete is changed, and the change is undone on the server too', async () => {
    const form = page.getByRole('form', { name: 'Relationship projectTasks' });
    await form.getByRole('radio', { name: 'set-null', exact: true }).check();
    await form.getByText('“set-null” cannot be used with a required relationship').waitFor();
    await form.getByRole('radio', { name: 'cascade', exact: true }).check();
    await saved();
    let r = (await serverRelationships())[0];
    check(r.onDelete === 'cascade', `after the change: ${JSON.stringify(r)}`);
    await page.getByRole('table', { name: 'Relationships' }).getByRole('row', { name: /projectTasks.*cascade/ }).waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => form.getByRole('radio', { name: 'restrict', exact: true }).isChecked(), 'the form shows restrict again');
    await saved();
    r = (await serverRelationships())[0];
    check(r.onDelete === 'restrict', `after undo: ${JSON.stringify(r)}`);
  });

  await step('a box of the diagram opens its entity type, by a click or by Enter', async () => {
    const diagram = page.getByRole('application', { name: 'Diagram of the entity types and their relationships' });
    await diagram.getByRole('group', { name: /^Entity type Tag,/ }).click();
    await page.waitForURL(`${base}/editor/models/${model}/entities/Tag`);
    await page.goBack();
    await page.waitForURL(`${base}/editor/models/${model}/relationships/projectTasks`);
    await diagram.getByRole('group', { name: /^Entity type Task,/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/editor/models/${model}/entities/Task`);
    await page.goBack();
    await page.waitForURL(`${base}/editor/models/${model}/relationships/projectTasks`);
  });

  await step('a relationship is deleted after confirming', async () => {
    await page.getByRole('button', { name: 'Delete relationship' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete projectTasks?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    check((await serverRelationships()).length === 2, 'Cancel deletes nothing');
    await page.getByRole('button', { name: 'Delete relationship' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${base}/editor/models/${model}/relationships/taskTags`);
    await page.getByRole('table', { name: 'Relationships' }).getByRole('link', { name: 'projectTasks' }).waitFor({ state: 'detached' });
    await saved();
    const rels = await serverRelationships();
    check(rels.map((r) => r.name).join(',') === 'taskTags', `after deleting: ${JSON.stringify(rels)}`);
    check(await value(page.getByRole('form', { name: 'Relationship taskTags' }), 'From entity') === 'Task', 'the next relationship is shown');
  });

  await step('a relationship to an entity type the model lacks is shown as broken', async () => {
    // The document as it is loaded gets a relationship from "Person", which is no entity type.
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('"operationName":"ModelDocument"')) return route.continue();
      const res = await route.fetch();
      const body = await res.json();
      body.data.model.document.relationships.push({
        name: 'personTasks', kind: 'one-to-many', from: 'Person', to: 'Task', fromField: 'tasks', toField: 'owner', onDelete: 'restrict',
      });
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(`${base}/editor/models/${model}/relationships/personTasks`);
    await page.getByRole('alert').filter({ hasText: 'This relationship is broken' }).waitFor();
    const form = page.getByRole('form', { name: 'Relationship personTasks' });
    await form.getByText('There is no entity type “Person”').waitFor();
    await page.getByRole('table', { name: 'Relationships' }).getByRole('row', { name: /personTasks.*broken/ }).waitFor();
    const diagram = page.getByRole('application', { name: 'Diagram of the entity types and their relationships' });
    await diagram.getByRole('group', { name: /^Missing entity type Person/ }).waitFor();
    await page.unroute('**/graphql');
  });
});
