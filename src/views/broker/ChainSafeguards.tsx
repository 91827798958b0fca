/**
 * The request chain's safeguards, beside its title: none, a circuit breaker, a deadline
 * passed down with every call, or both (the fair chain of issue 12). Choosing restarts the
 * run with the same scenario and seed, like the broker switch on the event side.
 */
import { useId } from 'react';
import { usePlayground, usePlaygroundApi } from '../../store/context';
import './broker.css';

const CHOICES = [
  { value: 'none', label: 'None', breaker: false, deadline: false },
  { value: 'breaker', label: 'Circuit breaker', breaker: true, deadline: false },
  { value: 'deadline', label: 'Deadline', breaker: false, deadline: true },
  { value: 'both', label: 'Breaker + deadline', breaker: true, deadline: true },
] as const;

export function ChainSafeguards() {
  const pg = usePlaygroundApi();
  const breaker = usePlayground((s) => s.scenario.sync.circuit_breaker !== undefined);
  const deadline = usePlayground((s) => s.scenario.sync.deadline_ms !== undefined);
  const id = useId();
  const current = CHOICES.find((c) => c.breaker === breaker && c.deadline === deadline);
  return (
    <div className="broker-switch chain-safeguards">
      <label htmlFor={id} className="picker-caption">
        Safeguards:
      </label>
      <select
        id={id}
        value={current?.value ?? 'none'}
        title="A circuit breaker fails calls fast while a service keeps failing; a deadline stops work nobody waits for any more. Restarts the run."
        onChange={(e) => {
          const choice = CHOICES.find((c) => c.value === e.target.value);
          if (choice)
            void pg.broker.setSafeguards({ breaker: choice.breaker, deadline: choice.deadline });
        }}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
