/**
 * Broker flavours in the built app: switching flavour (the canvas and panels speak that
 * broker's words), a subscriber added while the run goes on, replay on a log, redrive of
 * the dead-letter queue, and the idempotent-consumer switch. One page for the file, a
 * fresh paused run per test; simulated time is injected.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceBy, advanceTo, clockMs, nodeNumber, reset, sidePanel, strip, tab } from './app';
import { filePage } from './browser';

const app = filePage();
let page: Page;

beforeAll(() => {
  page = app.page;
});

const eventCanvas = () => page.locator('.architecture-canvas[data-side="event"]');
const serviceNode = (id: string) => page.getByTestId(`service-event-${id}`);
/** The flavour switch in the fan-out side's title row. */
const brokerSelect = () =>
  page.locator('section.stage-side[data-side="event"]').getByLabel('Broker:', { exact: true });

/** Click a node's name on the fan-out canvas: the inspector shows it. */
async function inspect(label: string): Promise<Locator> {
  await eventCanvas().getByRole('button', { name: label, exact: true }).click();
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('heading', { name: label }).waitFor();
  return inspector;
}

/** Switch the fan-out side to a Kafka-style log (a new run at t = 0). */
async function useLog(): Promise<void> {
  await brokerSelect().selectOption('log');
  await page.getByTestId('broker-event').filter({ hasText: 'Topic' }).waitFor();
}

