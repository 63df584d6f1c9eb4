// The forms scenario in a real browser, against a running Torque with the
// app "contacts" (see TestFormsScenarioInBrowser in
// internal/webapp/e2e_test.go), whose model has no pages: everything shown
// is generated. A field is removed from the model through GraphQL while the
// New Contact dialog is open with input in it: the dialog loses that field,
// keeps the other's input, and saves. Then a page of 200 rows renders only
// those in view, a contact's values read formatted in the grid and on the
// contact's page, and the app works at 375 px wide. Any console error fails
// the run.
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
    const number = await page.evaluate(() => new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 }).format(1234.5));
    const score = row.getByRole('cell', { name: number, exact: true });
    await score.waitFor();
    check((await score.evaluate((el) => getComputedStyle(el).textAlign)) === 'right', 'the score is not aligned right');
    await row.getByRole('img', { name: 'Yes' }).waitFor();
    await page.getByRole('row', { name: /Ada Lovelace/ }).getByRole('img', { name: 'No' }).waitFor();
    await page.getByRole('row', { name: /Ada Lovelace/ }).getByText('empty').first().waitFor();
    const since = row.locator('time[datetime="1944-08-07"]');
    await since.waitFor();
    check(/1944/.test(await since.innerText()), `the date reads ${await since.innerText()}`);
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
    let width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 375, `the contact's page is ${width} px wide`);
    await page.getByRole('link', { name: 'Back to Contacts' }).click();
    await page.getByRole('row', { name: /Grace Hopper/ }).waitFor();
    width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 375, `the list is ${width} px wide`);
    await page.setViewportSize({ width: 1280, height: 860 });
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
    await table.getByRole('row', { name: /Person 001/ }).scrollIntoViewIfNeeded();
    for (let i = 0; i < 40 && (await last.count()) === 0; i++) {
      await page.mouse.move(640, 500);
      await page.mouse.wheel(0, 2000);
      await page.waitForTimeout(50);
    }
    await last.waitFor();
    check((await last.getAttribute('aria-rowindex')) === '201', `the last row's aria-rowindex is ${await last.getAttribute('aria-rowindex')}`);
  });
});
