/**
 * Edit mode's system settings beyond the basics: every plain setting of the broker flavour,
 * consumer delivery (retries, backoff, dead letters) and the request chain (timeouts,
 * retries), listed from the schema itself (`SETTING_FIELDS`), and the workload's spikes,
 * keys and order attributes. Each field shows the schema's problems at its path.
 */
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type SettingField, SETTING_FIELDS } from '../../core/scenario';
import { FLAVOURS, formatDuration } from '../../content/brokerFlavours';
import { usePlaygroundApi } from '../../store/context';
import type { SettingsSection } from '../../store/draft';
import { Field, FieldProblems, NumberField, useFieldProblems, useServiceNames } from './fields';
import { useEditor } from './useEditor';

/** Names of settings the flavours do not name (delivery, sync, confirm_ms). */
const LABELS: Record<string, string> = {
  confirm_ms: 'Confirm time',
  max_attempts: 'Deliveries before dead-lettering',
  backoff: 'Backoff',
  base_ms: 'Backoff base',
  cap_ms: 'Backoff cap',
  jitter: 'Jitter',
  dead_letter: 'Dead-letter queue',
  timeout_ms: 'Call timeout',
  retries: 'Retries per call',
  deadline_ms: 'Order deadline',
  failure_rate: 'Opens at failure share',
  window_ms: 'Breaker window',
  open_ms: 'Stays open',
  min_calls: 'Fewest calls to judge',
};

