import type { NodeProps } from '@xyflow/react';
import { lazy, memo, Suspense, useRef, useState } from 'react';
import { toggleOutage } from '../../../store/actions';
import { usePlaygroundApi } from '../../../store/context';
import type { PlaygroundState } from '../../../store/playground';
import type { Side } from '../../../run/modes';
import { useFigures } from '../../live/useFigures';
import type { ServiceNodeType } from '../nodeTypes';
import { serviceStatus } from '../status';
import { useLongPress } from './longPress';
import { fmt, Handles, NodeTitle, OutageSwitch, StatusPill, useIsSelected } from './common';
import { Counter } from './Counter';

/** Loaded when a learner first opens a fault menu: the page's first load does without it. */
const FaultMenu = lazy(() => import('./FaultMenu').then((m) => ({ default: m.FaultMenu })));

/** The live numbers of one service, as primitives so a shallow compare can skip re-renders. */
function selectService(s: PlaygroundState, side: Side, service: number) {
  const sim = s.runs[side];
  if (!sim || service >= sim.model.services.length) return null;
  const v = sim.service(service);
  return {
    subscribed: v.subscribed,
    down: v.down,
    slowFactor: v.slowFactor,
    errorRate: v.errorRate,
    crashRate: v.crashRate,
    publishCrashRate: v.publishCrashRate,
    busy: v.busy,
    workers: v.workers,
    replicas: v.replicas,
    concurrency: v.concurrency,
    processed: v.processed,
    failed: v.failed,
    waiting: v.waiting,
    refused: v.refused,
    circuit: v.circuit,
    shortCircuited: v.shortCircuited,
    declined: v.declined,
    doneForFailedOrders: v.doneForFailedOrders,
    publishRefused: v.publishRefused,
    compensations: v.compensations,
    sagasRunning: v.sagasRunning,
    sagasCompensating: v.sagasCompensating,
  };
}

