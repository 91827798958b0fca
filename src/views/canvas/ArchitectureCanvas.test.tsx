// @vitest-environment happy-dom
import './testSetup';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mode, Side } from '../../run/modes';
import { toggleOutage } from '../../store/actions';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { ArchitectureCanvas } from './ArchitectureCanvas';

afterEach(cleanup);

function setup(side: Side, mode: Mode = side, scenarioId = 'email-outage') {
  const pg = createHeadlessPlayground({ scenarioId, mode, playing: false });
  render(
    <PlaygroundProvider playground={pg} loop={false}>
      <div style={{ width: 1000, height: 500 }}>
        <ArchitectureCanvas side={side} />
      </div>
    </PlaygroundProvider>,
  );
  const advance = (ms: number) => act(() => pg.playback.advanceTo(pg.getState().now + ms));
  const eventRun = () => {
    const run = pg.getState().runs.event;
    if (!run) throw new Error('no event side');
    return run;
  };
  return { pg, advance, eventRun };
}

describe('ArchitectureCanvas', () => {
  it('draws the request chain: users, then each hop in call order', () => {
    setup('chain');
    for (const name of ['Order Service', 'Payment Service', 'Email Service', 'Analytics Service']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
      expect(screen.getByRole('switch', { name: `${name} outage` })).toBeTruthy();
    }
    expect(screen.getByText('Users / API')).toBeTruthy();
    expect(screen.queryByTestId('broker-chain')).toBeNull();
  });

  it('draws the fan-out: broker, one queue per subscriber, the dead-letter queue', () => {
    setup('event');
    expect(screen.getByTestId('broker-event').textContent).toMatch(/direct exchange/i);
    for (const q of ['Payment queue', 'Email queue', 'Analytics queue', 'Dead-letter queue']) {
      expect(screen.getByRole('button', { name: q })).toBeTruthy();
    }
  });

  it('the outage switch takes the service down and the node says so in words', async () => {
    const { pg, eventRun } = setup('event');
    const sw = screen.getByRole('switch', { name: 'Email Service outage' });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    await act(async () => fireEvent.click(sw));
    // The engine took it down, and the frame brought it back to the page.
    expect(eventRun().service(2).down).toBe(true);
    expect(sw.getAttribute('aria-checked')).toBe('true');
    const node = screen.getByTestId('service-event-email');
    expect(within(node).getByTestId('service-status').textContent).toContain('down');
    // Clicking the switch does not select the node.
    expect(pg.getState().ui.selection).toBeNull();
  });

  it('the broker’s outage switch takes the broker down: it says so, and Order Service counts its refused publishes', async () => {
    const { pg, advance, eventRun } = setup('event', 'event', 'broker-outage');
    const broker = screen.getByTestId('broker-event');
    expect(within(broker).getByTestId('broker-status').textContent).toContain('up');
    const sw = screen.getByRole('switch', { name: 'Broker outage' });
    await act(async () => fireEvent.click(sw));
    expect(eventRun().report().broker.down).toBe(true);
    expect(sw.getAttribute('aria-checked')).toBe('true');
    expect(within(broker).getByTestId('broker-status').textContent).toContain('down');
    expect(pg.getState().ui.selection).toBeNull();
    await advance(3000);
    const refused = eventRun().service(0).publishRefused;
    expect(refused).toBeGreaterThan(10);
    const orders = screen.getByTestId('service-event-orders');
    expect(orders.textContent).toContain(`${refused} publishes refused`);
    expect(broker.textContent).toContain(`${eventRun().report().events.refused} publishes refused`);
  });

  it('a down consumer lets its queue grow, shown as `N waiting` equal to the engine', async () => {
    const { pg, advance, eventRun } = setup('event');
    await act(() => toggleOutage(pg, 'email'));
    await advance(5000);
    const run = eventRun();
    const waiting = run.queue(run.model.queues.findIndex((q) => q.id === 'email')).waiting;
    expect(waiting).toBeGreaterThan(20);
    const node = screen.getByTestId('queue-event-email-queue');
    expect(node.textContent).toContain(`${waiting} waiting`);
    expect(node.querySelectorAll('.stack .block:not(.empty)').length).toBe(20);
  });

  it('the fault menu sets slow, flaky and size at the current moment', async () => {
    const { advance, eventRun } = setup('event');
    await advance(2000);
    act(() =>
      fireEvent.click(screen.getByRole('button', { name: 'Payment Service fault settings' })),
    );
    // The menu's code loads on first use.
    const dialog = await screen.findByRole('dialog', { name: 'Payment Service fault settings' });
    await act(async () =>
      fireEvent.change(within(dialog).getByLabelText('Slow (latency ×)'), {
        target: { value: '8' },
      }),
    );
    await act(async () =>
      fireEvent.change(within(dialog).getByLabelText('Flaky (share of work that fails)'), {
        target: { value: '0.2' },
      }),
    );
    await act(async () =>
      fireEvent.change(within(dialog).getByLabelText('Replicas'), { target: { value: '4' } }),
    );
    const run = eventRun();
    const v = run.service(1);
    expect([v.slowFactor, v.errorRate, v.replicas]).toEqual([8, 0.2, 4]);
    // Each change is an action at the moment on screen.
    expect(run.interventions.map((i) => [i.at, i.kind])).toEqual([
      [2000, 'fault'],
      [2000, 'fault'],
      [2000, 'scale'],
    ]);
    const status = within(screen.getByTestId('service-event-payment')).getByTestId(
      'service-status',
    ).textContent;
    expect(status).toContain('slow ×8');
    expect(status).toContain('flaky 20%');
    act(() => fireEvent.keyDown(document, { key: 'Escape' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a chain with a circuit breaker: while Email is too slow the callee nodes say "circuit open" and count the calls failed fast, as the engine does', async () => {
    const { pg, advance } = setup('chain', 'chain', 'fair-chain');
    await advance(5000);
    // Healthy: the breakers are closed and say nothing.
    expect(screen.getByTestId('service-chain-email').textContent).not.toContain('circuit');
    // Email slows at 10 s; by 15 s half the calls in the breakers' 5 s windows failed.
    await advance(10_000);
    const run = pg.getState().runs.chain;
    if (!run) throw new Error('no chain side');
    const email = run.service(2);
    expect(email.circuit).toBe('open');
    const node = screen.getByTestId('service-chain-email');
    expect(node.textContent).toContain(`circuit ${email.circuit}`);
    expect(node.textContent).toContain(`${email.shortCircuited} failed fast`);
    // Once Email is fast again (from 30 s) a trial call closes it and the line goes away.
    await advance(25_000);
    expect(run.service(2).circuit).toBe('closed');
    expect(screen.getByTestId('service-chain-email').textContent).not.toContain('circuit');
  });

  it('the fault menu offers crash-before-publish for the entry service that emits, and not for a consumer', async () => {
    const { advance, eventRun } = setup('event', 'event', 'dual-write');
    await advance(1000);
    act(() =>
      fireEvent.click(screen.getByRole('button', { name: 'Payment Service fault settings' })),
    );
    expect(
      within(screen.getByRole('dialog')).queryByLabelText('Crash before publish (the dual write)'),
    ).toBeNull();
    act(() => fireEvent.keyDown(document, { key: 'Escape' }));
    act(() =>
      fireEvent.click(screen.getByRole('button', { name: 'Order Service fault settings' })),
    );
    const dialog = screen.getByRole('dialog', { name: 'Order Service fault settings' });
    const select = within(dialog).getByLabelText('Crash before publish (the dual write)');
    // The scenario's own 5%.
    expect((select as HTMLSelectElement).value).toBe('0.05');
    await act(async () => fireEvent.change(select, { target: { value: '0.2' } }));
    expect(eventRun().service(0).publishCrashRate).toBe(0.2);
    expect(eventRun().interventions.map((i) => [i.at, i.kind])).toEqual([[1000, 'fault']]);
    expect(
      within(screen.getByTestId('service-event-orders')).getByTestId('service-status').textContent,
    ).toContain('crash before publish 20%');
  });

  it('an outbox service shows an Outbox box with the rows waiting for its relay, equal to the engine', async () => {
    const { pg, advance, eventRun } = setup('event', 'event', 'dual-write');
    const base = pg.getState().scenario;
    const services = base.services.map((svc) =>
      svc.id === 'orders' ? { ...svc, publish: 'outbox' as const } : svc,
    );
    await act(async () => {
      await pg.loadRun({
        scenario: { ...base, services },
        seed: base.seed,
        mode: 'event',
        playing: false,
      });
    });
    const box = screen.getByTestId('outbox-event');
    expect(box.textContent).toMatch(/Order Service outbox/i);
    let seen = 0;
    for (let i = 0; i < 200 && seen === 0; i++) {
      await advance(7);
      seen = eventRun().report().events.in_outbox;
    }
    expect(seen).toBeGreaterThan(0);
    expect(within(box).getByTestId('outbox-waiting').textContent).toBe(String(seen));
  });

  it('clicking a queue or service selects it for the inspector', () => {
    const { pg } = setup('event');
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Email queue' })));
    expect(pg.getState().ui.selection).toEqual({ side: 'event', nodeId: 'email-queue' });
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Payment Service' })));
    expect(pg.getState().ui.selection).toEqual({ side: 'event', nodeId: 'payment' });
  });

  it('draws tokens while time moves and freezes them while it stands still', async () => {
    const { pg, advance } = setup('event', 'event', 'checkout');
    const layer = document.querySelector<HTMLCanvasElement>('canvas.token-layer')!;
    await advance(3000);
    const count = Number(layer.dataset.tokenCount);
    expect(count).toBeGreaterThan(0);
    const digest = layer.dataset.tokenDigest;
    // Unrelated store changes (a selection) redraw nothing new.
    act(() => pg.ui.select({ side: 'event', nodeId: 'email' }));
    expect(layer.dataset.tokenDigest).toBe(digest);
    await advance(100);
    expect(layer.dataset.tokenDigest).not.toBe(digest);
  });
});
