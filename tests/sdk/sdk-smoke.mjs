// End-to-end smoke test: the published AgentSphere JS SDK (agentsphere-js, unmodified)
// against the gateway's control-plane API at https://api.${AGENTSPHERE_DOMAIN}.
//
// Env:
//   AGENTSPHERE_API_KEY      (required) key the gateway accepts (sent as X-API-KEY)
//   AGENTSPHERE_DOMAIN       (required) e.g. "agentsphere.test:8443"
//   AGENTSPHERE_BAD_API_KEY  (optional) when set, also check that a bad key is rejected with 401.
//                            Non-empty: sent as X-API-KEY. Empty: no X-API-KEY header at all.
//   AGENTSPHERE_TEMPLATE     (optional) template to create; default: the SDK's default template
//   AGENTSPHERE_SMOKE_TIMEOUT_MS (optional) global bound for the whole run, default 60000
//
// Output: one JSON line per step ({"step":...,"ok":true|false,...}), then
// "SDK smoke: N passed, M failed". Exit code 0 on success, 1 on any failure.

import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import dns from 'node:dns';
import { Sandbox, SandboxError } from 'agentsphere-js';

const require = createRequire(import.meta.url);
const sdkVersion = require('agentsphere-js/package.json').version;

const GLOBAL_TIMEOUT_MS = Number(process.env.AGENTSPHERE_SMOKE_TIMEOUT_MS || 60_000);
const REQUEST_TIMEOUT_MS = 30_000; // per SDK request (the SDK default); create can take ~15-18 s at latency scale 1
const CREATE_TIMEOUT_MS = 60_000;
const EXTENDED_TIMEOUT_MS = 120_000;

let passed = 0;
let failed = 0;
let currentStep = 'startup';
let sandboxId; // SDK form: `${sandboxID}-${clientID}`
let killed = false;

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function describeError(err, depth = 0) {
  if (err === null || typeof err !== 'object') return { message: String(err) };
  const out = { name: err.name, message: err.message };
  if (err.code !== undefined) out.code = err.code;
  if (err.cause !== undefined && depth < 4) out.cause = describeError(err.cause, depth + 1);
  return out;
}

function finish(code) {
  process.stdout.write(`SDK smoke: ${passed} passed, ${failed} failed\n`);
  process.exit(code);
}

function check(condition, message, details) {
  if (!condition) {
    const err = new Error(details === undefined ? message : `${message}: ${JSON.stringify(details)}`);
    err.name = 'AssertionError';
    throw err;
  }
}

async function step(name, fn) {
  currentStep = name;
  const started = Date.now();
  const details = (await fn()) ?? {};
  passed++;
  emit({ step: name, ok: true, ms: Date.now() - started, ...details });
}

function skip(name, reason) {
  emit({ step: name, skipped: true, reason });
}

async function expectRejection(promise) {
  try {
    const value = await promise;
    return { rejected: false, value };
  } catch (error) {
    return { rejected: true, error };
  }
}

const iso = (d) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : String(d));
const isValidDate = (d) => d instanceof Date && !Number.isNaN(d.getTime());

let connForCleanup;

// Kill the sandbox this run created if a step failed before the 'kill' step (bounded).
async function bestEffortCleanup(boundMs = 5_000) {
  if (!sandboxId || killed || !connForCleanup) return;
  killed = true; // at most one attempt
  try {
    const result = await Promise.race([
      Sandbox.kill(sandboxId, { ...connForCleanup, requestTimeoutMs: boundMs }),
      new Promise((resolve) => setTimeout(() => resolve('cleanup timed out'), boundMs + 500)),
    ]);
    emit({ step: 'cleanup', sandboxId, result });
  } catch (err) {
    emit({ step: 'cleanup', sandboxId, error: describeError(err) });
  }
}

