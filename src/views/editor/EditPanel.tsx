/**
 * Edit mode's inspector: the system (name, entry, broker, workload, call order) and the
 * selected service (name, what it emits and subscribes to, latency, workers, replicas,
 * idempotency, publish mode). Every field shows the problems the schema finds at its
 * path, next to it; nothing here validates on its own.
 */
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BROKER_FAULT_TARGET } from '../../core/scenario';
import { FLAVOURS } from '../../content/brokerFlavours';
import { usePlaygroundApi } from '../../store/context';
import {
  type BrokerKind,
  type DraftService,
  eventTypes,
  chainRows,
  type LatencyInput,
} from '../../store/draft';
import type { PlacedProblem } from '../../store/draft';
import {
  Field,
  FieldProblems,
  NumberField,
  textsAt,
  useFieldProblems,
  usePlacedProblems,
  useServiceNames,
} from './fields';
import { BrokerSettings, FilterPolicy, WorkloadSettings } from './SettingsSections';
import { useEditor } from './useEditor';

const BROKER_KINDS: BrokerKind[] = ['queue', 'log', 'sns-sqs'];
const DISTS = ['fixed', 'exponential', 'lognormal', 'uniform'] as const;
type Dist = (typeof DISTS)[number];
const DIST_LABELS: Record<Dist, string> = {
  fixed: 'fixed',
  exponential: 'exponential (mean)',
  lognormal: 'lognormal (median, spread)',
  uniform: 'uniform (between)',
};
const PUBLISH = [
  ['', 'after the commit (default)'],
  ['before-commit', 'before the commit'],
  ['outbox', 'outbox (relayed)'],
] as const;