const humanize = (key: string) => {
  const words = key.replace(/_ms$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const fallbackText = (field: SettingField): string => {
  if (field.fallback === undefined) return 'off';
  if (typeof field.fallback === 'number' && field.key.endsWith('_ms'))
    return formatDuration(field.fallback);
  if (typeof field.fallback === 'boolean') return field.fallback ? 'on' : 'off';
  return String(field.fallback);
};

/** Where a section's settings are in the scenario (the circuit breaker is under `sync`). */
const pathOf = (section: SettingsSection) =>
  section === 'circuit_breaker' ? 'sync.circuit_breaker' : section;

/** One setting of `section`: a number, a choice or a switch, as the schema says. */
function SettingInput({
  section,
  field,
  label,
}: {
  section: SettingsSection;
  field: SettingField;
  label: string;
}) {
  const ed = usePlaygroundApi().editor;
  const value = useEditor((s) => {
    const values: Record<string, unknown> | undefined =
      section === 'broker'
        ? s.draft.broker
        : section === 'circuit_breaker'
          ? s.draft.sync?.circuit_breaker
          : s.draft[section];
    const v = values?.[field.key];
    return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
  });
  const problems = useFieldProblems(null, `${pathOf(section)}.${field.key}`);
  const unit = field.key.endsWith('_ms') ? ' (ms)' : '';
  if (field.type === 'number')
    return (
      <NumberField
        label={`${label}${unit}`}
        problems={problems}
        min={field.min}
        max={field.max}
        step={field.integer ? '1' : 'any'}
        placeholder={`default: ${fallbackText(field)}`}
        value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
        onChange={(n) => ed.setSetting(section, field.key, n)}
      />
    );
  if (field.type === 'choice')
    return (
      <Field label={label} problems={problems}>
        {(p) => (
          <select
            {...p}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => ed.setSetting(section, field.key, e.target.value || undefined)}
          >
            <option value="">default ({fallbackText(field)})</option>
            {field.choices?.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  return (
    <Field label={label} problems={problems}>
      {(p) => (
        <input
          {...p}
          type="checkbox"
          checked={typeof value === 'boolean' ? value : field.fallback === true}
          onChange={(e) => ed.setSetting(section, field.key, e.target.checked)}
        />
      )}
    </Field>
  );
}

/** The settings of one section, in a disclosure (closed at first: the side panel stays short). */
function SettingsGroup({
  section,
  title,
  fields,
  label,
}: {
  section: SettingsSection;
  title: string;
  fields: readonly SettingField[];
  label: (key: string) => string;
}) {
  const count = useEditor(
    (s) => s.problems.filter((p) => p.service === null && p.field.startsWith(`${section}.`)).length,
  );
  return (
    <details className="edit-settings" open={count > 0 || undefined}>
      <summary>
        {title}
        {count > 0 && <span className="edit-settings-bad"> · {count} to fix</span>}
      </summary>
      {fields.map((f) => (
        <SettingInput key={f.key} section={section} field={f} label={label(f.key)} />
      ))}
      {section === 'sync' && <CircuitBreaker label={label} />}
    </details>
  );
}

/** The request chain's circuit breaker: off, or on with its four settings. */
function CircuitBreaker({ label }: { label: (key: string) => string }) {
  const ed = usePlaygroundApi().editor;
  const on = useEditor((s) => s.draft.sync?.circuit_breaker !== undefined);
  const id = useId();
  return (
    <>
      <label className="edit-check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={on}
          onChange={(e) => ed.setCircuitBreaker(e.target.checked)}
        />
        Circuit breaker on every call (fails calls at once while the callee keeps failing)
      </label>
      {on &&
        SETTING_FIELDS.circuit_breaker.map((f) => (
          <SettingInput key={f.key} section="circuit_breaker" field={f} label={label(f.key)} />
        ))}
    </>
  );
}

/** The broker flavour's own settings, then consumer delivery and the request chain's. */
export function BrokerSettings() {
  const kind = useEditor((s) => s.draft.broker?.kind ?? 'queue');
  const flavour = FLAVOURS[kind];
  const named = (key: string) =>
    flavour.settings.find((x) => x.key === key)?.label ?? LABELS[key] ?? humanize(key);
  const plain = (key: string) => LABELS[key] ?? humanize(key);
  return (
    <>
      <SettingsGroup
        key={kind}
        section="broker"
        title={`Broker settings (${flavour.label})`}
        fields={SETTING_FIELDS[kind]}
        label={named}
      />
      <SettingsGroup
        section="delivery"
        title="Consumer retries and dead letters"
        fields={SETTING_FIELDS.delivery}
        label={plain}
      />
      <SettingsGroup
        section="sync"
        title="Request chain: timeouts and retries"
        fields={SETTING_FIELDS.sync}
        label={plain}
      />
    </>
  );
}

/** One workload spike: when, how long, how many orders per second. */
function SpikeRow({ index }: { index: number }) {
  const ed = usePlaygroundApi().editor;
  const spike = useEditor((s) => s.draft.workload.spikes?.[index]);
  const problems = {
    at: useFieldProblems(null, `workload.spikes[${index}].at_ms`),
    lasts: useFieldProblems(null, `workload.spikes[${index}].duration_ms`),
    rate: useFieldProblems(null, `workload.spikes[${index}].rate_per_s`),
  };
  if (!spike) return null;
  const shown = (n: number) => (Number.isFinite(n) ? n : '');
  return (
    <fieldset className="edit-fieldset">
      <legend>Spike {index + 1}</legend>
      <NumberField
        label="Starts at (ms)"
        problems={problems.at}
        min={0}
        value={shown(spike.at_ms)}
        onChange={(n) => ed.updateSpike(index, { at_ms: n as number })}
      />
      <NumberField
        label="Lasts (ms)"
        problems={problems.lasts}
        min={1}
        value={shown(spike.duration_ms)}
        onChange={(n) => ed.updateSpike(index, { duration_ms: n as number })}
      />
      <NumberField
        label="Orders per second"
        problems={problems.rate}
        min={0}
        step="any"
        value={shown(spike.rate_per_s)}
        onChange={(n) => ed.updateSpike(index, { rate_per_s: n as number })}
      />
      <button type="button" className="button small" onClick={() => ed.removeSpike(index)}>
        Remove spike {index + 1}
      </button>
    </fieldset>
  );
}

const valuesOf = (text: string) => text.split(',').map((v) => v.trim());

/** One order attribute and its values. */
function AttributeRow({ name }: { name: string }) {
  const ed = usePlaygroundApi().editor;
  const values = useEditor(useShallow((s) => s.draft.workload.attributes?.[name] ?? []));
  const problems = useFieldProblems(null, `workload.attributes.${name}`);
  return (
    <div className="edit-attribute">
      <Field label={`Values of ${name} (comma-separated)`} problems={problems}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={values.join(', ')}
            onChange={(e) => ed.setAttribute(name, valuesOf(e.target.value))}
          />
        )}
      </Field>
      <button
        type="button"
        className="button small"
        onClick={() => ed.setAttribute(name, undefined)}
      >
        Remove {name}
      </button>
    </div>
  );
}

function AddAttribute() {
  const ed = usePlaygroundApi().editor;
  const [name, setName] = useState('');
  const [values, setValues] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const nameId = useId();
  const valuesId = useId();
  const problemId = useId();
  return (
    <form
      className="edit-field edit-fieldset"
      aria-label="New order attribute"
      onSubmit={(e) => {
        e.preventDefault();
        const why = ed.addAttribute(name, valuesOf(values));
        setProblem(why);
        if (!why) {
          setName('');
          setValues('');
        }
      }}
    >
      <label htmlFor={nameId}>New attribute</label>
      <input
        id={nameId}
        type="text"
        value={name}
        placeholder="tier"
        aria-invalid={problem !== null}
        aria-describedby={problem ? problemId : undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor={valuesId}>its values (comma-separated)</label>
      <input
        id={valuesId}
        type="text"
        value={values}
        placeholder="gold, silver"
        onChange={(e) => setValues(e.target.value)}
      />
      <button type="submit" className="button small">
        Add attribute
      </button>
      <FieldProblems id={problemId} problems={problem ? [problem] : []} />
    </form>
  );
}

/** Spikes, keys and order attributes of the workload. */
export function WorkloadSettings() {
  const ed = usePlaygroundApi().editor;
  const spikes = useEditor((s) => s.draft.workload.spikes?.length ?? 0);
  const keys = useEditor((s) => s.draft.workload.keys);
  const attributes = useEditor(useShallow((s) => Object.keys(s.draft.workload.attributes ?? {})));
  const count = useEditor(
    (s) =>
      s.problems.filter((p) => p.field.startsWith('workload.') && p.field !== 'workload.rate_per_s')
        .length,
  );
  return (
    <details className="edit-settings" open={count > 0 || undefined}>
      <summary>
        Workload: spikes, poison, single orders, keys, attributes
        {count > 0 && <span className="edit-settings-bad"> · {count} to fix</span>}
      </summary>
      {Array.from({ length: spikes }, (_, i) => (
        // Spikes have no id: a row is its place in the list, as in the file.
        // biome-ignore lint/suspicious/noArrayIndexKey: the index is the spike's identity
        <SpikeRow key={i} index={i} />
      ))}
      <button type="button" className="button small" onClick={() => ed.addSpike()}>
        Add spike
      </button>
      <NumberField
        label="Keys (customers: the partition key and FIFO group)"
        problems={useFieldProblems(null, 'workload.keys')}
        min={1}
        step="1"
        placeholder="default: 100"
        value={keys !== undefined && Number.isFinite(keys) ? keys : ''}
        onChange={(n) => ed.setKeys(n)}
      />
      <Poison />
      <SingleOrders />
      <h4 className="edit-settings-title">Order attributes (what filter policies match)</h4>
      {attributes.map((name) => (
        <AttributeRow key={name} name={name} />
      ))}
      <AddAttribute />
    </details>
  );
}

/**
 * SNS + SQS: which orders a service's subscription lets through, by the attributes orders
 * carry (the workload's). Empty: every value.
 */
export function FilterPolicy({ service }: { service: string }) {
  const ed = usePlaygroundApi().editor;
  const sns = useEditor((s) => s.draft.broker?.kind === 'sns-sqs');
  const subscribes = useEditor(
    (s) => (s.draft.services.find((x) => x.id === service)?.subscribes?.length ?? 0) > 0,
  );
  const name = useEditor((s) => {
    const svc = s.draft.services.find((x) => x.id === service);
    return svc?.name || service;
  });
  const policy = useEditor(
    useShallow((s) =>
      s.draft.broker?.kind === 'sns-sqs' ? (s.draft.broker.filter_policies?.[service] ?? {}) : {},
    ),
  );
  const declared = useEditor(useShallow((s) => Object.keys(s.draft.workload.attributes ?? {})));
  // A policy on an attribute no longer declared stays listed, with its problem.
  const attributes = [...new Set([...declared, ...Object.keys(policy)])];
  if (!sns || !subscribes) return null;
  return (
    <fieldset className="edit-fieldset">
      <legend>Filter policy of {name} (SNS subscription)</legend>
      {attributes.length === 0 && (
        <p className="hint">
          Orders carry no attributes yet: add one under Workload, then choose here which values{' '}
          {name} receives.
        </p>
      )}
      {attributes.map((attribute) => (
        <PolicyField
          key={attribute}
          service={service}
          attribute={attribute}
          values={policy[attribute]}
          onChange={(values) => ed.setFilterPolicy(service, attribute, values)}
        />
      ))}
    </fieldset>
  );
}

function PolicyField({
  service,
  attribute,
  values,
  onChange,
}: {
  service: string;
  attribute: string;
  values: readonly string[] | undefined;
  onChange: (values: string[] | undefined) => void;
}) {
  const problems = useFieldProblems(service, `filter_policy.${attribute}`);
  return (
    <Field label={`Accepts ${attribute} (comma-separated; empty: any)`} problems={problems}>
      {(p) => (
        <input
          {...p}
          type="text"
          value={(values ?? []).join(', ')}
          onChange={(e) =>
            onChange(e.target.value.trim() === '' ? undefined : valuesOf(e.target.value))
          }
        />
      )}
    </Field>
  );
}

/** Poison orders: a share of orders that the services ticked can never process. */
function Poison() {
  const ed = usePlaygroundApi().editor;
  const poison = useEditor((s) => s.draft.workload.poison);
  const services = useServiceNames();
  const rateProblems = useFieldProblems(null, 'workload.poison.rate');
  const listProblems = useFieldProblems(null, 'workload.poison.services');
  const listProblemsId = useId();
  const id = useId();
  return (
    <>
      <label className="edit-check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={poison !== undefined}
          onChange={(e) => ed.setPoison(e.target.checked ? {} : null)}
        />
        Poison orders (data some services can never process: every attempt fails)
      </label>
      {poison && (
        <>
          <NumberField
            label="Share of orders poisoned (0 to 1)"
            problems={rateProblems}
            min={0}
            max={1}
            step="any"
            value={Number.isFinite(poison.rate) ? poison.rate : ''}
            onChange={(n) => ed.setPoison({ rate: n as number })}
          />
          <fieldset
            className="edit-fieldset"
            aria-describedby={listProblems.length > 0 ? listProblemsId : undefined}
          >
            <legend>Services that fail on a poison order</legend>
            {services.map(([sid, name]) => (
              <label key={sid} className="edit-check">
                <input
                  type="checkbox"
                  checked={poison.services.includes(sid)}
                  onChange={(e) =>
                    ed.setPoison({
                      services: e.target.checked
                        ? [...poison.services, sid]
                        : poison.services.filter((x) => x !== sid),
                    })
                  }
                />
                {name}
              </label>
            ))}
            <FieldProblems id={listProblemsId} problems={listProblems} />
          </fieldset>
        </>
      )}
    </>
  );
}

/** Single orders at exact moments, on top of the random arrivals. */
function SingleOrders() {
  const ed = usePlaygroundApi().editor;
  const count = useEditor((s) => s.draft.workload.orders?.length ?? 0);
  return (
    <>
      {Array.from({ length: count }, (_, i) => (
        // An order has no id: a row is its place in the list, as in the file.
        // biome-ignore lint/suspicious/noArrayIndexKey: the index is the order's identity
        <SingleOrder key={i} index={i} />
      ))}
      <button type="button" className="button small" onClick={() => ed.addOrder()}>
        Add a single order
      </button>
    </>
  );
}

function SingleOrder({ index }: { index: number }) {
  const ed = usePlaygroundApi().editor;
  const at = useEditor((s) => s.draft.workload.orders?.[index]?.at_ms);
  const problems = useFieldProblems(null, `workload.orders[${index}]`);
  if (at === undefined) return null;
  return (
    <div className="edit-attribute">
      <NumberField
        label={`Single order ${index + 1} at (ms)`}
        problems={problems}
        min={0}
        step="1"
        value={Number.isFinite(at) ? at : ''}
        onChange={(n) => ed.updateOrder(index, n as number)}
      />
      <button type="button" className="button small" onClick={() => ed.removeOrder(index)}>
        Remove single order {index + 1}
      </button>
    </div>
  );
}
