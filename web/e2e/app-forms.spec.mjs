// The forms scenario in a real browser, against a running Torque with the
// app "contacts" (see TestFormsScenarioInBrowser in
// internal/webapp/e2e_test.go), whose model has no pages: everything shown
// is generated. A field is removed from the model through GraphQL while the
// New Contact dialog is open with input in it: the dialog loses that field,
// keeps the other's input, and saves. A contact's values read formatted in
// the grid and on the contact's page, and the app works at 375 px wide.
// Pages added through GraphQL: a fixed route beside the contact's page
// ("/contacts/new" next to "/contacts/{id}") is its own page, and a form on
// a page of one contact saves one edit after another. Then a page of 200
// rows renders only those in view, striped by row, keeping the focused one,
// and starts at the top again when sorted. Any console error fails the run.
//
// env: see harness.mjs.
import { base, check, eventually, graphql, labelled, modelVersion, page, rest, scenario, signIn, step } from './harness.mjs';

const app = `${base}/app/contacts`;
const dataRows = (table) => table.getByRole('row').filter({ has: page.getByRole('cell') });

await scenario('forms scenario', 'torque-e2e-forms-failure.png', async () => {
  await step('sign in on the generated Contacts page', async () => {
    await signIn(`${app}/contacts`, 'Contacts');
    await page.getByText('No contacts yet').waitFor();
  });

  const dialog = page.getByRole('dialog', { name: 'New Contact' });
  await step('a field removed through GraphQL leaves the open form, which keeps the other input and saves', async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.getByRole('button', { name: 'New Contact' }).click();
    await dialog.waitFor();
    await dialog.getByLabel(labelled('Name')).fill('Ada Lovelace');
    await dialog.getByLabel(labelled('Phone')).fill('+44 20 7946 0000');
    const version = await modelVersion('Contacts');
    await graphql(`mutation($v: Int!) { removeField(model: "Contacts", baseVersion: $v, entity: "Contact", field: "phone") { version } }`, { v: version });
    await dialog.getByLabel(labelled('Phone')).waitFor({ state: 'detached' });
    await page.getByRole('columnheader', { name: 'Phone' }).waitFor({ state: 'detached' });
    check(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
    check((await dialog.getByLabel(labelled('Name')).inputValue()) === 'Ada Lovelace', 'the form lost the name typed');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    const items = (await rest('GET', '/apps/contacts/entities/Contact', null, 200)).items;
    check(items.length === 1 && items[0].data.name === 'Ada Lovelace' && !('phone' in items[0].data),
      `the contact saved is ${JSON.stringify(items)}`);
  });

  await step('values read formatted: numbers right-aligned, booleans marked, empty ones a dash', async () => {
    await rest('POST', '/apps/contacts/entities/Contact',
      { data: { name: 'Grace Hopper', email: 'grace@example.com', vip: true, score: 1234.5, since: '1944-08-07', notes: 'Navy. '.repeat(40) } }, 201);
    const row = page.getByRole('row', { name: /Grace Hopper/ });
    await row.waitFor();
    const score = row.getByRole('cell', { name: '1,234.5', exact: true });
    await score.waitFor();
    check((await score.evaluate((el) => getComputedStyle(el).textAlign)) === 'right', 'the score is not aligned right');
    await row.getByRole('img', { name: 'Yes' }).waitFor();
    await page.getByRole('row', { name: /Ada Lovelace/ }).getByRole('img', { name: 'No' }).waitFor();
    await page.getByRole('row', { name: /Ada Lovelace/ }).getByText('empty').first().waitFor();
    // The browser is in Los Angeles (harness.mjs): the date must not move a day back.
    const since = row.locator('time[datetime="1944-08-07"]');
    await since.waitFor();
    check((await since.innerText()) === 'Aug 7, 1944', `the date reads ${await since.innerText()}`);
    await row.getByRole('link', { name: 'grace@example.com' }).waitFor();
  });

  await step("a contact's page shows the whole text, and its address survives a reload", async () => {
    await page.getByRole('link', { name: 'Grace Hopper', exact: true }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 2 }).waitFor();
    const notes = page.getByRole('table', { name: 'Contact details' }).getByRole('row', { name: /^Notes/ });
    await eventually(async () => (await notes.innerText()).includes('Navy. '.repeat(40).trim()), 'the notes are whole');
    await page.reload();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 2 }).waitFor();
  });

  await step('works at 375 px wide: the page of a contact and the list', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByRole('button', { name: 'Edit', exact: true }).waitFor();
    // Once the layout has settled at the new width (the navigation folds away).
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    await eventually(async () => (await width()) <= 375, "the contact's page fits in 375 px");
    await page.getByRole('link', { name: 'Back to Contacts' }).click();
    await page.getByRole('row', { name: /Grace Hopper/ }).waitFor();
    await eventually(async () => (await width()) <= 375, 'the list fits in 375 px');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await step('a fixed route beside the page of one contact is a page of its own', async () => {
    await page.getByRole('link', { name: 'Grace Hopper', exact: true }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 2 }).waitFor();
    const add = async (p) => graphql(`mutation($v: Int!, $p: JSON!) { addPage(model: "Contacts", baseVersion: $v, page: $p) { version } }`,
      { v: await modelVersion('Contacts'), p });
    await add({ name: 'New contact', route: '/contacts/new', title: 'New contact', components: [
      { id: 'new-contact', type: 'Form', position: { row: 0 }, props: { entity: 'Contact', fields: ['name', 'email'] } },
    ] });
    await add({ name: 'Edit contact', route: '/contacts/{id}/edit', title: 'Edit contact', components: [
      { id: 'edit-contact', type: 'Form', position: { row: 0 }, props: { entity: 'Contact', fields: ['name', 'score'] } },
    ] });
    // From /contacts/{id}, the link to /contacts/new opens that page, not the contact "new".
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'New contact' }).click();
    await page.waitForURL(`${app}/contacts/new`);
    await page.getByRole('heading', { name: 'New contact', level: 1 }).waitFor();
    await page.getByRole('form', { name: 'New Contact' }).waitFor();
  });

  await step('a form on the page of one contact saves one edit after another', async () => {
    const grace = (await rest('GET', '/apps/contacts/entities/Contact', null, 200)).items.find((c) => c.data.name === 'Grace Hopper');
    check(grace, 'Grace Hopper is missing');
    await page.goto(`${app}/contacts/${grace.id}/edit`);
    const form = page.getByRole('form', { name: 'Edit Contact' });
    const name = form.getByLabel(labelled('Name'));
    const score = form.getByLabel(labelled('Score'));
    await eventually(async () => (await name.inputValue()) === 'Grace Hopper', 'the form shows the contact');
    let version = grace.version;
    const save = async () => {
      await form.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => (await rest('GET', `/apps/contacts/entities/Contact/${grace.id}`, null, 200)).version > version,
        'the contact is saved');
      version += 1;
    };
    await score.fill('99');
    await save();
    await eventually(async () => (await name.inputValue()) === 'Grace Hopper', 'the form still shows the contact after saving');
    await eventually(async () => (await score.inputValue()) === '99', 'the form shows the score saved');
    await name.fill('Grace B. Hopper');
    await save();
    check((await form.getByRole('alert').count()) === 0, `the second save failed: ${await form.getByRole('alert').allInnerTexts()}`);
    const saved = await rest('GET', `/apps/contacts/entities/Contact/${grace.id}`, null, 200);
    check(saved.data.name === 'Grace B. Hopper' && saved.data.score === 99, `the contact saved is ${JSON.stringify(saved.data)}`);
  });

  await step('a grid of 200 rows renders those in view, and the others as it scrolls', async () => {
    for (let i = 1; i <= 198; i++) {
      await rest('POST', '/apps/contacts/entities/Contact', { data: { name: `Person ${String(i).padStart(3, '0')}`, score: i } }, 201);
    }
    const version = await modelVersion('Contacts');
    const everyone = { name: 'Everyone', route: '/everyone', components: [
      { id: 'all', type: 'DataGrid', position: { row: 0 }, props: { entity: 'Contact', columns: ['name', 'score'], sort: 'name', pageSize: 200 } },
    ] };
    await graphql(`mutation($v: Int!, $p: JSON!) { addPage(model: "Contacts", baseVersion: $v, page: $p) { version } }`, { v: version, p: everyone });
    await page.goto(`${app}/everyone`);
    const table = page.getByRole('table', { name: 'Contacts' });
    await table.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    check((await table.getAttribute('aria-rowcount')) === '201', `aria-rowcount is ${await table.getAttribute('aria-rowcount')}`);
    const shown = await dataRows(table).count();
    check(shown > 0 && shown < 100, `${shown} of 200 rows are in the page`);
    const last = table.getByRole('row', { name: /Person 198/ });
    check((await last.count()) === 0, 'the last row is rendered before scrolling');
    await page.mouse.move(0, 0); // no row is hovered: stripes read as they are
    check(await stripesFollowRows(table), 'the stripes do not follow the rows at the top');
    // The focused row stays in the table while scrolled out of view.
    const first = table.getByRole('button', { name: 'Delete Ada Lovelace' });
    await first.focus();
    for (const at of [0.3, 0.6]) {
      await scrollTo(table, at);
      await eventually(() => rowsFillView(table), `rows fill the view at ${at * 100}%`);
      check(await stripesFollowRows(table), `the stripes do not follow the rows at ${at * 100}%`);
    }
    await scrollTo(table, 1);
    await last.waitFor();
    check((await last.getAttribute('aria-rowindex')) === '201', `the last row's aria-rowindex is ${await last.getAttribute('aria-rowindex')}`);
    await eventually(() => rowsFillView(table), 'rows fill the view at the end');
    check(await stripesFollowRows(table), 'the stripes do not follow the rows at the end');
    check(await first.evaluate((el) => el === document.activeElement), 'the focused row left the table');
    // Another sort starts at the top.
    await table.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    await table.getByRole('row', { name: /Person 198/ }).waitFor();
    await eventually(() => table.evaluate((t) => t.closest('.mantine-ScrollArea-viewport').scrollTop === 0), 'the sorted grid is at the top');
  });
});