describe('broker flavours', () => {
  it('switches flavour: the canvas and the Broker tab speak RabbitMQ, Kafka or SNS + SQS', async () => {
    await reset(page, { mode: 'event' });
    const broker = page.getByTestId('broker-event');
    // Routing by event name is a direct exchange, the default.
    expect(await broker.textContent()).toContain('Direct exchange');
    await tab(page, 'Broker').click();
    const panel = sidePanel(page);
    await panel.getByRole('heading', { name: 'RabbitMQ-style queue' }).waitFor();
    expect(await panel.textContent()).toContain('Imitates RabbitMQ 4.x');
    // It says how it was checked against a real RabbitMQ, and what older versions do.
    await panel.getByRole('heading', { name: /Checked against the real broker/ }).waitFor();
    expect(await panel.locator('.broker-versions').textContent()).toContain(
      'default delivery limit of 20 from RabbitMQ 4.0',
    );
    // The routing tables put fanout, direct and topic side by side; choosing fanout
    // makes the broker copy every event to every queue.
    expect(await panel.locator('table.routing-table').count()).toBe(3);
    await panel.getByLabel('Exchange type').selectOption({ label: 'fanout' });
    await expect.poll(() => broker.textContent()).toContain('Fanout exchange');
    expect(await broker.textContent()).toContain('every event to every queue');
    expect(
      await panel.locator('table.routing-table.is-current').getAttribute('data-exchange'),
    ).toBe('fanout');
    // Every setting shows its default and links to the vendor's page, opening a new tab.
    const limit = panel.locator('[data-setting="delivery_limit"]');
    expect(await limit.textContent()).toContain('Default: 20.');
    const link = limit.getByRole('link');
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/www\.rabbitmq\.com\/docs\//);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');

    await brokerSelect().selectOption('log');
    await panel.getByRole('heading', { name: 'Kafka-style log' }).waitFor();
    await expect.poll(() => broker.textContent()).toContain('Topic (3 partitions)');
    await eventCanvas().getByRole('button', { name: 'Payment group', exact: true }).waitFor();
    expect(await page.locator('.stage-subtitle').textContent()).toContain('consumer group');
    expect(await panel.textContent()).toContain('Imitates Apache Kafka 4.x');
    expect(await panel.textContent()).toContain('consumer group');
    expect(await panel.locator('[data-setting="partitions"]').textContent()).toContain(
      'Default: 3.',
    );
    const bars = page.getByTestId('queue-event-payment-queue').locator('.partition-bars');
    await expect.poll(() => bars.getAttribute('data-partitions')).toBe('3');

    // A setting restarts the run (and says so): 6 partitions, the clock back at zero.
    await advanceTo(page, 5000);
    expect(await panel.textContent()).toContain('restarts the run at t = 0');
    await panel.getByLabel('Partitions').selectOption({ label: '6' });
    await expect.poll(() => bars.getAttribute('data-partitions')).toBe('6');
    expect(await clockMs(page)).toBe(0);
    expect(await broker.textContent()).toContain('Topic (6 partitions)');

    // The Broker tab switches too, and names what each flavour imitates.
    // The radio shows the engine's flavour: it is selected once the new run is there.
    const sns = panel.getByRole('radio', { name: /^SNS \+ SQS — Amazon SNS \+ SQS$/ });
    await sns.click();
    await expect.poll(() => sns.isChecked()).toBe(true);
    await panel.getByRole('heading', { name: 'SNS + SQS' }).waitFor();
    expect(await brokerSelect().inputValue()).toBe('sns-sqs');
    await expect.poll(() => broker.textContent()).toContain('SNS topic');
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
  });

  it('adds a Fraud Service while the run goes on, without touching the producer', async () => {
    await reset(page, { mode: 'event' });
    await tab(page, 'Broker').click();
    await advanceTo(page, 3000);
    await page.getByRole('button', { name: 'Deploy Fraud Service (not subscribed yet)' }).click();

    // Greyed, not subscribed; the run was not restarted.
    const fraud = serviceNode('fraud');
    await fraud.waitFor();
    expect(await fraud.getByTestId('service-status').textContent()).toContain('not subscribed');
    expect(await page.getByTestId('queue-event-fraud-queue').textContent()).toContain(
      'not subscribed',
    );
    expect(await clockMs(page)).toBe(3000);
    const orders = await nodeNumber(serviceNode('orders'), 'processed');
    expect(orders).toBeGreaterThan(10);

    // The inspector explains, and adds it.
    const inspector = await inspect('Fraud queue');
    expect(await inspector.getByTestId('subscription-note').textContent()).toContain(
      'has not subscribed',
    );
    await inspector.getByRole('button', { name: 'Add Fraud Service' }).click();
    await expect.poll(() => fraud.getByTestId('service-status').textContent()).toContain('up');
    await advanceBy(page, 3000);
    await expect.poll(() => nodeNumber(fraud, 'processed')).toBeGreaterThan(3);
    expect(await nodeNumber(serviceNode('orders'), 'processed')).toBeGreaterThan(orders);
    await expect
      .poll(() => inspector.getByTestId('subscription-note').textContent())
      .toMatch(/It gets only events published after it subscribed/);
  });

  it('on a log, a late subscriber can start at the earliest record and read the history', async () => {
    await reset(page, { mode: 'event' });
    await useLog();
    await tab(page, 'Broker').click();
    await advanceTo(page, 5000);
    await page.getByRole('button', { name: 'Deploy Fraud Service (not subscribed yet)' }).click();
    const panel = sidePanel(page);
    await panel
      .getByRole('group', { name: 'Fraud Service starts reading at' })
      .getByRole('radio', { name: /^earliest/ })
      .check();
    await panel.getByRole('button', { name: 'Add Fraud Service' }).click();
    const inspector = await inspect('Fraud group');
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
    await advanceBy(page, 5000);
    await expect.poll(lagOf).toBeLessThan(lag0 / 2);
    expect(await inspector.locator('.partitions-table tbody tr').count()).toBe(3);
  });

  it('replays a stopped consumer group from earliest: it processes the records again', async () => {
    await reset(page, { mode: 'event' });
    await useLog();
    const email = serviceNode('email');
    await advanceTo(page, 8000);
    await expect.poll(() => nodeNumber(email, 'processed')).toBeGreaterThan(40);
    const inspector = await inspect('Email group');
    const replay = inspector.getByRole('group', { name: "Replay Email Service's consumer group" });
    const resetOffsets = replay.getByRole('button', { name: 'Reset offsets' });
    // Running: refused, with Kafka's reason.
    expect(await resetOffsets.isDisabled()).toBe(true);
    expect(await replay.textContent()).toContain('Stop the consumer group first');

    await page.getByRole('switch', { name: 'Email Service outage' }).click();
    await expect.poll(() => resetOffsets.isDisabled()).toBe(false);
    const before = await nodeNumber(email, 'processed');
    await replay.getByRole('radio', { name: 'earliest' }).check();
    await resetOffsets.click();
    await expect.poll(() => replay.textContent()).toContain('Offsets reset');
    await page.getByRole('switch', { name: 'Email Service outage' }).click();
    await expect
      .poll(() => page.getByRole('switch', { name: 'Email Service outage' }).isChecked())
      .toBe(false);
    await advanceBy(page, 10_000);
    // Read again from the start: the same orders processed a second time.
    await expect.poll(() => nodeNumber(email, 'processed')).toBeGreaterThan(before * 2);
    await expect.poll(() => strip(page, 'event', 'dup')).toBeGreaterThan(20);
    await expect
      .poll(() => inspector.locator('.broker-duplicates').textContent())
      .toMatch(/emailed twice: order #\d+ was read again after the group's offsets were reset/);
  });

  it('redrives the dead-letter queue back to its source queue', async () => {
    await reset(page, { scenario: 'poison-message', mode: 'event' });
    const dlq = page.getByTestId('dlq-event');
    await advanceTo(page, 20_000);
    await expect.poll(() => nodeNumber(dlq, 'dead letters')).toBeGreaterThan(1);
    const inspector = await inspect('Dead-letter queue');
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
    await advanceBy(page, 15_000);
    await expect.poll(() => nodeNumber(dlq, 'dead letters')).toBeGreaterThan(0);
  });

  it('the idempotent switch stops duplicate charges after crash-before-ack', async () => {
    await reset(page, { scenario: 'duplicate-delivery', mode: 'event' });
    // From 10 s Payment crashes before acking: redeliveries charge again.
    await advanceTo(page, 16_000);
    await expect.poll(() => strip(page, 'event', 'dup')).toBeGreaterThan(2);
    const inspector = await inspect('Payment Service');
    await expect
      .poll(() => inspector.locator('.broker-duplicates').textContent())
      .toMatch(
        /charged twice: order #\d+ was redelivered after the consumer crashed before acking/,
      );

    // Switched on from the node's fault menu.
    await page.getByRole('button', { name: 'Payment Service fault settings' }).click();
    const menu = page.getByRole('dialog', { name: 'Payment Service fault settings' });
    const idempotent = menu.getByLabel(/Payment Service is idempotent/);
    // The box shows the engine's state: it is ticked once the engine has the change.
    await idempotent.click();
    await expect.poll(() => idempotent.isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    const duplicates = await strip(page, 'event', 'dup');
    const answered = await strip(page, 'event', 'ok');
    await advanceTo(page, 30_000);
    // The strip shows 30 s (more orders answered); no new duplicate side effect since the
    // switch, the repeats are skipped, and the inspector says so.
    await expect.poll(() => strip(page, 'event', 'ok')).toBeGreaterThan(answered);
    expect(await strip(page, 'event', 'dup')).toBe(duplicates);
    await expect
      .poll(() => inspector.locator('.broker-duplicates li').first().textContent())
      .toMatch(/skipped: already handled order #\d+/);
    expect(await inspector.getByLabel(/Payment Service is idempotent/).isChecked()).toBe(true);
  });

  it('the dual write: orders saved whose event never left count as lost; with the outbox nothing is lost', async () => {
    await reset(page, { scenario: 'dual-write', mode: 'event' });
    await advanceTo(page, 20_000);
    await expect.poll(() => strip(page, 'event', 'lost')).toBeGreaterThan(0);

    // The learner switches Order Service to the outbox in the inspector: a new run.
    await page.getByRole('button', { name: 'Order Service', exact: true }).first().click();
    await page.getByRole('combobox', { name: /Order Service publishes/ }).selectOption('outbox');
    await page.getByTestId('outbox-event').waitFor();
    expect(await clockMs(page)).toBe(0);
    await advanceTo(page, 20_000);
    await expect.poll(() => clockMs(page)).toBeGreaterThanOrEqual(20_000);
    expect(await strip(page, 'event', 'lost')).toBe(0);
    expect(await page.getByTestId('outbox-event').textContent()).toContain('waiting for the relay');
  });

  it('the broker outage: its switch takes the broker down, Order Service counts refused publishes, and switched to retry the orders wait instead of failing', async () => {
    await reset(page, { scenario: 'broker-outage', mode: 'event' });
    const broker = page.getByTestId('broker-event');
    expect(await broker.getByTestId('broker-status').textContent()).toContain('up');
    const sw = page.getByRole('switch', { name: 'Broker outage' });
    await sw.click();
    await expect.poll(() => sw.getAttribute('aria-checked')).toBe('true');
    expect(await broker.getByTestId('broker-status').textContent()).toContain('down');
    await advanceBy(page, 3_000);
    await expect.poll(() => serviceNode('orders').textContent()).toMatch(/\d+ publishes refused/);
    await expect.poll(() => strip(page, 'event', 'failed')).toBeGreaterThan(0);
    expect(await strip(page, 'event', 'lost')).toBe(0);

    // The learner makes Order Service retry a refused publish: a new run, in which the
    // scenario's own outage (20 s - 30 s) makes orders wait rather than fail.
    await page.getByRole('button', { name: 'Order Service', exact: true }).first().click();
    await page
      .getByRole('combobox', { name: /When the broker refuses a publish, Order Service/ })
      .selectOption('retry');
    await expect.poll(() => clockMs(page)).toBe(0);
    await advanceTo(page, 40_000);
    await expect.poll(() => clockMs(page)).toBeGreaterThanOrEqual(40_000);
    expect(await strip(page, 'event', 'failed')).toBe(0);
    expect(await strip(page, 'event', 'lost')).toBe(0);
  });

  it('a leader change: "Move a leader" on the broker makes Email\'s quorum queue leaderless for 5 s; orders waiting on its confirms time out, then it drains and nothing is lost', async () => {
    await reset(page, { scenario: 'checkout', mode: 'event' });
    await advanceTo(page, 3_000);
    const broker = page.getByTestId('broker-event');
    const move = broker.getByRole('combobox', { name: 'Move a leader (5 s election)' });
    await move.selectOption({ label: "Email Service's queue" });
    await expect
      .poll(() => broker.getByTestId('broker-status').textContent())
      .toContain('electing: email');
    // The choice is an action, not a setting: the menu is back on its prompt.
    expect(await move.inputValue()).toBe('');
    await advanceTo(page, 7_000);
    expect(await broker.getByTestId('broker-status').textContent()).toContain('electing');
    await advanceTo(page, 20_000);
    await expect.poll(() => broker.getByTestId('broker-status').textContent()).toContain('up');
    expect(await strip(page, 'event', 'lost')).toBe(0);
    // Users wait for the confirm, and checkout's 1 s time-out is shorter than the election.
    expect(await strip(page, 'event', 'failed')).toBeGreaterThan(0);
  });
});
