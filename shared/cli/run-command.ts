import { AppError } from '../errors.js';

/** Exit codes of every `homing` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Runs a CLI action, turning typed errors into one clear line on stderr and an exit code:
 * 2 for bad input (4xx-class, config), 1 for everything else.
 */
export async function runAction(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`homing: ${err.message} [${err.code}]\n`);
      process.exitCode = err.status >= 400 && err.status < 500 || err.code === 'CONFIG_INVALID' ? EXIT.usage : EXIT.failure;
    } else {
      process.stderr.write(`homing: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.failure;
    }
  }
}

/** Resolves when the process gets SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => { process.off('SIGINT', on); process.off('SIGTERM', on); resolve(sig); };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
