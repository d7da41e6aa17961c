import { runAction } from './action/main-step.js';

// Exit explicitly so that no pending retry or timer keeps the runner step alive.
await runAction().finally(() => process.exit());
