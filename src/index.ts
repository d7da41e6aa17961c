import { runAction } from './action.js';

// Exit explicitly so that no pending retry or timer keeps the runner step alive.
await runAction().finally(() => process.exit());
