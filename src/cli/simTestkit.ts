/** For the CLI's tests: `npm run sim -- …` run in-process, its exit status and what it printed. */
import { main } from './sim';

export function sim(...args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = main(
    args,
    (t) => {
      stdout += t;
    },
    (t) => {
      stderr += t;
    },
  );
  return { status, stdout, stderr };
}
