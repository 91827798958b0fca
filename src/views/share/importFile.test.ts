/**
 * Opening files in the playground: AsyncAPI documents are recognised (YAML or JSON, one
 * or several together) and opened through the playground, with the defaults used in the
 * notice; a bad document lists every problem with its place and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../content/scenarios';
import { fixture } from '../../share/asyncapi/testFiles';
import { createHeadlessPlayground } from '../../store/headless';
import { importFiles } from './importFile';

async function playground() {
  const pg = createHeadlessPlayground({ scenarioId: 'checkout', mode: 'event', playing: false });
  await pg.ready;
  return pg;
}
const asFile = (path: string) => {
  const f = fixture(path);
  return new File([f.text], f.name);
};

describe('opening AsyncAPI documents in the playground', () => {
  it('opens one document and lists what Fanout filled in under the notice', async () => {
    const pg = await playground();
    expect(await importFiles(pg, [asFile('warehouse-amqp.yaml')])).toBe(true);
    const s = pg.getState();
    expect(s.scenario.id).toBe('warehouses');
    expect(s.runs.event?.model.services.map((m) => m.id)).toEqual([
      'checkout',
      'eu-warehouse',
      'audit',
    ]);
    expect(s.ui.importProblems).toBeNull();
    expect(s.ui.notice?.kind).toBe('imported');
    expect(s.ui.notice?.text).toBe(
      'Opened warehouse-amqp.yaml (AsyncAPI, 1 document): “Warehouses”, 3 services, from t = 0. What the document does not say, Fanout filled in:',
    );
    expect(s.ui.notice?.details).toContain('Network: 5 ms for every hop.');
    expect(
      s.ui.notice?.details?.some((d) =>
        d.startsWith('Latency (AsyncAPI does not say how long work takes)'),
      ),
    ).toBe(true);
    // The way back: the checkout run that was on screen.
    expect(s.ui.notice?.previous?.scenario.id).toBe('checkout');
  });

  it('opens several documents, YAML and JSON, as one system', async () => {
    const pg = await playground();
    const files = [
      asFile('signup/accounts.yaml'),
      asFile('signup/welcome.json'),
      asFile('signup/analytics.yaml'),
    ];
    expect(await importFiles(pg, files)).toBe(true);
    expect(pg.getState().scenario.services.map((s) => s.id)).toEqual([
      'accounts',
      'welcome-email',
      'analytics',
    ]);
    expect(pg.getState().ui.notice?.text).toMatch(/^Opened 3 files \(AsyncAPI, 3 documents\)/);
  });

  it('recognises an AsyncAPI document in a .json file', async () => {
    const pg = await playground();
    const exported = `${JSON.stringify({ asyncapi: '3.0.0', info: { title: 'Solo', version: '1' } })}\n`;
    expect(await importFiles(pg, [new File([exported], 'solo.json')])).toBe(true);
    expect(pg.getState().scenario.name).toBe('Solo');
  });

  it('lists every problem of a bad document with its place, and changes nothing', async () => {
    const pg = await playground();
    const bad = fixture('shop/billing.yaml')
      .text.replace('action: send', 'action: sned')
      .replace('partitions: 6', 'partitions: 6\n      bogus: [');
    const before = pg.getState();
    expect(
      await importFiles(pg, [asFile('shop/gateway.yaml'), new File([bad], 'billing.yaml')]),
    ).toBe(false);
    const s = pg.getState();
    expect(s.scenario).toBe(before.scenario);
    expect(s.runs.event).toBe(before.runs.event);
    expect(s.ui.notice).toBeNull();
    expect(s.ui.importProblems?.message).toMatch(
      /^2 files were not opened: billing\.yaml \(line \d+\): is not valid YAML or JSON: .*Your current setup is unchanged\.$/,
    );
    expect(s.ui.importProblems?.details.every((d) => /^billing\.yaml \(line \d+\): /.test(d))).toBe(
      true,
    );
  });

  it('refuses to open a scenario file together with documents', async () => {
    const pg = await playground();
    const scenario = new File([JSON.stringify(findScenario('signup'))], 'signup.json');
    expect(await importFiles(pg, [asFile('shop/gateway.yaml'), scenario])).toBe(false);
    expect(pg.getState().ui.importProblems?.message).toBe(
      'signup.json is not an AsyncAPI document: several files open together only as AsyncAPI documents, one per application. Your current setup is unchanged.',
    );
    expect(pg.getState().scenario.id).toBe('checkout');
  });

  it('still opens a scenario file on its own, as before', async () => {
    const pg = await playground();
    expect(
      await importFiles(pg, [new File([JSON.stringify(findScenario('signup'))], 'signup.json')]),
    ).toBe(true);
    expect(pg.getState().scenario.id).toBe('signup');
    expect(pg.getState().ui.notice?.details).toBeUndefined();
  });
});
