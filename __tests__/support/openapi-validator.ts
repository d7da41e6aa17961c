/**
 * Validates requests and responses against GitHub's own OpenAPI description (`@octokit/openapi`, api.github.com).
 *
 * The document is loaded once per process; each operation's schemas are compiled lazily with ajv and cached. OpenAPI 3.0 specifics are
 * translated to JSON Schema first: `nullable`, `$ref` siblings (ignored, as OpenAPI 3.0 says), `discriminator`, custom formats.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = Record<string, Json>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
const METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

interface OpenApiOperation {
  operationId: string;
  externalDocs?: { url?: string };
  parameters?: JsonObject[];
  requestBody?: JsonObject;
  responses?: Record<string, JsonObject>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>> & { parameters?: JsonObject[] }>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, JsonObject>;
    responses: Record<string, JsonObject>;
    headers: Record<string, JsonObject>;
  };
}

/** One operation of the description, with its path template. */
export interface OperationInfo {
  operationId: string;
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  template: string;
  /** GitHub's documentation page of the operation (what its errors carry as `documentation_url`). */
  docsUrl: string;
}

/** An operation matched by a concrete request path, with the raw (decoded) path parameters. */
export interface MatchedOperation extends OperationInfo {
  params: Record<string, string>;
}

export interface RequestToValidate {
  method: string;
  /** The URL path, without the query string (still percent-encoded, as sent). */
  path: string;
  query?: URLSearchParams | Record<string, string | readonly string[] | undefined>;
  /** The parsed JSON body; `undefined` when the request had none. */
  body?: unknown;
}

export interface RequestValidation {
  operation: MatchedOperation | undefined;
  /** Path and query parameters converted to their schema types (integers as numbers...). */
  params: Record<string, unknown>;
  /** Readable messages; empty when the request is valid. */
  errors: string[];
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Loading

let documentCache: OpenApiDocument | undefined;

/** GitHub's description of api.github.com, parsed once per process. */
export function loadGitHubOpenApi(): OpenApiDocument {
  if (!documentCache) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    documentCache = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  }
  return documentCache;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// ajv

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
type AjvInstance = InstanceType<typeof Ajv>;

let ajvCache: AjvInstance | undefined;
function ajv(): AjvInstance {
  if (!ajvCache) {
    const instance = new Ajv({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false, messages: true });
    addFormats(instance);
    // Formats GitHub uses that ajv-formats does not know: accepted as annotations.
    instance.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
    ajvCache = instance;
  }
  return ajvCache;
}

const KNOWN_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'email',
  'uri',
  'uri-reference',
  'uri-template',
  'ipv4',
  'ipv6',
  'hostname',
  'uuid',
  'int32',
  'int64',
  'double',
  'float',
  'repo.nwo',
]);

/** Schema keywords that only annotate: dropped before compiling. */
const ANNOTATIONS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'externalDocs',
  'discriminator',
  'xml',
  'readOnly',
  'writeOnly',
  'deprecated',
  'nullable',
]);

const SCHEMA_REF = '#/components/schemas/';

/**
 * Translates an OpenAPI 3.0 schema into JSON Schema (draft-07 as ajv reads it), collecting referenced component schemas under
 * `definitions` (so recursion and sharing keep working).
 */
class SchemaTranslator {
  readonly definitions: Record<string, Json> = {};
  constructor(private readonly doc: OpenApiDocument) {}

  translate(node: Json): Json {
    if (Array.isArray(node)) return node.map((item) => this.translate(item));
    if (node === null || typeof node !== 'object') return node;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      // OpenAPI 3.0: siblings of $ref are ignored.
      return { $ref: this.refTo(ref) };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
      if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
        const props: JsonObject = {};
        for (const [name, schema] of Object.entries(value)) props[name] = this.translate(schema);
        out.properties = props;
      } else if (key === 'format') {
        if (typeof value === 'string' && KNOWN_FORMATS.has(value)) out.format = value;
      } else if (key === 'default' || key === 'enum' || key === 'required' || key === 'const') {
        out[key] = value;
      } else {
        out[key] = this.translate(value);
      }
    }
    if (node.nullable === true) return nullable(out);
    return out;
  }

  private refTo(ref: string): string {
    if (!ref.startsWith(SCHEMA_REF)) throw new Error(`unsupported $ref ${ref}`);
    const name = ref.slice(SCHEMA_REF.length);
    if (!(name in this.definitions)) {
      const target = this.doc.components.schemas[name];
      if (!target) throw new Error(`unknown schema ${name}`);
      this.definitions[name] = true; // placeholder: breaks recursion
      this.definitions[name] = this.translate(target);
    }
    return `#/definitions/${name}`;
  }
}

