// @vitest-environment happy-dom
/**
 * Edit mode on screen: the Edit toggle swaps the stage and the side panel for the editor;
 * a service added with the toolbar appears on the canvas and in the inspector; a bad
 * setting is written on the box of its service and next to its field; undo puts it
 * back; Run is disabled with the reason; the editor is axe-clean.
 */
import '../canvas/testSetup';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { findTemplate } from '../../content/templates';
import { PlaygroundProvider } from '../../store/context';
import { createHeadlessPlayground } from '../../store/headless';
import { SidePanel } from '../layout/SidePanel';
import { Stage } from '../layout/Stage';
import { EditButton } from './EditButton';

afterEach(cleanup);

async function openEditor() {
  const pg = createHeadlessPlayground({ mode: 'event', playing: false });
  const blank = findTemplate('blank')?.scenario;
  if (!blank) throw new Error('no blank template');
  await pg.loadRun({ scenario: blank, playing: false });
  const view = render(
    <PlaygroundProvider playground={pg} loop={false}>
      <header>
        <EditButton />
      </header>
      <main>
        <Stage />
        <SidePanel />
      </main>
    </PlaygroundProvider>,
  );
  const edit = screen.getByRole('button', { name: 'Edit' });
  expect(edit.getAttribute('aria-pressed')).toBe('false');
  fireEvent.click(edit);
  expect(edit.getAttribute('aria-pressed')).toBe('true');
  // The editor is a lazy chunk: its first import is transformed on the spot.
  const toolbar = await screen.findByRole('toolbar', { name: 'Editor' }, { timeout: 10_000 });
  await screen.findByRole('heading', { name: 'System' }, { timeout: 10_000 });
  return { pg, toolbar, view };
}

const canvasNode = (id: string) =>
  document.querySelector<HTMLElement>(`.edit-node[data-service="${id}"]`);