async function main() {
  const apiKey = process.env.AGENTSPHERE_API_KEY;
  const domain = process.env.AGENTSPHERE_DOMAIN;
  if (!apiKey || !domain) {
    throw new Error('AGENTSPHERE_API_KEY and AGENTSPHERE_DOMAIN must be set');
  }
  if ((process.env.AGENTSPHERE_DEBUG || '').toLowerCase() === 'true') {
    throw new Error('AGENTSPHERE_DEBUG=true makes the SDK talk to http://localhost:3000; unset it');
  }

  const conn = { apiKey, domain, requestTimeoutMs: REQUEST_TIMEOUT_MS };
  connForCleanup = conn;
  const template = process.env.AGENTSPHERE_TEMPLATE || Sandbox.defaultTemplate;
  const userId = `sdk-smoke-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const metadata = { userId, suite: 'sdk' };
  const filter = { metadata: { userId } };
  const apiUrl = `https://api.${domain}`;
  let sandbox;
  let firstInfo;

  const templateMatches = (templateId, alias) => templateId === template || alias === template;

  try {
    await step('resolve', async () => {
      const host = new URL(apiUrl).hostname;
      const addrs = await dns.promises.lookup(host, { all: true });
      check(addrs.length > 0, `no address for ${host}`);
      return { apiUrl, host, addresses: addrs.map((a) => a.address), sdkVersion, node: process.version, userId, template };
    });

    await step('create', async () => {
      sandbox = await Sandbox.create({ ...conn, metadata, timeoutMs: CREATE_TIMEOUT_MS });
      sandboxId = sandbox.sandboxId;
      check(typeof sandboxId === 'string' && /^[^-\s]+-[^\s]+$/.test(sandboxId),
        'sandboxId is not of the SDK form <sandboxID>-<clientID>', sandboxId);
      return { sandboxId };
    });

    await step('list', async () => {
      const list = await Sandbox.list({ ...conn, query: filter });
      check(Array.isArray(list), 'list did not return an array', list);
      const ids = list.map((s) => s.sandboxId);
      check(list.length === 1 && ids[0] === sandboxId, 'expected exactly the new sandbox', { expected: sandboxId, got: ids });
      const [s] = list;
      check(s.metadata && s.metadata.userId === userId && s.metadata.suite === 'sdk', 'listed metadata mismatch', s.metadata);
      check(templateMatches(s.templateId, s.alias), `listed template is not "${template}"`, { templateId: s.templateId, alias: s.alias });
      check(isValidDate(s.startedAt) && isValidDate(s.endAt), 'listed startedAt/endAt are not valid dates');
      return { count: list.length, sandboxId: s.sandboxId, templateId: s.templateId, state: s.state };
    });

    await step('getInfo', async () => {
      const info = await sandbox.getInfo();
      firstInfo = info;
      check(info.sandboxId === sandboxId, 'getInfo returned another sandbox', { expected: sandboxId, got: info.sandboxId });
      check(info.metadata && info.metadata.userId === userId && info.metadata.suite === 'sdk', 'metadata mismatch', info.metadata);
      check(templateMatches(info.templateId, info.name), `template is not "${template}"`, { templateId: info.templateId, name: info.name });
      check(isValidDate(info.startedAt) && isValidDate(info.endAt), 'startedAt/endAt are not valid dates',
        { startedAt: iso(info.startedAt), endAt: iso(info.endAt) });
      const ttlSeconds = (info.endAt - info.startedAt) / 1000;
      check(Math.abs(ttlSeconds - CREATE_TIMEOUT_MS / 1000) <= 5,
        `endAt - startedAt should be ~${CREATE_TIMEOUT_MS / 1000}s`, { ttlSeconds });
      return {
        templateId: info.templateId, metadata: info.metadata, envdVersion: info.envdVersion,
        startedAt: iso(info.startedAt), endAt: iso(info.endAt), ttlSeconds,
      };
    });

    let setTimeoutCalledAt;
    let setTimeoutReturnedAt;
    await step('setTimeout', async () => {
      setTimeoutCalledAt = Date.now();
      const result = await sandbox.setTimeout(EXTENDED_TIMEOUT_MS);
      setTimeoutReturnedAt = Date.now();
      return { timeoutMs: EXTENDED_TIMEOUT_MS, result: result ?? null };
    });

    await step('getInfo-after-setTimeout', async () => {
      const info = await sandbox.getInfo();
      check(isValidDate(info.endAt), 'endAt is not a valid date', iso(info.endAt));
      check(info.endAt.getTime() > firstInfo.endAt.getTime(), 'endAt did not move later',
        { before: iso(firstInfo.endAt), after: iso(info.endAt) });
      const lo = setTimeoutCalledAt + EXTENDED_TIMEOUT_MS - 10_000;
      const hi = setTimeoutReturnedAt + EXTENDED_TIMEOUT_MS + 10_000;
      check(info.endAt.getTime() >= lo && info.endAt.getTime() <= hi,
        `endAt should be ~${EXTENDED_TIMEOUT_MS / 1000}s after setTimeout`,
        { endAt: iso(info.endAt), expectedBetween: [iso(new Date(lo)), iso(new Date(hi))] });
      return {
        endAtBefore: iso(firstInfo.endAt), endAt: iso(info.endAt),
        movedBySeconds: (info.endAt - firstInfo.endAt) / 1000,
      };
    });

    // Note: the instance method sandbox.kill() discards the result (resolves undefined),
    // so the true/false contract is checked through the static Sandbox.kill(id, opts).
    await step('kill', async () => {
      const result = await Sandbox.kill(sandboxId, conn);
      check(result === true, 'Sandbox.kill should return true for a live sandbox', result);
      killed = true;
      return { sandboxId, result };
    });

    await step('kill-again', async () => {
      const result = await Sandbox.kill(sandboxId, conn);
      check(result === false, 'second Sandbox.kill should return false (404)', result);
      return { sandboxId, result };
    });

    await step('instance-kill-after-kill', async () => {
      const result = await sandbox.kill();
      check(result === undefined, 'sandbox.kill() should resolve undefined', result);
      return { result: null };
    });

    await step('getInfo-after-kill', async () => {
      const r = await expectRejection(Sandbox.getInfo(sandboxId, conn));
      check(r.rejected, 'getInfo of a killed sandbox should fail', r.value);
      check(r.error instanceof SandboxError && /^404\b/.test(r.error.message),
        'expected a 404-derived SandboxError', describeError(r.error));
      return { error: describeError(r.error) };
    });

    await step('list-after-kill', async () => {
      const list = await Sandbox.list({ ...conn, query: filter });
      check(Array.isArray(list) && list.length === 0, 'expected no sandboxes for this userId',
        Array.isArray(list) ? list.map((s) => s.sandboxId) : list);
      return { count: list.length };
    });

    const badKey = process.env.AGENTSPHERE_BAD_API_KEY;
    if (badKey === undefined) {
      skip('reject-bad-api-key', 'AGENTSPHERE_BAD_API_KEY not set');
    } else {
      await step('reject-bad-api-key', async () => {
        // ConnectionConfig uses `opts.apiKey || env AGENTSPHERE_API_KEY`, so an empty key
        // would silently fall back to the good one: hide the env var to send no key at all.
        const savedEnvKey = process.env.AGENTSPHERE_API_KEY;
        let r;
        try {
          if (badKey === '') delete process.env.AGENTSPHERE_API_KEY;
          r = await expectRejection(Sandbox.list({ ...conn, apiKey: badKey || undefined, query: filter }));
        } finally {
          process.env.AGENTSPHERE_API_KEY = savedEnvKey;
        }
        check(r.rejected, 'a call with a bad API key was not rejected', r.value);
        check(r.error instanceof SandboxError && /^401\b/.test(r.error.message),
          'expected a 401-derived SandboxError', describeError(r.error));
        return { mode: badKey === '' ? 'no X-API-KEY header' : 'unknown key', error: describeError(r.error) };
      });
    }
  } catch (err) {
    clearTimeout(globalTimer);
    failed++;
    emit({ step: currentStep, ok: false, error: describeError(err) });
    if (err && err.stack) process.stderr.write(err.stack + '\n');
    await bestEffortCleanup();
    finish(1);
  }
  finish(0);
}

const globalTimer = setTimeout(async () => {
  failed++;
  emit({ step: currentStep, ok: false, error: { name: 'GlobalTimeout', message: `run exceeded ${GLOBAL_TIMEOUT_MS} ms` } });
  await bestEffortCleanup(3_000);
  finish(1);
}, GLOBAL_TIMEOUT_MS);

main().catch((err) => {
  clearTimeout(globalTimer);
  failed++;
  emit({ step: currentStep, ok: false, error: describeError(err) });
  finish(1);
});
