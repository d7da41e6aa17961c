// Removes the bundle's JavaScript before rollup writes it again, so that a chunk no longer produced cannot linger in dist/.
// dist/bin and dist/rules belong to copy-assets.mjs, which keeps them in step itself.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dist = 'dist';
rmSync(join(dist, 'chunks'), { recursive: true, force: true });
for (const name of readdirSync(dist, { withFileTypes: true })) {
  if (name.isFile() && name.name.endsWith('.js')) rmSync(join(dist, name.name));
}
