import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { CliError, ExitCode } from '../errors.js';

const WAIT_MS = 5_000;
const STALE_MS = 10_000;

/**
 * Runs `work` holding an exclusive lock file (created with O_EXCL), so two processes changing
 * the same file never lose each other's changes. A lock left by a process that died is taken over.
 */
export function withFileLock<T>(lockPath: string, work: () => T): T {
  const deadline = Date.now() + WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      try {
        return work();
      } finally {
        unlinkSync(lockPath);
      }
    }
    if (isStale(lockPath)) {
      // Only after a crash; two waiters racing here needs a crash first, and both then retry.
      try {
        unlinkSync(lockPath);
      } catch {
        // another waiter removed it first
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new CliError(`the profile file is locked by another cashier-check (${lockPath})`, {
        exitCode: ExitCode.usage,
        field: 'profile file',
        hint: 'wait for the other command to finish; if none is running, delete the .lock file',
      });
    }
    Atomics.wait(pause, 0, 0, 5 + Math.floor(Math.random() * 10));
  }
}

function isStale(lockPath: string): boolean {
  try {
    const owner = Number(readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) return true;
    return Date.now() - statSync(lockPath).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
