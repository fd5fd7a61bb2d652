import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createSession } from '../src/modules/identity/session.ts';
import { sendDueNotifications } from '../src/modules/notify/send-notifications.ts';
import { sweepPendingNotifications } from '../src/modules/notify/sweep-new-mail.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { launchBrowser, scrollWidth } from './support/browser.ts';
import { createSender } from './support/fixtures.ts';
import { startTestKuvert, type TestKuvert } from './support/kuvert.ts';
import { minutes, personWithContacts, sendAndDeliver } from './support/notify-fixtures.ts';

let kuvert: TestKuvert;
let browser: Browser;

before(async () => {
  kuvert = await startTestKuvert({ worker: false });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kuvert?.stop();
});

/** axe (in a context with JavaScript, which axe needs) at desktop width and at 360 px, where nothing may scroll sideways. */
async function checkPage(sessionId: string, path: string, label: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  await context.addCookies([{ name: 'kuvert_session', value: sessionId, url: kuvert.url }]);
  const page = await context.newPage();
  await page.goto(`${kuvert.url}${path}`);
  await expectNoAxeViolations(page, label);
  await page.setViewportSize({ width: 360, height: 740 });
  assert.ok((await scrollWidth(page)) <= 360, `${label} is ${await scrollWidth(page)} px wide at 360 px`);
  await expectNoAxeViolations(page, `${label} at 360 px`);
  await context.close();
}

test('a citizen sees a failing address, opts in to NemSMS and English, and the next notification is in English', {
  timeout: 180_000,
}, async () => {
  const db = kuvert.services.db;
  const now = new Date();
  const sender = await createSender(db, 'Skattestyrelsen');
  const anna = await personWithContacts(db, { email: 'anna.browser@example.dk', mobile: '+4521000001' }, now, 'Anna');
  await db
    .updateTable('contact_detail')
    .set({ failing_since: now })
    .where('id', '=', anna.contactIds.email as string)
    .execute();
  const { sessionId } = await createSession(
    db,
    { kind: 'citizen', subject: 'browser-anna', name: 'Anna', recipientId: anna.id },
    null,
  );

  // Without JavaScript: plain forms.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  await context.addCookies([{ name: 'kuvert_session', value: sessionId, url: kuvert.url }]);
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${kuvert.url}/indstillinger/kontakt`);
  assert.equal(
    await page.getByText('Vi kan ikke give dig besked på en af dine kontaktoplysninger').count(),
    1,
    'the failing address is explained',
  );
  await checkPage(sessionId, '/indstillinger/kontakt', 'contact details with notification settings');

  // dkfds draws its own boxes over the inputs: people click the labels.
  await page.getByText('Ja tak, jeg vil gerne modtage NemSMS').click();
  await page.getByText('Engelsk (English)').click();
  assert.equal(await page.getByLabel('På SMS (mellem kl. 8 og 21)').isChecked(), true);
  await page.getByRole('button', { name: 'Gem valg' }).click();
  await page.waitForURL(/besked=preferences/);
  assert.equal(await page.getByText('Dine valg om besked er gemt.').count(), 1);
  assert.equal(await page.getByLabel('Ja tak, jeg vil gerne modtage NemSMS').isChecked(), true);
  const saved = await db
    .selectFrom('notify_preference')
    .selectAll()
    .where('recipient_id', '=', anna.id)
    .executeTakeFirstOrThrow();
  assert.equal(saved.nemsms, true);
  assert.equal(saved.language, 'en');

  // A letter arrives: the SMS (to the working number only) appears in the development outbox, in English.
  const daytime = new Date('2026-12-02T10:00:00Z');
  await sendAndDeliver(kuvert, sender.apiKey, anna.cpr as string, daytime);
  await sweepPendingNotifications(kuvert.services, minutes(daytime, 6));
  await sendDueNotifications(kuvert.services, minutes(daytime, 6));
  await page.goto(`${kuvert.url}/udvikling/udbakke`);
  const row = page.getByRole('row').filter({ hasText: '+4521000001' }).filter({ hasText: 'new_mail' });
  assert.equal(await row.count(), 1);
  assert.match((await row.textContent()) ?? '', /New Digital Post from Skattestyrelsen/);
  assert.equal(await page.getByRole('row').filter({ hasText: 'anna.browser@example.dk' }).count(), 0);
  await checkPage(sessionId, '/udvikling/udbakke', 'development outbox');
  await context.close();
});
