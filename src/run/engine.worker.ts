/// <reference lib="webworker" />
/**
 * The engine's worker: the simulation runs here, so however long a step takes, the page
 * keeps drawing and answering input. One command at a time, answered in order, each
 * with the frame after it (its typed arrays transferred, not copied).
 */
import { EngineEndpoint } from './endpoint';
import { transferables } from './frame';
import type { Command, WorkerMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const endpoint = new EngineEndpoint({ clock: () => performance.now() });

self.onmessage = (event: MessageEvent<{ id: number; command: Command }>) => {
  const { id, command } = event.data;
  let message: WorkerMessage;
  try {
    const { reply, frame } = endpoint.handle(command);
    message = { id, ok: true, reply, frame };
    self.postMessage(message, frame ? transferables(frame) : []);
  } catch (error) {
    message = {
      id,
      ok: false,
      error:
        error instanceof Error
          ? (error.message.split('\n')[0]?.slice(0, 300) ?? 'error')
          : String(error),
    };
    self.postMessage(message);
  }
};
