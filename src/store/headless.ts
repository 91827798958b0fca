/**
 * A playground whose engine runs in-process (`LocalHost`): for tests, tools and Node.
 * Frames are applied before a command's promise resolves, so after `await pg.apply(...)`
 * or `pg.playback.tick(16)` the store already shows the result.
 */
import { LocalHost } from '../run/localHost';
import { createPlayground, type Playground, type PlaygroundOptions } from './playground';

export function createHeadlessPlayground(options: Partial<PlaygroundOptions> = {}): Playground {
  return createPlayground({ ...options, host: options.host ?? new LocalHost() });
}
