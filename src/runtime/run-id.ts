import { randomBytes } from 'node:crypto';

/** A fresh id per run: random, so two runs on one engine (a self-hosted runner) never share labels. */
export function newRunId(): string {
  return `uc-${randomBytes(6).toString('hex')}`;
}