describe('Edit mode', () => {
  it('adds a service, shows a problem on its box and at its field, undoes it, runs', async () => {
    const { pg, toolbar } = await openEditor();
    act(() => {
      fireEvent.click(within(toolbar).getByRole('button', { name: 'Add service' }));
    });
    await waitFor(() => expect(canvasNode('service-2')).not.toBeNull());
    expect(screen.getByRole('heading', { name: /Service: Service 2/ })).toBeTruthy();

    act(() => {
      fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Billing' } });
    });
    await waitFor(() => expect(canvasNode('billing')?.textContent).toContain('Billing'));

    act(() => {
      fireEvent.change(screen.getByLabelText('Latency (ms)'), { target: { value: '90000' } });
    });
    await waitFor(() =>
      expect(canvasNode('billing')?.textContent).toContain('Latency: must be <= 60000'),
    );
    const latency = screen.getByLabelText('Latency (ms)');
    expect(latency.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(latency.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toContain('must be <= 60000');
    const run = within(toolbar).getByRole('button', { name: 'Run' }) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    expect(
      document.getElementById(run.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toMatch(/Cannot run yet: 1 problem to fix \(Latency: must be <= 60000\)/);

    act(() => {
      fireEvent.click(within(toolbar).getByRole('button', { name: 'Undo' }));
    });
    await waitFor(() => expect(run.disabled).toBe(false));
    expect(canvasNode('billing')?.textContent).not.toContain('Latency');

    await act(async () => {
      fireEvent.click(run);
    });
    await waitFor(() => expect(pg.editor.getState().editing).toBe(false));
    expect(pg.getState().scenario.services.map((s) => s.name)).toEqual(['My Service', 'Billing']);
  });

  it('moves the focused box with the arrow keys, says where it went, and undo puts it back', async () => {
    const { pg, toolbar } = await openEditor();
    const name = canvasNode('app')?.querySelector<HTMLButtonElement>('.edit-node-name');
    if (!name) throw new Error('no box for app');
    const wrapper = () => name.closest<HTMLElement>('.react-flow__node')?.style.transform;
    const before = wrapper();
    name.focus();
    act(() => {
      fireEvent.keyDown(name, { key: 'ArrowRight' });
      fireEvent.keyDown(name, { key: 'ArrowDown', shiftKey: true });
    });
    const status = within(toolbar.parentElement as HTMLElement).getByRole('status');
    await waitFor(() =>
      expect(status.textContent).toContain('My Service moved down, to x 20, y 100.'),
    );
    expect(pg.editor.getState().draft.layout?.app).toEqual({ x: 20, y: 100 });
    await waitFor(() => expect(wrapper()).toBe('translate(20px,100px)'));
    // Focus stays on the box, so the learner can go on moving it.
    expect(document.activeElement).toBe(name);
    act(() => {
      fireEvent.click(within(toolbar).getByRole('button', { name: 'Undo' }));
    });
    await waitFor(() => expect(wrapper()).toBe(before));
    expect(pg.editor.getState().draft.layout?.app).toBeUndefined();
  });

  it('calls two services in parallel from the call order, and back', async () => {
    const { pg } = await openEditor();
    act(() => {
      const ed = pg.editor;
      ed.addEventType('app', 'OrderPlaced');
      for (const n of ['Billing', 'Mailer']) {
        ed.renameService(ed.addService(), n);
        ed.setSubscribes(n.toLowerCase(), 'OrderPlaced', true);
      }
    });
    const billing = (await screen.findByRole('checkbox', {
      name: 'Call Billing in parallel, in the last step',
    })) as HTMLInputElement;
    const entry = screen.queryByRole('checkbox', {
      name: 'Call My Service in parallel, in the last step',
    });
    expect(entry).toBeNull();
    act(() => {
      fireEvent.click(billing);
    });
    expect(pg.editor.getState().draft.chain).toEqual(['app', ['mailer', 'billing']]);
    const order = screen.getByRole('list', { name: 'Call order (request chain)' });
    await waitFor(() => expect(within(order).getAllByText(/called in parallel/)).toHaveLength(2));
    act(() => {
      fireEvent.click(
        screen.getByRole('checkbox', { name: 'Call Billing in parallel, in the last step' }),
      );
    });
    // Out of the step: called just before the service left in it.
    expect(pg.editor.getState().draft.chain).toEqual(['app', 'billing', 'mailer']);
    await waitFor(() => expect(within(order).queryAllByText(/called in parallel/)).toHaveLength(0));
  });

  it('sets broker settings and workload spikes in their own groups, each problem at its field', async () => {
    const { pg } = await openEditor();
    const broker = screen.getByText('Broker settings (RabbitMQ-style queue)');
    act(() => {
      fireEvent.click(broker);
    });
    const maxLength = screen.getByLabelText('Max length');
    act(() => {
      fireEvent.change(maxLength, { target: { value: '-3' } });
    });
    await waitFor(() => expect(maxLength.getAttribute('aria-invalid')).toBe('true'));
    expect(
      document.getElementById(maxLength.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toMatch(/Broker \(broker\.max_length\)/);
    expect(broker.textContent).toContain('1 to fix');
    act(() => {
      fireEvent.change(maxLength, { target: { value: '40' } });
      fireEvent.change(screen.getByLabelText('Overflow'), { target: { value: 'reject-publish' } });
    });
    await waitFor(() => expect(maxLength.getAttribute('aria-invalid')).toBe('false'));
    expect(pg.editor.getState().draft.broker).toMatchObject({
      max_length: 40,
      overflow: 'reject-publish',
    });

    act(() => {
      fireEvent.click(
        screen.getByText('Workload: spikes, poison, single orders, keys, attributes'),
      );
    });
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Add spike' }));
    });
    const spike = await screen.findByRole('group', { name: 'Spike 1' });
    const lasts = within(spike).getByLabelText('Lasts (ms)');
    act(() => {
      fireEvent.change(lasts, { target: { value: '0' } });
    });
    await waitFor(() => expect(lasts.getAttribute('aria-invalid')).toBe('true'));
    expect(
      document.getElementById(lasts.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toMatch(/Spike 1 \(lasts\)/);
    act(() => {
      fireEvent.click(within(spike).getByRole('button', { name: 'Remove spike 1' }));
    });
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Spike 1' })).toBeNull());
    expect(pg.editor.getState().problems).toEqual([]);
  });

  it('shows events and topic patterns as nodes; a pattern typed in is checked live', async () => {
    const { pg, toolbar } = await openEditor();
    act(() => {
      pg.editor.addEventType('app', 'OrderPlaced');
      pg.editor.renameService(pg.editor.addService(), 'Audit');
    });
    const show = within(toolbar).getByRole('button', { name: 'Show events' });
    expect(show.getAttribute('aria-pressed')).toBe('false');
    act(() => {
      fireEvent.click(show);
    });
    expect(show.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() =>
      expect(document.querySelector('.edit-event[data-binding="OrderPlaced"]')).not.toBeNull(),
    );
    // What a screen reader hears for the box (happy-dom never measures it, so it stays hidden here).
    const label = (id: string) =>
      document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getAttribute('aria-label');
    expect(label('event:OrderPlaced')).toBe(
      'OrderPlaced (event): emitted by My Service; heard by nobody',
    );

    const input = screen.getByLabelText('Audit subscribes to (event or topic pattern)');
    act(() => {
      fireEvent.change(input, { target: { value: 'order.*' } });
      fireEvent.keyDown(input, { key: 'Enter' });
    });
    await waitFor(() =>
      expect(label('pattern:order.*')).toBe('order.* (topic pattern): heard by Audit'),
    );
    await waitFor(() =>
      expect(canvasNode('audit')?.textContent).toContain(
        'wildcards * and # only work with broker.exchange "topic"',
      ),
    );
    act(() => {
      fireEvent.change(input, { target: { value: 'order.*' } });
      fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    });
    expect(await screen.findByText('Audit already subscribes to order.*.')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('sets an SNS filter policy on a subscriber by the attributes orders carry; a bad one shows next to its field', async () => {
    const { pg } = await openEditor();
    act(() => {
      const ed = pg.editor;
      ed.addEventType('app', 'OrderPlaced');
      ed.renameService(ed.addService(), 'Mailer');
      ed.setSubscribes('mailer', 'OrderPlaced', true);
      ed.setBroker('sns-sqs');
      ed.addAttribute('tier', ['gold', 'silver']);
    });
    const policy = await screen.findByRole('group', {
      name: 'Filter policy of Mailer (SNS subscription)',
    });
    const tier = within(policy).getByLabelText('Accepts tier (comma-separated; empty: any)');
    act(() => {
      fireEvent.change(tier, { target: { value: 'gold' } });
    });
    expect(pg.editor.getState().draft.broker).toMatchObject({
      filter_policies: { mailer: { tier: ['gold'] } },
    });
    act(() => {
      pg.editor.setAttribute('tier', undefined);
    });
    // Still listed, with why it cannot run, on the field and on Mailer's box.
    await waitFor(() => expect(tier.getAttribute('aria-invalid')).toBe('true'));
    expect(canvasNode('mailer')?.textContent).toContain(
      'Filter policy (tier): orders carry no attribute',
    );
    act(() => {
      fireEvent.change(tier, { target: { value: '' } });
    });
    await waitFor(() => expect(pg.editor.getState().problems).toEqual([]));
  });

  it('is axe-clean', async () => {
    const { pg, view, toolbar } = await openEditor();
    act(() => {
      fireEvent.click(within(toolbar).getByRole('button', { name: 'Add service' }));
    });
    await waitFor(() => expect(canvasNode('service-2')).not.toBeNull());
    // The call order's rows (with their parallel checkbox) too.
    act(() => {
      pg.editor.addEventType('app', 'OrderPlaced');
      pg.editor.setSubscribes('service-2', 'OrderPlaced', true);
    });
    await screen.findByRole('checkbox', { name: 'Call Service 2 in parallel, in the last step' });
    // A scheduled fault's row too.
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Add fault' }));
    });
    await screen.findByRole('group', { name: 'Fault 1' });
    // Every settings group open, with a spike and an order attribute.
    for (const summary of document.querySelectorAll('.edit-settings > summary'))
      act(() => {
        fireEvent.click(summary);
      });
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Add spike' }));
      pg.editor.addAttribute('tier', ['gold', 'silver']);
      // SNS + SQS: Service 2's filter policy; the request chain's circuit breaker.
      pg.editor.setBroker('sns-sqs');
      pg.editor.setCircuitBreaker(true);
      // Poison orders and a single order.
      pg.editor.setPoison({ services: ['service-2'] });
      pg.editor.addOrder();
    });
    await screen.findByLabelText('Single order 1 at (ms)');
    await screen.findByRole('group', { name: 'Services that fail on a poison order' });
    await screen.findByRole('group', { name: 'Filter policy of Service 2 (SNS subscription)' });
    await screen.findByLabelText('Opens at failure share');
    await screen.findByRole('group', { name: 'Spike 1' });
    await screen.findByLabelText('Values of tier (comma-separated)');
    // Events shown as nodes.
    act(() => {
      fireEvent.click(within(toolbar).getByRole('button', { name: 'Show events' }));
    });
    await waitFor(() => expect(document.querySelector('.edit-event')).not.toBeNull());
    const results = await axe.run(view.container, {
      resultTypes: ['violations'],
      // happy-dom computes no colours.
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
    ).toEqual([]);
  });
});
