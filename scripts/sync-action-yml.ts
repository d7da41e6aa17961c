// Rewrites the `inputs:` and `outputs:` sections of action.yml from src/config/table.ts (the rest of the file is kept), and
// docs/inputs.md and the README's inputs section from src/config/docs.ts. Run after changing the table:
//   node --import tsx scripts/sync-action-yml.ts
// A test compares all three with the table, so a forgotten run fails CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderInputsTable } from '../src/config/docs.js';
import { INPUT_NAMES, OUTPUT_NAMES } from '../src/config/inputs.js';
import { INPUT_SPECS, OUTPUT_SPECS } from '../src/config/table.js';

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const inputs = INPUT_NAMES.flatMap((name) => [
  `  ${name}:`,
  `    description: ${quote(INPUT_SPECS[name].description)}`,
  '    required: false',
  `    default: ${quote(INPUT_SPECS[name].default)}`,
]);
const outputs = OUTPUT_NAMES.flatMap((name) => [`  ${name}:`, `    description: ${quote(OUTPUT_SPECS[name].description)}`]);

const action = readFileSync('action.yml', 'utf8');
const updated = action.replace(/\ninputs:\n[\s\S]*?\n\noutputs:\n[\s\S]*?\n\nruns:/, `\ninputs:\n${inputs.join('\n')}\n\noutputs:\n${outputs.join('\n')}\n\nruns:`);
if (updated === action && !action.includes('\ninputs:\n')) throw new Error('action.yml has no inputs:/outputs:/runs: sections to rewrite');
writeFileSync('action.yml', updated);

const table = renderInputsTable();
writeFileSync('docs/inputs.md', table);
const readme = readFileSync('README.md', 'utf8');
const section = table.split('\n').slice(2).join('\n').trim();
writeFileSync('README.md', readme.replace(/(<!-- inputs:start -->\n)[\s\S]*?(\n<!-- inputs:end -->)/, `$1${section}$2`));
