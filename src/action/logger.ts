import * as core from '@actions/core';
import type { Logger } from '../logger.js';

/** The Actions runner's log: groups fold, `setSecret` masks values in every later line the runner prints. */
export class ActionsLogger implements Logger {
  debug(message: string): void {
    core.debug(message);
  }
  info(message: string): void {
    core.info(message);
  }
  warning(message: string): void {
    core.warning(message);
  }
  error(message: string): void {
    core.error(message);
  }
  private inGroup = false;

  /** The Actions log cannot show a group inside a group: inside one, only `fn` runs. */
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.inGroup) return fn();
    this.inGroup = true;
    try {
      return await core.group(name, fn);
    } finally {
      this.inGroup = false;
    }
  }
  mask(secret: string): void {
    if (secret) core.setSecret(secret);
  }
}
