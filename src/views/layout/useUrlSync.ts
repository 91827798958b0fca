import { useEffect } from 'react';
import { usePlaygroundStore } from '../../store/context';
import { playgroundSearch } from '../../store/urlParams';

/** Keeps the address bar equal to the current setup, so copying it shares this exact setup. */
export function useUrlSync(): void {
  const store = usePlaygroundStore();
  useEffect(() => {
    const write = () => {
      const s = store.getState();
      const search = playgroundSearch(s, window.location.search);
      if (search !== window.location.search) {
        window.history.replaceState(
          window.history.state,
          '',
          `${window.location.pathname}${search}${window.location.hash}`,
        );
      }
    };
    write();
    return store.subscribe((s, prev) => {
      if (
        s.scenario !== prev.scenario ||
        s.seed !== prev.seed ||
        s.mode !== prev.mode ||
        s.speed !== prev.speed
      )
        write();
    });
  }, [store]);
}
