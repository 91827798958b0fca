/**
 * Broker flavours in the built app: switching flavour (the canvas and panels speak that
 * broker's words), a subscriber added while the run goes on, replay on a log, redrive
 * of the dead-letter queue, and the idempotent-consumer switch. Any page error fails a
 * test (see browser.ts); each view is checked with axe.
 *
 * Run alone on its own port and build: E2E_PORT=4191 E2E_OUTDIR=/tmp/dist-brokers.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clockMs, pause, playButton, strip } from './app';
import { expectNoAxeViolations, openPage } from './browser';

async function open(path: string) {
  const opened = await openPage(path);
  opened.page.setDefaultTimeout(10_000);
  return opened;
}



/** The first number before `word` in a node's text, e.g. `processed`. */
async function nodeNumber(node: Locator, word: string): Promise<number> {
  const text = (await node.textContent()) ?? '';
  const m = new RegExp(`([\\d,]+)\\s*${word}`).exec(text);
  if (!m) throw new Error(`node shows "${text}", no "${word}"`);
  return Number((m[1] as string).replace(/,/g, ''));
}

const eventCanvas = (page: Page) => page.locator('.architecture-canvas[data-side="event"]');
const serviceNode = (page: Page, id: string) => page.getByTestId(`service-event-${id}`);
/** The flavour switch in the fan-out side's title row. */
const brokerSelect = (page: Page) =>
  page.locator('section.stage-side[data-side="event"]').getByLabel('Broker:', { exact: true });
/** The side panel's content (the Stage is a tab panel too). */
const sidePanel = (page: Page) => page.locator('#side-panel-content');


async function play(page: Page): Promise<void> {
  if ((await playButton(page).textContent())?.includes('Play')) await playButton(page).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
}

/** Click a node's name on the fan-out canvas: the inspector shows it. */
async function inspect(page: Page, label: string): Promise<Locator> {
  await eventCanvas(page).getByRole('button', { name: label, exact: true }).click();
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('heading', { name: label }).waitFor();
  return inspector;
}