function nullable(schema: JsonObject): JsonObject {
  const type = schema.type;
  if (typeof type === 'string') {
    const out: JsonObject = { ...schema, type: [type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema = { ...schema, enum: [...schema.enum, null] };
  return { anyOf: [{ type: 'null' }, schema] };
}

function compile(schema: Json): ValidateFunction {
  const translator = new SchemaTranslator(loadGitHubOpenApi());
  const root = translator.translate(schema);
  const full: JsonObject =
    root && typeof root === 'object' && !Array.isArray(root)
      ? { ...root, definitions: translator.definitions }
      : { allOf: [root], definitions: translator.definitions };
  return ajv().compile(full);
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Routing

interface RouteEntry extends OperationInfo {
  regex: RegExp;
  paramNames: string[];
  literalSegments: number;
  multiSegment: number;
  operation: OpenApiOperation;
  parameters: OpenApiParameter[];
}

let routesCache: RouteEntry[] | undefined;

function resolveParameter(doc: OpenApiDocument, param: JsonObject): OpenApiParameter {
  const ref = param.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/parameters/', '');
    const target = doc.components.parameters[name];
    if (!target) throw new Error(`unknown parameter ${ref}`);
    return target as unknown as OpenApiParameter;
  }
  return param as unknown as OpenApiParameter;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function routes(): RouteEntry[] {
  if (routesCache) return routesCache;
  const doc = loadGitHubOpenApi();
  const entries: RouteEntry[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolveParameter(doc, p));
      const paramNames: string[] = [];
      let multiSegment = 0;
      let pattern = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (!m) return escapeRegex(part);
          const name = m[1] ?? '';
          paramNames.push(name);
          const def = parameters.find((p) => p.in === 'path' && p.name === name);
          if (def?.['x-multi-segment']) {
            multiSegment++;
            return name === 'path' ? '(.*)' : '(.+)';
          }
          return '([^/]+)';
        })
        .join('');
      // A trailing multi-segment parameter may be empty, slash included: `/contents` lists the root like `/contents/`.
      if (template.endsWith('/{path}') && pattern.endsWith('/(.*)')) pattern = `${pattern.slice(0, -'/(.*)'.length)}(?:/(.*))?`;
      const literalSegments = template.split('/').filter((s) => s !== '' && !s.includes('{')).length;
      entries.push({
        operationId: operation.operationId,
        method,
        template,
        docsUrl: operation.externalDocs?.url ?? 'https://docs.github.com/rest',
        regex: new RegExp(`^${pattern}$`),
        paramNames,
        literalSegments,
        multiSegment,
        operation,
        parameters,
      });
    }
  }
  // Most specific first: more literal segments, then fewer multi-segment parameters.
  entries.sort((a, b) => b.literalSegments - a.literalSegments || a.multiSegment - b.multiSegment);
  routesCache = entries;
  return entries;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function findRoute(method: string, path: string): { route: RouteEntry; params: Record<string, string> } | { pathKnown: boolean } {
  const m = method.toLowerCase();
  let pathKnown = false;
  for (const route of routes()) {
    const match = route.regex.exec(path);
    if (!match) continue;
    pathKnown = true;
    if (route.method !== m) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => (params[name] = safeDecode(match[i + 1] ?? '')));
    return { route, params };
  }
  return { pathKnown };
}

/** The operation a request addresses, or undefined when api.github.com has no such route. */
export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  const found = findRoute(method, path);
  if (!('route' in found)) return undefined;
  const { route, params } = found;
  return { operationId: route.operationId, method: route.method, template: route.template, docsUrl: route.docsUrl, params };
}

