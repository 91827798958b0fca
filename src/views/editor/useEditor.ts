import { useStore } from 'zustand';
import { usePlaygroundApi } from '../../store/context';
import type { EditorState } from '../../store/editor';

/** One field of the editor's state (a narrow selector, like `usePlayground`). */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(usePlaygroundApi().editor.store, selector);
}
