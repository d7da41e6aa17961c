import { runPost } from './post-step.js';

await runPost().finally(() => process.exit());