export const ServiceNode = memo(function ServiceNode({ id, data }: NodeProps<ServiceNodeType>) {
  const { side, service, serviceId, label, takesCalls, consumes, publishes, orchestrates } = data;
  // On the figure beat: counters and the busy bar change a few times a second, not per frame.
  const live = useFigures((s) => selectService(s, side, service));
  const selected = useIsSelected(side, id);
  const pg = usePlaygroundApi();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  // A long press (touch) or a right click opens the fault menu, as the ⋯ button does.
  const press = useLongPress(() => setMenuOpen(true));
  if (!live) return null;

  // A late joiner that has not subscribed yet: it exists, greyed, and does nothing.
  const status = live.subscribed
    ? serviceStatus(live)
    : { tone: 'dormant', word: 'not subscribed', icon: '○' };
  const load = live.workers > 0 ? Math.min(1, live.busy / live.workers) : 0;
  return (
    <div
      className={`node node-service tone-${status.tone}${selected ? ' is-selected' : ''}${live.subscribed ? '' : ' is-dormant'}`}
      data-testid={`service-${side}-${serviceId}`}
      {...press}
    >
      <Handles />
      <div className="node-head">
        <NodeTitle label={label} selected={selected} />
      </div>
      {orchestrates && (
        // Orchestration: this service runs every order's saga, so it is the one place that
        // knows where each order stands.
        <div
          className="node-row small orchestrator"
          data-testid="orchestrator"
          title="The orchestrator: it sends each step its command and waits for the reply; on a failure it sends the compensations"
        >
          <span className="orchestrator-badge">Orchestrator</span>{' '}
          <span title="Sagas under way">
            <span className="num">{fmt(live.sagasRunning)}</span> sagas
          </span>
          {live.sagasCompensating > 0 && (
            <span className="muted">
              {' · '}
              <span className="num">{fmt(live.sagasCompensating)}</span> undoing
            </span>
          )}
        </div>
      )}
      <div className="node-row">
        <StatusPill status={status} testId="service-status" />
        <span className="node-actions">
          <OutageSwitch
            down={live.down}
            label={`${label} outage`}
            title={live.down ? `Bring ${label} back up` : `Take ${label} down`}
            onToggle={() => void toggleOutage(pg, serviceId)}
          />
          <button
            ref={menuButton}
            type="button"
            className="menu-button nodrag nopan"
            aria-label={`${label} fault settings`}
            aria-haspopup="dialog"
            aria-expanded={menuOpen}
            title="Slow, flaky, crash, replicas"
            onClick={(e) => {
              e.stopPropagation();
              setMenuOpen((open) => !open);
            }}
          >
            <span aria-hidden="true">⋯</span>
          </button>
        </span>
      </div>
      <div
        className="node-row workers"
        title="Workers busy / total (replicas × workers per replica)"
      >
        <span className="meter" aria-hidden="true">
          {/* Scaled, not resized: a transform changes no box, so no layout. */}
          <span className="meter-fill" style={{ transform: `scaleX(${load})` }} />
        </span>
        <span className="num workers-count">
          {live.busy}/{live.workers}
        </span>
        <span className="muted">busy</span>
      </div>
      <div className="node-row counts">
        <span title="Pieces of work done (side effects), duplicates included">
          <Counter value={live.processed} /> processed
        </span>
        {takesCalls && live.down ? (
          // Down, it waits for nothing: every call (each retry one more) is refused at its door.
          <span title="Calls refused while down; every retry upstream is one more">
            <Counter value={live.refused} tone="bad" /> refused
          </span>
        ) : takesCalls ? (
          <span title="Calls waiting for a free worker">
            <Counter value={live.waiting} /> waiting
          </span>
        ) : (
          <span title="Work that failed (errors, resets, poison)">
            <Counter value={live.failed} tone="bad" /> failed
          </span>
        )}
      </div>
      {live.publishRefused > 0 && (
        // The broker turned its publishes away (down): failed orders, retries, or outbox rows that wait.
        <div
          className="node-row small publish-refused"
          title="Its publishes the broker refused while down (its outbox relay's tries included)"
        >
          <span aria-hidden="true">⊘</span> <Counter value={live.publishRefused} tone="bad" />{' '}
          publishes refused
        </div>
      )}
      {live.circuit && live.circuit !== 'closed' && (
        // The caller's circuit breaker: open, calls to this service fail at once and are
        // never sent; half-open, the next call is a trial.
        <div
          className={`node-row circuit circuit-${live.circuit}`}
          title="Its caller's circuit breaker (sync.circuit_breaker): open, calls fail at once without being sent; half-open, the next call is a trial"
        >
          <span aria-hidden="true">{live.circuit === 'open' ? '⊘' : '◐'}</span> circuit{' '}
          {live.circuit}
          <span className="muted">
            {' · '}
            <Counter value={live.shortCircuited} tone="bad" /> failed fast
          </span>
        </div>
      )}
      {(live.declined > 0 || (consumes && !orchestrates && live.doneForFailedOrders > 0)) && (
        // A saga at work: refusals here, or work done for orders that were later cancelled
        // (the confirmation email sent before the card was declined).
        <div
          className="node-row saga"
          title="Declined: orders it refused (a business answer, never retried). For cancelled orders: work it did for orders a later step refused, which a compensation must undo"
        >
          {live.declined > 0 && (
            <span>
              <Counter value={live.declined} tone="bad" /> declined
            </span>
          )}
          {consumes && !orchestrates && live.doneForFailedOrders > 0 && (
            <span className="muted">
              <Counter value={live.doneForFailedOrders} /> for cancelled orders
            </span>
          )}
        </div>
      )}
      {live.compensations > 0 && (
        // Orchestration: the compensating commands it carried out (refunds, releases).
        <div
          className="node-row small compensations"
          title="Compensations: the orchestrator's commands to undo its work for a cancelled order (e.g. RefundPayment)"
        >
          <span aria-hidden="true">◆</span> <span className="num">{fmt(live.compensations)}</span>{' '}
          compensated
        </div>
      )}
      {menuOpen && (
        <Suspense fallback={null}>
          <FaultMenu
            anchor={menuButton}
            label={label}
            serviceId={serviceId}
            consumes={consumes}
            publishes={publishes}
            settings={live}
            onClose={() => {
              setMenuOpen(false);
              menuButton.current?.focus();
            }}
          />
        </Suspense>
      )}
    </div>
  );
});