describe('broker flavours', () => {
  it('switches flavour: the canvas and the Broker tab speak RabbitMQ, Kafka or SNS + SQS', async () => {
    const { page } = await open('/?scenario=checkout&arch=event&speed=2');
    const broker = page.getByTestId('broker-event');
    expect(await broker.textContent()).toContain('Fanout exchange');
    await page.getByRole('tab', { name: 'Broker' }).click();
    const panel = sidePanel(page);
    await panel.getByRole('heading', { name: 'RabbitMQ-style queue' }).waitFor();
    expect(await panel.textContent()).toContain('Imitates RabbitMQ 4.x');
    // Every setting shows its default and links to the vendor's page, opening a new tab.
    const ttl = panel.locator('[data-setting="delivery_limit"]');
    expect(await ttl.textContent()).toContain('Default: 20.');
    const link = ttl.getByRole('link');
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/www\.rabbitmq\.com\/docs\//);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');

    await brokerSelect(page).selectOption('log');
    await panel.getByRole('heading', { name: 'Kafka-style log' }).waitFor();
    expect(await broker.textContent()).toContain('Topic (3 partitions)');
    await eventCanvas(page).getByRole('button', { name: 'Payment group', exact: true }).waitFor();
    expect(await page.locator('.stage-subtitle').textContent()).toContain('consumer group');
    expect(await panel.textContent()).toContain('Imitates Apache Kafka 4.x');
    expect(await panel.textContent()).toContain('consumer group');
    expect(await panel.locator('[data-setting="partitions"]').textContent()).toContain(
      'Default: 3.',
    );
    await expect
      .poll(() =>
        page
          .getByTestId('queue-event-payment-queue')
          .locator('.partition-bars')
          .getAttribute('data-partitions'),
      )
      .toBe('3');

    // A setting restarts the run (and says so): 6 partitions, clock back near zero.
    await expect.poll(() => clockMs(page), { timeout: 5000 }).toBeGreaterThan(2000);
    expect(await panel.textContent()).toContain('restarts the run at t = 0');
    await panel.getByLabel('Partitions').selectOption({ label: '6' });
    expect(await clockMs(page)).toBeLessThan(2000);
    await expect
      .poll(() =>
        page
          .getByTestId('queue-event-payment-queue')
          .locator('.partition-bars')
          .getAttribute('data-partitions'),
      )
      .toBe('6');
    expect(await broker.textContent()).toContain('Topic (6 partitions)');

    // The Broker tab switches too, and names what each flavour imitates.
    await panel.getByRole('radio', { name: /^SNS \+ SQS — Amazon SNS \+ SQS$/ }).check();
    await panel.getByRole('heading', { name: 'SNS + SQS' }).waitFor();
    expect(await brokerSelect(page).inputValue()).toBe('sns-sqs');
    expect(await broker.textContent()).toContain('SNS topic');
    expect(await page.getByTestId('queue-event-payment-queue').textContent()).toContain(
      'invisible',
    );
    const visibility = panel.locator('[data-setting="visibility_timeout_ms"]');
    expect(await visibility.textContent()).toContain('Visibility timeout');
    expect(await visibility.textContent()).toContain('Default: 30 s.');
    expect(await visibility.getByRole('link').getAttribute('href')).toMatch(
      /^https:\/\/docs\.aws\.amazon\.com\/AWSSimpleQueueService\//,
    );
    expect(new URL(page.url()).searchParams.get('scenario')).toBe('checkout');
    await expectNoAxeViolations(page);
  });

  it('adds a Fraud Service while the run goes on, without touching the producer', async () => {
    const { page } = await open('/?scenario=checkout&arch=event&speed=2');
    await page.getByRole('tab', { name: 'Broker' }).click();
    await expect.poll(() => clockMs(page), { timeout: 5000 }).toBeGreaterThan(2000);
    await page.getByRole('button', { name: 'Deploy Fraud Service (not subscribed yet)' }).click();

    // Greyed, not subscribed; the run was not restarted.
    const fraud = serviceNode(page, 'fraud');
    await fraud.waitFor();
    expect(await fraud.getByTestId('service-status').textContent()).toContain('not subscribed');
    expect(await page.getByTestId('queue-event-fraud-queue').textContent()).toContain(
      'not subscribed',
    );
    expect(await clockMs(page)).toBeGreaterThan(2000);
    const orders = await nodeNumber(serviceNode(page, 'orders'), 'processed');
    expect(orders).toBeGreaterThan(10);

    // The inspector explains, and adds it.
    const inspector = await inspect(page, 'Fraud queue');
    expect(await inspector.getByTestId('subscription-note').textContent()).toContain(
      'has not subscribed',
    );
    await expectNoAxeViolations(page);
    await inspector.getByRole('button', { name: 'Add Fraud Service' }).click();
    await expect.poll(() => fraud.getByTestId('service-status').textContent()).toContain('up');
    await expect.poll(() => nodeNumber(fraud, 'processed'), { timeout: 5000 }).toBeGreaterThan(3);
    expect(await nodeNumber(serviceNode(page, 'orders'), 'processed')).toBeGreaterThan(orders);
    await expect
      .poll(() => inspector.getByTestId('subscription-note').textContent())
      .toMatch(/It gets only events published after it subscribed/);
  });

  it('on a log, a late subscriber can start at the earliest record and read the history', async () => {
    const { page } = await open('/?scenario=checkout&arch=event&speed=2');
    await brokerSelect(page).selectOption('log');
    await page.getByRole('tab', { name: 'Broker' }).click();
    await expect.poll(() => clockMs(page), { timeout: 5000 }).toBeGreaterThan(4000);
    await page.getByRole('button', { name: 'Deploy Fraud Service (not subscribed yet)' }).click();
    await pause(page);
    const panel = sidePanel(page);
    await panel
      .getByRole('group', { name: 'Fraud Service starts reading at' })
      .getByRole('radio', { name: /^earliest/ })
      .check();
    await panel.getByRole('button', { name: 'Add Fraud Service' }).click();
    const inspector = await inspect(page, 'Fraud group');
    // Lag starts at the whole log and falls as it reads.
    const lagOf = async () => {
      const m = /Lag now ([\d,]+)/.exec(
        (await inspector.getByTestId('subscription-note').textContent()) ?? '',
      );
      return Number((m?.[1] ?? '-1').replace(/,/g, ''));
    };
    await expect.poll(lagOf).toBeGreaterThan(30);
    const lag0 = await lagOf();
    expect(await inspector.textContent()).toContain('from the earliest offset');
    await play(page);
    await expect.poll(lagOf, { timeout: 10_000 }).toBeLessThan(lag0 / 2);
    expect(await inspector.locator('.partitions-table tbody tr').count()).toBe(3);
  });

  it('replays a stopped consumer group from earliest: it processes the records again', async () => {
    const { page } = await open('/?scenario=checkout&arch=event&speed=4');
    await brokerSelect(page).selectOption('log');
    const email = serviceNode(page, 'email');
    await expect.poll(() => nodeNumber(email, 'processed'), { timeout: 5000 }).toBeGreaterThan(40);
    const inspector = await inspect(page, 'Email group');
    const replay = inspector.getByRole('group', { name: "Replay Email Service's consumer group" });
    const reset = replay.getByRole('button', { name: 'Reset offsets' });
    // Running: refused, with Kafka's reason.
    expect(await reset.isDisabled()).toBe(true);
    expect(await replay.textContent()).toContain('Stop the consumer group first');

    await page.getByRole('switch', { name: 'Email Service outage' }).click();
    await expect.poll(() => reset.isDisabled()).toBe(false);
    await pause(page);
    const before = await nodeNumber(email, 'processed');
    await replay.getByRole('radio', { name: 'earliest' }).check();
    await reset.click();
    await expect.poll(() => replay.textContent()).toContain('Offsets reset');
    await expectNoAxeViolations(page);
    await page.getByRole('switch', { name: 'Email Service outage' }).click();
    await play(page);
    // Read again from the start: the same orders processed a second time.
    await expect
      .poll(() => nodeNumber(email, 'processed'), { timeout: 10_000 })
      .toBeGreaterThan(before * 2);
    await expect.poll(() => strip(page, 'event', 'dup'), { timeout: 5000 }).toBeGreaterThan(20);
    await expect
      .poll(() => inspector.locator('.broker-duplicates').textContent())
      .toMatch(/emailed twice: order #\d+ was read again after the group's offsets were reset/);
  });

  it('redrives the dead-letter queue back to its source queue', async () => {
    const { page } = await open('/?scenario=poison-message&arch=event&speed=20');
    const dlq = page.getByTestId('dlq-event');
    await expect
      .poll(() => nodeNumber(dlq, 'dead letters'), { timeout: 15_000 })
      .toBeGreaterThan(1);
    await pause(page);
    const inspector = await inspect(page, 'Dead-letter queue');
    const dead = await nodeNumber(dlq, 'dead letters');
    await inspector.getByRole('button', { name: 'Redrive dead letters' }).click();
    await expect.poll(() => nodeNumber(dlq, 'dead letters')).toBe(0);
    expect(await inspector.textContent()).toContain(`Moved ${dead} back to their source queues`);
    expect(await inspector.getByRole('button', { name: 'Redrive dead letters' }).isDisabled()).toBe(
      true,
    );
    // Back in the analytics queue: delivered again (poison fails again, and returns).
    await expect
      .poll(() => inspector.getByRole('list', { name: /Latest trace lines/ }).textContent())
      .toMatch(/redriven OrderCreated #\d+ from the dead-letter queue back to analytics queue/);
    await play(page);
    await expect
      .poll(() => nodeNumber(dlq, 'dead letters'), { timeout: 15_000 })
      .toBeGreaterThan(0);
  });

  it('the idempotent switch stops duplicate charges after crash-before-ack', async () => {
    const { page } = await open('/?scenario=duplicate-delivery&arch=event&speed=5');
    // From 10 s Payment crashes before acking: redeliveries charge again.
    await expect.poll(() => strip(page, 'event', 'dup'), { timeout: 15_000 }).toBeGreaterThan(2);
    const inspector = await inspect(page, 'Payment Service');
    await expect
      .poll(() => inspector.locator('.broker-duplicates').textContent())
      .toMatch(
        /charged twice: order #\d+ was redelivered after the consumer crashed before acking/,
      );

    // Switched on from the node's fault menu.
    await page.getByRole('button', { name: 'Payment Service fault settings' }).click();
    const menu = page.getByRole('dialog', { name: 'Payment Service fault settings' });
    await menu.getByLabel(/Payment Service is idempotent/).check();
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
    const duplicates = await strip(page, 'event', 'dup');
    const t0 = await clockMs(page);
    await expect
      .poll(() => clockMs(page), { timeout: 15_000 })
      .toBeGreaterThan(Math.max(t0 + 8000, 28_000));
    // No new duplicate side effect; the repeats are skipped, and the inspector says so.
    expect(await strip(page, 'event', 'dup')).toBe(duplicates);
    await expect
      .poll(() => inspector.locator('.broker-duplicates li').first().textContent())
      .toMatch(/skipped: already handled order #\d+/);
    expect(await inspector.getByLabel(/Payment Service is idempotent/).isChecked()).toBe(true);
  });
});
