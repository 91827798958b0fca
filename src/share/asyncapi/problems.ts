/**
 * A problem in an AsyncAPI document, with its place: the file, a JSON pointer into the
 * document, and the line when the parser knows it.
 */
import { showHidden } from '../../core/text';

export interface AsyncApiProblem {
  /** The file (and, in a stream of several, which document). */
  file: string;
  /** JSON pointer into the document; `''` is the document as a whole. */
  pointer: string;
  line?: number;
  message: string;
}

/** `billing.yaml: /operations/pay/channel (line 12): points at nothing` */
export function formatAsyncApiProblem(p: AsyncApiProblem): string {
  const where = p.pointer === '' ? '' : `: ${showHidden(p.pointer)}`;
  const line = p.line === undefined ? '' : ` (line ${p.line})`;
  return `${showHidden(p.file)}${where}${line}: ${p.message}`;
}
