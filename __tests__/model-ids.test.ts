/**
 * The model ids the project names (the default `claude-model`, the price table's rows, the test fixtures) against the Anthropic
 * SDK's own deprecation list: the SDK prints a warning for a deprecated id on every `messages.create`, which is how the retired
 * `claude-sonnet-4-5` showed up in the test output. The SDK keeps that list private, so the test asks the SDK itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { DEFAULTS } from '../src/config/load.js';
import { INPUT } from '../src/config/inputs.js';
import { PRICE_TABLE } from '../src/models/prices.js';

/** Rows kept for what older runs were billed, although the SDK flags their model as deprecated. A new deprecation must be added here on purpose. */
const RETIRED_BUT_PRICED = new Set(['claude-sonnet-4-5']);

async function sdkDeprecationWarning(model: string): Promise<string | undefined> {
  const answer = { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
  const client = new Anthropic({
    apiKey: 'test-key',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } })),
  });
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    await client.messages.create({ model, max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] });
  } finally {
    console.warn = original;
  }
  return warnings.find((w) => /deprecated/i.test(w));
}

/** `opus-4.5` → `claude-opus-4-5`; `mythos-preview` → `claude-mythos-preview`. */
function modelIdOfRow(key: string): string {
  return `claude-${key.replace('.', '-')}`;
}

test('the check itself: the SDK flags a model it lists as deprecated', async () => {
  assert.ok(await sdkDeprecationWarning('claude-sonnet-4-5'), 'the SDK no longer warns for claude-sonnet-4-5: update RETIRED_BUT_PRICED');
});

test('the default claude-model is not deprecated', async () => {
  const model = DEFAULTS[INPUT.claudeModel];
  assert.equal(await sdkDeprecationWarning(model), undefined, model);
});

test('the price table names no deprecated model, except the retired rows kept on purpose', async () => {
  for (const key of Object.keys(PRICE_TABLE).filter((k) => /^[a-z]+-(\d|preview)/.test(k))) {
    const id = modelIdOfRow(key);
    const warning = await sdkDeprecationWarning(id);
    if (RETIRED_BUT_PRICED.has(id)) continue;
    assert.equal(warning, undefined, `${key} (${id})`);
  }
});