/** Looks an operation up by its id (`pulls/create-review`). */
export function getOperation(operationId: string): OperationInfo | undefined {
  const route = routes().find((r) => r.operationId === operationId);
  return route ? { operationId: route.operationId, method: route.method, template: route.template, docsUrl: route.docsUrl } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Requests

const validatorCache = new Map<string, ValidateFunction>();

function cachedValidator(key: string, schema: () => Json): ValidateFunction {
  let validator = validatorCache.get(key);
  if (!validator) {
    validator = compile(schema());
    validatorCache.set(key, validator);
  }
  return validator;
}

function formatErrors(where: string, errors: readonly ErrorObject[] | null | undefined, data: unknown): string[] {
  if (!errors) return [];
  const out: string[] = [];
  for (const error of errors) {
    // anyOf/oneOf summaries repeat what their branches said.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      out.push(`${where}${error.instancePath} ${error.message ?? 'is invalid'} (no alternative of the schema matched)`);
      continue;
    }
    let detail = '';
    if (error.keyword === 'enum') detail = `: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`;
    if (error.keyword === 'additionalProperties')
      detail = `: ${JSON.stringify((error.params as { additionalProperty?: unknown }).additionalProperty)}`;
    const value = valueAt(data, error.instancePath);
    const got = error.keyword === 'required' || value === undefined ? '' : ` (got ${preview(value)})`;
    out.push(`${where}${error.instancePath} ${error.message ?? 'is invalid'}${detail}${got}`);
  }
  return [...new Set(out)];
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let current: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function schemaType(schema: JsonObject | undefined): string | undefined {
  const type = schema?.type;
  return typeof type === 'string' ? type : undefined;
}

/** Converts a path/query string to the type its schema asks for; returns the string itself when it cannot. */
function coerce(raw: string, schema: JsonObject | undefined): unknown {
  const type = schemaType(schema);
  if (type === 'integer' || type === 'number') {
    if (raw.trim() !== '' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
    return raw;
  }
  if (type === 'boolean') {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    return raw;
  }
  if (type === 'array') {
    const items = schema?.items;
    const itemSchema = items && typeof items === 'object' && !Array.isArray(items) ? (items) : undefined;
    return raw.split(',').map((part) => coerce(part, itemSchema));
  }
  return raw;
}

function queryEntries(query: RequestToValidate['query']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!query) return out;
  if (query instanceof URLSearchParams) {
    for (const [key, value] of query) out.set(key, [...(out.get(key) ?? []), value]);
    return out;
  }
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    out.set(key, typeof value === 'string' ? [value] : [...value]);
  }
  return out;
}

function jsonRequestSchema(operation: OpenApiOperation): { schema: Json; required: boolean } | undefined {
  const body = operation.requestBody as { content?: Record<string, { schema?: Json }>; required?: boolean } | undefined;
  if (!body?.content) return undefined;
  const media = body.content['application/json'] ?? Object.values(body.content)[0];
  if (!media?.schema) return undefined;
  return { schema: media.schema, required: body.required === true };
}

/**
 * Validates a request against its operation: the route must exist, path and query parameters must have their schema types and enums,
 * and the JSON body must match the request body schema. Unknown query parameters are ignored, as GitHub does.
 */
export function validateRequest(request: RequestToValidate): RequestValidation {
  const method = request.method.toUpperCase();
  const found = findRoute(method, request.path);
  if (!('route' in found)) {
    return {
      operation: undefined,
      params: {},
      errors: [
        found.pathKnown
          ? `${method} is not an operation of ${request.path} in GitHub's REST API`
          : `${method} ${request.path} is not a route of GitHub's REST API`,
      ],
    };
  }
  const { route, params: rawParams } = found;
  const operation: MatchedOperation = {
    operationId: route.operationId,
    method: route.method,
    template: route.template,
    docsUrl: route.docsUrl,
    params: rawParams,
  };
  const errors: string[] = [];
  const params: Record<string, unknown> = {};
  const query = queryEntries(request.query);

  for (const param of route.parameters) {
    if (param.in !== 'path' && param.in !== 'query') continue;
    const values = param.in === 'path' ? (rawParams[param.name] !== undefined ? [rawParams[param.name]!] : []) : query.get(param.name);
    if (!values || values.length === 0) {
      if (param.required) errors.push(`${param.in} parameter "${param.name}" is required`);
      continue;
    }
    const value = coerce(values[values.length - 1] ?? '', param.schema);
    params[param.name] = value;
    if (!param.schema) continue;
    const validate = cachedValidator(`param ${route.operationId} ${param.in} ${param.name}`, () => param.schema as Json);
    if (!validate(value)) errors.push(...formatErrors(`${param.in} parameter "${param.name}"`, validate.errors, value));
  }

  const body = jsonRequestSchema(route.operation);
  if (body) {
    if (request.body === undefined) {
      if (body.required) errors.push('a JSON request body is required');
    } else {
      const validate = cachedValidator(`body ${route.operationId}`, () => body.schema);
      if (!validate(request.body)) errors.push(...formatErrors('body', validate.errors, request.body));
    }
  }
  return { operation, params, errors };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Responses

function responseSchema(operation: OpenApiOperation, status: number, mediaType: string): { schema: Json | undefined; declared: boolean } {
  const doc = loadGitHubOpenApi();
  const responses = operation.responses ?? {};
  let response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!response) return { schema: undefined, declared: false };
  const ref = response.$ref;
  if (typeof ref === 'string') response = doc.components.responses[ref.replace('#/components/responses/', '')] ?? {};
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  if (!content) return { schema: undefined, declared: true };
  const media = content[mediaType] ?? content['application/json'] ?? Object.values(content)[0];
  return { schema: media?.schema, declared: true };
}

