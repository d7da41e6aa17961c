// The ast-grep scanner's public surface: find the binary and the built-in pack, then scan.
export { builtinRulesDir, type VendoredManifest } from './assets.js';
export { AST_GREP_ENV_VAR, resolveAstGrepBinary, type AstGrepOrigin, type ResolveAstGrepOptions, type ResolvedAstGrep } from './binary.js';
export { severityOf, TSX_ID_SUFFIX } from './rules.js';
export {
  DEFAULT_SCAN_TIMEOUT_MS,
  findingFromMatch,
  runAstGrepScan,
  type AstGrepMatch,
  type AstGrepScanInput,
  type AstGrepScanResult,
} from './scan.js';