// scrollTo scrolls the grid holding table to at (0: top, 1: bottom) of its height.
async function scrollTo(table, at) {
  await table.evaluate((t, f) => {
    const v = t.closest('.mantine-ScrollArea-viewport');
    v.scrollTop = f * (v.scrollHeight - v.clientHeight);
  }, at);
}

// rowsFillView tells whether rendered rows are at the top (below the header) and the middle of the grid's view.
function rowsFillView(table) {
  return table.evaluate((t) => {
    const v = t.closest('.mantine-ScrollArea-viewport').getBoundingClientRect();
    const head = t.querySelector('thead').getBoundingClientRect().height;
    const rows = [...t.querySelectorAll('tbody tr[aria-rowindex]')].map((tr) => tr.getBoundingClientRect());
    const covered = (y) => rows.some((r) => r.top <= y && r.bottom >= y);
    return covered(v.top + head + 1) && covered((v.top + v.bottom) / 2);
  });
}

// stripesFollowRows tells whether every other row is striped, by its place
// among all rows (the first, aria-rowindex 2, striped), whatever rows are
// rendered.
function stripesFollowRows(table) {
  return table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr[aria-rowindex]')].every((tr) => {
      const striped = getComputedStyle(tr).backgroundColor !== 'rgba(0, 0, 0, 0)';
      return striped === (Number(tr.getAttribute('aria-rowindex')) % 2 === 0);
    }),
  );
}