function SystemSection() {
  const pg = usePlaygroundApi();
  const ed = pg.editor;
  const name = useEditor((s) => s.draft.name);
  const entry = useEditor((s) => s.draft.entry);
  const pairs = useServiceNames();
  const broker = useEditor((s) => s.draft.broker?.kind ?? 'queue');
  const rate = useEditor((s) => s.draft.workload.rate_per_s);
  const draft = useEditor((s) => s.draft);
  const chain = useMemo(() => chainRows(draft), [draft]);
  const general = useEditor(
    useShallow((s) =>
      s.problems
        .filter(
          (p) =>
            p.service === null &&
            !['name', 'entry', 'broker', 'workload', 'chain', 'faults', 'delivery', 'sync'].some(
              (h) => p.field.startsWith(h),
            ),
        )
        .map((p) => p.text),
    ),
  );
  const label = (id: string) => pairs.find(([i]) => i === id)?.[1] ?? id;
  const entryKnown = pairs.some(([id]) => id === entry);
  const chainProblems = useFieldProblems(null, 'chain');
  const systemProblems = usePlacedProblems(null);
  const chainProblemsId = useId();
  return (
    <section className="edit-section" aria-labelledby="edit-system-title">
      <h3 id="edit-system-title">System</h3>
      <Field label="Scenario name" problems={useFieldProblems(null, 'name')}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={name}
            onChange={(e) => ed.setScenarioName(e.target.value)}
          />
        )}
      </Field>
      <Field label="Entry service (users call it)" problems={useFieldProblems(null, 'entry')}>
        {(p) => (
          <select
            {...p}
            value={entryKnown ? entry : ''}
            onChange={(e) => ed.setEntry(e.target.value)}
          >
            {!entryKnown && <option value="">Choose a service…</option>}
            {pairs.map(([id, n]) => (
              <option key={id} value={id}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Broker"
        problems={textsAt(systemProblems, (f) => f === 'broker' || f === 'broker.kind')}
      >
        {(p) => (
          <select
            {...p}
            value={broker}
            onChange={(e) => ed.setBroker(e.target.value as BrokerKind)}
          >
            {BROKER_KINDS.map((k) => (
              <option key={k} value={k}>
                {FLAVOURS[k].label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <BrokerSettings />
      <NumberField
        label="Workload (orders per second)"
        problems={useFieldProblems(null, 'workload.rate_per_s')}
        min={0}
        step="any"
        value={Number.isFinite(rate) ? rate : ''}
        onChange={(n) => ed.setRate(n as number)}
      />
      <WorkloadSettings />
      <h4 id="edit-chain-title">Call order (request chain)</h4>
      <ol
        className="edit-chain"
        aria-labelledby="edit-chain-title"
        aria-describedby={chainProblems.length > 0 ? chainProblemsId : undefined}
      >
        {chain.map(({ id, earlier, later, parallel, canJoin }, i) => (
          <li key={id}>
            <span className="edit-chain-name">
              {label(id)}
              {parallel && <span className="muted"> · called in parallel</span>}
            </span>
            {i > 0 && (
              <span className="edit-chain-moves">
                <label
                  className="edit-chain-parallel"
                  title="The last step of the call order can call several services at once"
                >
                  <input
                    type="checkbox"
                    checked={parallel}
                    disabled={!parallel && !canJoin}
                    aria-label={`Call ${label(id)} in parallel, in the last step`}
                    onChange={(e) => ed.setParallel(id, e.target.checked)}
                  />
                  <span aria-hidden="true">parallel</span>
                </label>
                <button
                  type="button"
                  className="button small"
                  disabled={!earlier}
                  aria-label={`Move ${label(id)} earlier`}
                  onClick={() => ed.moveInChain(id, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={!later}
                  aria-label={`Move ${label(id)} later`}
                  onClick={() => ed.moveInChain(id, 1)}
                >
                  ↓
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      <FieldProblems id={chainProblemsId} problems={chainProblems} />
      <FaultsSection pairs={pairs} />
      {general.length > 0 && (
        <ul className="edit-field-problems" aria-label="Other problems">
          {general.map((t) => (
            <li key={t}>
              <span aria-hidden="true">⚠ </span>
              {t}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const FAULT_MODES = [
  ['down', 'down (unreachable)'],
  ['slow', 'slow (latency multiplied)'],
  ['flaky', 'flaky (a share of calls fail)'],
  ['crash-before-ack', 'crashes before acknowledging'],
  ['crash-before-publish', 'crashes before publishing (entry)'],
  ['leader-change', 'leader change (broker: a queue or partition)'],
] as const;

/** One scheduled fault: which service, what kind, when, for how long. */
function FaultRow({ index, pairs }: { index: number; pairs: [string, string][] }) {
  const ed = usePlaygroundApi().editor;
  const fault = useEditor((s) => s.draft.faults?.[index]);
  const problems = usePlacedProblems(null);
  if (!fault) return null;
  const at = (key: string) => textsAt(problems, (f) => f === `faults[${index}].${key}`);
  const whole = textsAt(problems, (f) => f === `faults[${index}]`);
  const set = (patch: Parameters<typeof ed.updateFault>[1]) => ed.updateFault(index, patch);
  // The broker itself can be down, slow or lose a leader (unless a service is called so).
  const brokerNamed = !pairs.some(([id]) => id === BROKER_FAULT_TARGET);
  const targets: [string, string][] = brokerNamed
    ? [...pairs, [BROKER_FAULT_TARGET, 'The broker itself']]
    : pairs;
  const known = targets.some(([id]) => id === fault.service);
  return (
    <fieldset className="edit-fieldset">
      <legend>Fault {index + 1}</legend>
      <FieldProblems id={`fault-${index}-problems`} problems={whole} />
      <Field label="Service" problems={at('service')}>
        {(p) => (
          <select
            {...p}
            value={known ? fault.service : ''}
            onChange={(e) => set({ service: e.target.value })}
          >
            {!known && <option value="">Choose a service…</option>}
            {targets.map(([id, n]) => (
              <option key={id} value={id}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Kind" problems={at('mode')}>
        {(p) => (
          <select
            {...p}
            value={fault.mode}
            onChange={(e) => set({ mode: e.target.value as (typeof FAULT_MODES)[number][0] })}
          >
            {FAULT_MODES.map(([v, t]) => (
              <option key={v} value={v}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      <NumberField
        label="Starts at (ms)"
        problems={at('at_ms')}
        min={0}
        value={fault.at_ms ?? ''}
        onChange={(n) => set({ at_ms: n as number })}
      />
      <NumberField
        label="Lasts (ms; empty: to the end)"
        problems={at('duration_ms')}
        min={1}
        value={fault.duration_ms ?? ''}
        onChange={(n) => set({ duration_ms: n })}
      />
      {fault.mode === 'leader-change' && <LeaderTarget index={index} />}
      {(fault.mode === 'slow' || fault.factor !== undefined) && (
        <NumberField
          label="Slower by (x)"
          problems={at('factor')}
          min={1}
          step="any"
          value={fault.factor ?? ''}
          onChange={(n) => set({ factor: n })}
        />
      )}
      {(fault.mode === 'flaky' ||
        fault.mode.startsWith('crash') ||
        fault.error_rate !== undefined) && (
        <NumberField
          label="Share failing (0 – 1)"
          problems={at('error_rate')}
          min={0}
          max={1}
          step="any"
          value={fault.error_rate ?? ''}
          onChange={(n) => set({ error_rate: n })}
        />
      )}
      <button type="button" className="button small" onClick={() => ed.removeFault(index)}>
        Remove fault {index + 1}
      </button>
    </fieldset>
  );
}

/**
 * What a scheduled leader change moves: a subscriber's quorum queue (queue broker) or a
 * partition (log broker). Other brokers have none: the problem shows on the field.
 */
function LeaderTarget({ index }: { index: number }) {
  const ed = usePlaygroundApi().editor;
  const fault = useEditor((s) => s.draft.faults?.[index]);
  const kind = useEditor((s) => s.draft.broker?.kind ?? 'queue');
  const queues = useEditor((s) =>
    s.draft.services
      .filter((svc) => (svc.subscribes?.length ?? 0) > 0)
      .map((svc) => `${svc.id}:${svc.name}`)
      .join('|'),
  );
  const problems = usePlacedProblems(null);
  if (!fault) return null;
  const at = (key: string) => textsAt(problems, (f) => f === `faults[${index}].${key}`);
  if (kind === 'log')
    return (
      <NumberField
        label="Partition (of every topic)"
        problems={at('partition')}
        min={0}
        value={fault.partition ?? ''}
        onChange={(n) => ed.updateFault(index, { partition: n })}
      />
    );
  return (
    <Field label="Quorum queue of" problems={at('queue')}>
      {(p) => (
        <select
          {...p}
          value={fault.queue ?? ''}
          onChange={(e) => ed.updateFault(index, { queue: e.target.value || undefined })}
        >
          <option value="">Choose a subscriber…</option>
          {queues
            .split('|')
            .filter(Boolean)
            .map((q) => {
              const [id, name] = q.split(/:(.*)/s) as [string, string];
              return (
                <option key={id} value={id}>
                  {name}
                </option>
              );
            })}
        </select>
      )}
    </Field>
  );
}

function FaultsSection({ pairs }: { pairs: [string, string][] }) {
  const ed = usePlaygroundApi().editor;
  const count = useEditor((s) => s.draft.faults?.length ?? 0);
  const first = useEditor((s) => s.selected ?? s.draft.services[0]?.id ?? '');
  return (
    <>
      <h4 id="edit-faults-title">Scheduled faults</h4>
      {count === 0 && <p className="hint">None: the system stays healthy unless you break it.</p>}
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fault has no id; its place is its name ("Fault 2").
        <FaultRow key={i} index={i} pairs={pairs} />
      ))}
      <button
        type="button"
        className="button"
        disabled={first === '' || count >= 100}
        onClick={() => ed.addFault(first)}
      >
        Add fault
      </button>
    </>
  );
}

function ServiceList() {
  const pg = usePlaygroundApi();
  const services = useServiceNames();
  const selected = useEditor((s) => s.selected);
  const problemIds = useEditor(
    useShallow((s) => [...new Set(s.problems.map((p) => p.service).filter((x) => x !== null))]),
  );
  return (
    <section className="edit-section" aria-labelledby="edit-services-title">
      <h3 id="edit-services-title">Services</h3>
      <ul className="edit-service-list">
        {services.map(([id, name]) => {
          const bad = problemIds.includes(id);
          return (
            <li key={id}>
              <button
                type="button"
                className="button"
                aria-pressed={selected === id}
                onClick={() => pg.editor.select(id)}
              >
                {name}
                {bad && <span className="bad"> (has problems)</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function latencyDist(l: LatencyInput | undefined): Dist {
  return l === undefined || typeof l === 'number' ? 'fixed' : l.dist;
}

/** Latency in another distribution, keeping its typical duration. */
function latencyAs(dist: Dist, l: LatencyInput | undefined): LatencyInput {
  const typical =
    l === undefined
      ? 20
      : typeof l === 'number'
        ? l
        : (l.mean_ms ?? l.median_ms ?? Math.round(((l.min_ms ?? 0) + (l.max_ms ?? 0)) / 2));
  switch (dist) {
    case 'exponential':
      return { dist, mean_ms: typical };
    case 'lognormal':
      return { dist, median_ms: typical, sigma: 0.5 };
    case 'uniform':
      return { dist, min_ms: Math.round(typical / 2), max_ms: typical * 2 };
    default:
      return typical;
  }
}

function LatencyFields({ svc }: { svc: DraftService }) {
  const ed = usePlaygroundApi().editor;
  const problems = useFieldProblems(svc.id, 'latency_ms');
  const own = usePlacedProblems(svc.id);
  const l = svc.latency_ms;
  const dist = latencyDist(l);
  const set = (latency_ms: LatencyInput) => ed.updateService(svc.id, { latency_ms });
  const obj = typeof l === 'object' ? l : null;
  const num = (label: string, key: 'mean_ms' | 'median_ms' | 'sigma' | 'min_ms' | 'max_ms') => (
    <NumberField
      label={label}
      problems={textsAt(own, (f) => f === `latency_ms.${key}`)}
      min={0}
      step="any"
      value={obj?.[key] ?? ''}
      onChange={(n) => obj && set({ ...obj, [key]: n })}
    />
  );
  return (
    <fieldset className="edit-fieldset">
      <legend>Latency (its own work, per call or message)</legend>
      <Field
        label="Distribution"
        problems={
          typeof l === 'object'
            ? textsAt(own, (f) => f === 'latency_ms' || f === 'latency_ms.dist')
            : []
        }
      >
        {(p) => (
          <select {...p} value={dist} onChange={(e) => set(latencyAs(e.target.value as Dist, l))}>
            {DISTS.map((d) => (
              <option key={d} value={d}>
                {DIST_LABELS[d]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {dist === 'fixed' && typeof l !== 'object' && (
        <NumberField
          label="Latency (ms)"
          problems={problems}
          min={0}
          value={l ?? ''}
          onChange={(n) => set(n as number)}
        />
      )}
      {dist === 'fixed' && obj && num('Duration (ms)', 'mean_ms')}
      {dist === 'exponential' && num('Mean (ms)', 'mean_ms')}
      {dist === 'lognormal' && (
        <>
          {num('Median (ms)', 'median_ms')}
          {num('Spread (sigma)', 'sigma')}
        </>
      )}
      {dist === 'uniform' && (
        <>
          {num('Shortest (ms)', 'min_ms')}
          {num('Longest (ms)', 'max_ms')}
        </>
      )}
    </fieldset>
  );
}

function EventChecks({
  svc,
  which,
  types,
}: {
  svc: DraftService;
  which: 'emits' | 'subscribes';
  types: string[];
}) {
  const ed = usePlaygroundApi().editor;
  const problems = useFieldProblems(svc.id, which);
  const problemsId = useId();
  const list = svc[which] ?? [];
  const legend =
    which === 'emits' ? `${svc.name || svc.id} emits` : `${svc.name || svc.id} subscribes to`;
  const shown = [...new Set([...types, ...list])];
  return (
    <fieldset
      className="edit-fieldset"
      aria-describedby={problems.length > 0 ? problemsId : undefined}
    >
      <legend>{legend}</legend>
      {shown.length === 0 && <p className="hint">No event types yet: add one below.</p>}
      {shown.map((t) => (
        <label key={t} className="edit-check">
          <input
            type="checkbox"
            checked={list.includes(t)}
            onChange={(e) =>
              which === 'emits'
                ? ed.setEmits(svc.id, t, e.target.checked)
                : ed.setSubscribes(svc.id, t, e.target.checked)
            }
          />
          {t}
        </label>
      ))}
      <FieldProblems id={problemsId} problems={problems} />
    </fieldset>
  );
}

/**
 * A name typed and added with Enter or the button: an event type a service emits, or an
 * event or topic pattern it subscribes to. `add` answers with a problem, or null (then the
 * field empties).
 */
function AddByName({
  label,
  placeholder,
  button,
  hint,
  add,
}: {
  label: string;
  placeholder: string;
  button: string;
  hint?: string;
  add(text: string): string | null;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const problemId = useId();
  const hintId = useId();
  const submit = () => {
    const p = add(text);
    setProblem(p);
    if (!p) setText('');
  };
  const described = [problem ? problemId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  return (
    <div className="edit-field">
      <label htmlFor={id}>{label}</label>
      <div className="edit-inline">
        <input
          id={id}
          type="text"
          placeholder={placeholder}
          value={text}
          aria-invalid={problem !== null}
          aria-describedby={described || undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" className="button" onClick={submit}>
          {button}
        </button>
      </div>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={problemId} className="edit-field-problems">
          {problem}
        </p>
      )}
    </div>
  );
}

function AddEventType({ svc }: { svc: DraftService }) {
  const ed = usePlaygroundApi().editor;
  return (
    <AddByName
      label={`New event type ${svc.name || svc.id} emits`}
      placeholder="e.g. OrderPlaced"
      button="Add event type"
      add={(text) => ed.addEventType(svc.id, text)}
    />
  );
}

/** Subscribe by typing: an event name, or with a topic exchange a pattern such as order.*. */
function AddSubscription({ svc }: { svc: DraftService }) {
  const ed = usePlaygroundApi().editor;
  return (
    <AddByName
      label={`${svc.name || svc.id} subscribes to (event or topic pattern)`}
      placeholder="e.g. order.* or #.eu"
      button="Subscribe"
      hint="With a topic exchange, * stands for one word and # for any number of words."
      add={(text) => ed.addSubscription(svc.id, text)}
    />
  );
}

function ServiceSection({ id }: { id: string }) {
  const pg = usePlaygroundApi();
  const ed = pg.editor;
  const svc = useEditor((s) => s.draft.services.find((x) => x.id === id));
  const isEntry = useEditor((s) => s.draft.entry === id);
  const types = useEditor(useShallow((s) => eventTypes(s.draft)));
  const nameProblems = useFieldProblems(id, 'name');
  const concurrency = useFieldProblems(id, 'concurrency');
  const replicas = useFieldProblems(id, 'replicas');
  const publish = useFieldProblems(id, 'publish');
  const outboxPoll = useFieldProblems(id, 'outbox_poll_ms');
  const idProblems = useFieldProblems(id, 'id');
  const rest = useEditor(
    useShallow((s) =>
      s.problems
        .filter(
          (p: PlacedProblem) =>
            p.service === id &&
            ![
              'name',
              'concurrency',
              'replicas',
              'publish',
              'outbox_poll_ms',
              'id',
              'latency_ms',
              'emits',
              'subscribes',
              'filter_policy',
            ].some((h) => p.field.startsWith(h)),
        )
        .map((p) => p.text),
    ),
  );
  if (!svc) return null;
  const name = svc.name || svc.id;
  return (
    <section className="edit-section" aria-labelledby="edit-service-title">
      <h3 id="edit-service-title">
        Service: {name} <span className="muted">({svc.id})</span>
      </h3>
      <FieldProblems id={`${id}-id-problems`} problems={[...idProblems, ...rest]} />
      <Field label="Name" problems={nameProblems}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={svc.name}
            onChange={(e) => ed.renameService(id, e.target.value)}
          />
        )}
      </Field>
      <EventChecks svc={svc} which="emits" types={types} />
      <AddEventType svc={svc} />
      <EventChecks svc={svc} which="subscribes" types={types} />
      <AddSubscription svc={svc} />
      <FilterPolicy service={svc.id} />
      <LatencyFields svc={svc} />
      <NumberField
        label="Workers per replica"
        problems={concurrency}
        min={1}
        value={svc.concurrency ?? ''}
        onChange={(n) => ed.updateService(id, { concurrency: n })}
      />
      <NumberField
        label="Replicas"
        problems={replicas}
        min={1}
        value={svc.replicas ?? ''}
        onChange={(n) => ed.updateService(id, { replicas: n })}
      />
      <label className="edit-check">
        <input
          type="checkbox"
          checked={svc.idempotent ?? false}
          onChange={(e) => ed.updateService(id, { idempotent: e.target.checked })}
        />
        Idempotent (skips a message id it already handled)
      </label>
      {!isEntry && (
        <label className="edit-check">
          <input
            type="checkbox"
            checked={svc.subscribed ?? true}
            onChange={(e) => ed.updateService(id, { subscribed: e.target.checked })}
          />
          Subscribed from the start (off: a late subscriber, added during the run)
        </label>
      )}
      {(isEntry || svc.publish !== undefined) && (
        <Field label="Publishes its events" problems={publish}>
          {(p) => (
            <select
              {...p}
              value={svc.publish ?? ''}
              onChange={(e) =>
                ed.updateService(id, {
                  publish: (e.target.value || undefined) as DraftService['publish'],
                })
              }
            >
              {PUBLISH.map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {svc.publish === 'outbox' && (
        <NumberField
          label="Outbox relay polls every (ms)"
          problems={outboxPoll}
          min={1}
          placeholder="100"
          value={svc.outbox_poll_ms ?? ''}
          onChange={(n) => ed.updateService(id, { outbox_poll_ms: n })}
        />
      )}
      <button type="button" className="button danger" onClick={() => ed.deleteService(id)}>
        Delete {name}
      </button>
      {isEntry && (
        <p className="hint">
          This is the entry service: deleting it means choosing another one users call.
        </p>
      )}
    </section>
  );
}

/** The side panel in Edit mode. */
export function EditPanel() {
  const selected = useEditor((s) =>
    s.selected && s.draft.services.some((x) => x.id === s.selected) ? s.selected : null,
  );
  // Keyed by place, not id: a new service's id follows its name as it is typed, and the
  // name field must keep the focus meanwhile.
  const place = useEditor((s) => s.draft.services.findIndex((x) => x.id === s.selected));
  return (
    <div className="edit-panel">
      {selected ? (
        <ServiceSection key={place} id={selected} />
      ) : (
        <p className="hint">Pick a service on the canvas or below to change it.</p>
      )}
      <ServiceList />
      <SystemSection />
    </div>
  );
}