/**
 * Validates a response body against the schema GitHub documents for that operation and status (and media type, default
 * `application/json`). Returns readable errors (empty when valid). A status the operation does not document is an error too.
 */
export function validateResponse(method: string, path: string, status: number, body: unknown, mediaType = 'application/json'): string[] {
  const found = findRoute(method, path);
  if (!('route' in found)) return [`${method.toUpperCase()} ${path} is not a route of GitHub's REST API`];
  const { route } = found;
  const { schema, declared } = responseSchema(route.operation, status, mediaType);
  if (!declared) return [`${route.operationId} does not document a ${status} response`];
  if (schema === undefined) {
    return body === undefined || body === '' ? [] : [`${route.operationId} documents no body for ${status}, got one`];
  }
  const validate = cachedValidator(`response ${route.operationId} ${status} ${mediaType}`, () => schema);
  return validate(body) ? [] : formatErrors(`response ${status}`, validate.errors, body);
}

/** Validates a value against a named component schema (`pull-request-review-comment`...). */
export function validateSchema(schemaName: string, value: unknown): string[] {
  const validate = cachedValidator(`schema ${schemaName}`, () => ({ $ref: `${SCHEMA_REF}${schemaName}` }));
  return validate(value) ? [] : formatErrors(schemaName, validate.errors, value);
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Completing objects

function resolveSchema(schema: Json | undefined): JsonObject | undefined {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string') return resolveSchema(loadGitHubOpenApi().components.schemas[ref.slice(SCHEMA_REF.length)]);
  return schema;
}

/** Object schema view of a schema: its properties and required names, merging allOf and taking the first oneOf/anyOf branch. */
function objectView(schema: JsonObject): { properties: Record<string, Json>; required: string[] } {
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  const visit = (node: JsonObject | undefined): void => {
    if (!node) return;
    const props = node.properties;
    if (props && typeof props === 'object' && !Array.isArray(props)) Object.assign(properties, props);
    if (Array.isArray(node.required)) required.push(...node.required.filter((r): r is string => typeof r === 'string'));
    if (Array.isArray(node.allOf)) for (const part of node.allOf) visit(resolveSchema(part));
    const alternatives = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : undefined;
    const first = alternatives?.[0];
    if (first !== undefined) visit(resolveSchema(first));
  };
  visit(schema);
  return { properties, required: [...new Set(required)] };
}

function sampleValue(schemaJson: Json | undefined, name: string, depth: number): Json {
  const schema = resolveSchema(schemaJson);
  if (!schema) return null;
  if (schema.nullable === true) return null;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] ?? null;
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  let type = schemaType(schema);
  if (!type && (alternatives || schema.allOf || schema.properties)) type = 'object';
  const firstAlternative = alternatives?.[0];
  if (firstAlternative !== undefined && !schema.properties) return sampleValue(firstAlternative, name, depth);
  switch (type) {
    case 'string':
      switch (schema.format) {
        case 'date-time':
          return '2024-01-01T00:00:00Z';
        case 'date':
          return '2024-01-01';
        case 'email':
          return 'noreply@github.com';
        case 'uri':
          return `https://github.com/simulator/${encodeURIComponent(name)}`;
        default:
          return '';
      }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return depth > 8 ? {} : completeObject(schema, {}, depth + 1);
    default:
      return null;
  }
}

function completeObject(schema: JsonObject, value: JsonObject, depth: number): JsonObject {
  const { properties, required } = objectView(schema);
  const out: JsonObject = { ...value };
  for (const [key, present] of Object.entries(out)) {
    const propSchema = resolveSchema(properties[key]);
    if (!propSchema || present === null) continue;
    if (Array.isArray(present)) {
      const items = resolveSchema(propSchema.items);
      if (items) out[key] = present.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? completeObject(items, item, depth + 1) : item));
    } else if (typeof present === 'object') {
      out[key] = completeObject(propSchema, present, depth + 1);
    }
  }
  for (const key of required) {
    if (key in out) continue;
    out[key] = sampleValue(properties[key], key, depth);
  }
  return out;
}

/**
 * Fills in the required fields a hand-built object lacks with neutral values of the right type (null for nullable fields), recursively,
 * so that responses carry every field GitHub's schema promises. Present fields are never changed.
 */
export function completeFromSchema<T extends object>(schemaName: string, value: T): T {
  const schema = loadGitHubOpenApi().components.schemas[schemaName];
  if (!schema) throw new Error(`unknown schema ${schemaName}`);
  return completeObject(schema, value as unknown as JsonObject, 0) as unknown as T;
}
