/**
 * A service's health, switched now: down (unreachable), slow (latency x factor), flaky
 * (a share of its work fails), crashing after its work and before it acknowledges
 * (the cause of duplicates), or before it publishes (the dual write). The outage switch, the fault menu and keys 1-9 all end here.
 */
import { z } from 'zod';
import { setFault } from '../engine';
import type { FaultSettings } from '../state';
import { defineIntervention, fromBit, bit, serviceIdSchema } from './define';

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
  services: (b) => [b.service],
  apply(run, b) {
    setFault(run.ctx, run.state, run.service(b.service), b.patch);
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
      return [serviceIndex(b.service), p];
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
  marker: (b, name) => ({ kind: 'fault', label: describeFault(name(b.service), b.patch) }),
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
