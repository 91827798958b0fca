/**
 * A service's health, switched now: down (unreachable), slow (latency x factor), flaky
 * (a share of its work fails), crashing after its work and before it acknowledges
 * (the cause of duplicates), or before it publishes (the dual write). The outage switch, the fault menu and keys 1-9 all end here.
 *
 * `service: "broker"` (when no service has that id, as in a scenario's faults) switches
 * the broker itself: down (every publish refused, nothing delivered) or slow (its
 * publisher confirms take `slowFactor` times longer). A request chain has no broker: there
 * it changes nothing.
 */
import { z } from 'zod';
import type { Model } from '../model';
import { BROKER_FAULT_TARGET } from '../scenario';
import type { FaultSettings } from '../state';
import { defineIntervention, fromBit, bit, serviceIdSchema } from './define';

/** Does this fault name the broker itself (no service of the run has its id)? */
export function isBrokerFault(model: Model, service: string): boolean {
  return service === BROKER_FAULT_TARGET && !model.services.some((s) => s.id === service);
}

const rate = z.number().min(0).max(1);
const patchSchema = z
  .strictObject({
    down: z.boolean().optional(),
    slowFactor: z.number().min(1).max(100).optional(),
    errorRate: rate.optional(),
    crashRate: rate.optional(),
    publishCrashRate: rate.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, {
    error: 'must set down, slowFactor, errorRate, crashRate and/or publishCrashRate',
  });

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** "took Email Service down, slowed it ×5": the parts of a patch in the learner's voice. */
export function describeFault(name: string, patch: Partial<FaultSettings>): string {
  const parts: string[] = [];
  if (patch.down !== undefined)
    parts.push(patch.down ? `took ${name} down` : `brought ${name} back up`);
  if (patch.slowFactor !== undefined)
    parts.push(
      patch.slowFactor === 1
        ? `set ${name} to normal speed`
        : `slowed ${name} ×${patch.slowFactor}`,
    );
  if (patch.errorRate !== undefined)
    parts.push(
      patch.errorRate === 0
        ? `stopped ${name} failing`
        : `made ${name} fail ${percent(patch.errorRate)}`,
    );
  if (patch.crashRate !== undefined)
    parts.push(
      patch.crashRate === 0
        ? `stopped ${name} crashing before ack`
        : `made ${name} crash before ack ${percent(patch.crashRate)}`,
    );
  if (patch.publishCrashRate !== undefined)
    parts.push(
      patch.publishCrashRate === 0
        ? `stopped ${name} crashing before publish`
        : `made ${name} crash before publish ${percent(patch.publishCrashRate)}`,
    );
  return parts.length > 0 ? `You ${parts.join(', ')}` : `You changed ${name}`;
}

export const fault = defineIntervention({
  kind: 'fault',
  fields: { service: serviceIdSchema, patch: patchSchema },
  sides: 'all',
  // "broker" is checked by `problem` against the run: a scenario may have a service so called.
  services: (b) => (b.service === BROKER_FAULT_TARGET ? [] : [b.service]),
  problem(run, b) {
    if (!isBrokerFault(run.model, b.service)) {
      return run.model.services.some((s) => s.id === b.service)
        ? null
        : `there is no service "${b.service.slice(0, 40)}" here`;
    }
    const { down: _down, slowFactor: _slow, ...rest } = b.patch;
    return Object.keys(rest).length > 0
      ? 'the broker can be down or slow, not flaky or crashing'
      : null;
  },
  apply(run, b) {
    if (isBrokerFault(run.ctx.model, b.service)) {
      const { down, slowFactor } = b.patch;
      run.ops.setBrokerFault(run.ctx, run.state, {
        ...(down !== undefined ? { down } : {}),
        ...(slowFactor !== undefined ? { slowFactor } : {}),
      });
      return;
    }
    run.ops.setFault(run.ctx, run.state, run.service(b.service), b.patch);
  },
  link: {
    code: 'f',
    encode(b, serviceIndex) {
      const p: Record<string, number> = {};
      if (b.patch.down !== undefined) p.d = bit(b.patch.down);
      if (b.patch.slowFactor !== undefined) p.s = b.patch.slowFactor;
      if (b.patch.errorRate !== undefined) p.e = b.patch.errorRate;
      if (b.patch.crashRate !== undefined) p.c = b.patch.crashRate;
      if (b.patch.publishCrashRate !== undefined) p.p = b.patch.publishCrashRate;
      // The broker is no service: it keeps its name in the link.
      const index = serviceIndex(b.service);
      return [index < 0 ? b.service : index, p];
    },
    decode([service, p], serviceId) {
      if (p === null || typeof p !== 'object' || Array.isArray(p))
        return 'its fault settings are damaged';
      const names: Record<string, string> = {
        d: 'down',
        s: 'slowFactor',
        e: 'errorRate',
        c: 'crashRate',
        p: 'publishCrashRate',
      };
      const patch: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(p)) {
        const key = Object.hasOwn(names, k) ? names[k] : undefined;
        if (!key) return `unknown fault setting ${JSON.stringify(k).slice(0, 20)}`;
        patch[key] = key === 'down' ? fromBit(v) : v;
      }
      return { service: serviceId(service), patch };
    },
  },
  marker: (b, name) => {
    const called = name(b.service);
    // A service's name, or (no service has the id "broker") the broker itself.
    const who = called === BROKER_FAULT_TARGET && b.service === called ? 'the broker' : called;
    return { kind: 'fault', label: describeFault(who, b.patch) };
  },
  verbs: [
    {
      do: 'outage',
      fields: { service: serviceIdSchema, down: z.boolean() },
      toBodies: (v) => [{ service: v.service as string, patch: { down: v.down as boolean } }],
    },
    {
      do: 'fault',
      fields: {
        service: serviceIdSchema,
        slowFactor: z.number().min(1).max(100).optional(),
        errorRate: rate.optional(),
        crashRate: rate.optional(),
        publishCrashRate: rate.optional(),
      },
      toBodies: ({ service, slowFactor, errorRate, crashRate, publishCrashRate }) => {
        const patch: Partial<FaultSettings> = {};
        if (slowFactor !== undefined) patch.slowFactor = slowFactor as number;
        if (errorRate !== undefined) patch.errorRate = errorRate as number;
        if (crashRate !== undefined) patch.crashRate = crashRate as number;
        if (publishCrashRate !== undefined) patch.publishCrashRate = publishCrashRate as number;
        return Object.keys(patch).length > 0 ? [{ service: service as string, patch }] : [];
      },
    },
  ],
});
