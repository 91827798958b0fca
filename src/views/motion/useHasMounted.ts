import { useEffect, useRef } from 'react';

/**
 * False while a component renders for the first time, true from then on. Motion that says
 * "this just changed" starts from it (`initial={hasMounted ? … : false}`): what is already
 * there when a page or a run opens did not change, and a dozen nodes popping at once
 * would only cost the first paint.
 */
export function useHasMounted(): boolean {
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
  }, []);
  return mounted.current;
}
