export { INPUT, INPUT_NAMES, OUTPUT, OUTPUT_NAMES, STATE, inputEnvName } from './inputs.js';
export type { InputName, OutputName, StateKey } from './inputs.js';
export {
  DEFAULTS,
  LATER_CAPABILITY_INPUTS,
  closestKey,
  configFileLocation,
  readActionInputs,
  resolveConfig,
} from './load.js';
export type { Config, ConfigOrigin } from './schema.js';
export type { ConfigSources } from './load.js';
export type { AstGrepPattern, EscalateOn, McpGatewayMode, ReviewEvent } from './schema.js';
export { INPUT_SPECS, OUTPUT_SPECS } from './table.js';
export { renderInputsTable } from './docs.js';
