'use strict';
// Test-only DNS override, loaded with `node --require ./dns-preload.cjs ...`.
//
// Every hostname equal to, or ending in ".<suffix>", where <suffix> is the value of
// AGENTSPHERE_TEST_HOST_SUFFIX (e.g. "agentsphere.test"), resolves to 127.0.0.1 (IPv4).
// All other names go to the real resolver. Without the env var this file does nothing.
//
// Node's global fetch (undici) connects through net/tls.connect, which calls
// require('dns').lookup at connect time (with { all: true } when autoSelectFamily is
// on, the Node 20 default), so patching the module's properties here is enough. The
// promise forms (dns.promises.lookup, require('dns/promises').lookup) and
// util.promisify(dns.lookup) are patched as well for other callers.

const dns = require('node:dns');
const util = require('node:util');

const ADDRESS = '127.0.0.1';
const FAMILY = 4;

const suffix = (process.env.AGENTSPHERE_TEST_HOST_SUFFIX || '')
  .trim()
  .toLowerCase()
  .replace(/^\.+/, '')
  .replace(/\.+$/, '');

function matches(hostname) {
  if (!suffix || typeof hostname !== 'string') return false;
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  return host === suffix || host.endsWith('.' + suffix);
}

function wantsAll(options) {
  return options !== null && typeof options === 'object' && options.all === true;
}

function answer(options) {
  return wantsAll(options) ? [{ address: ADDRESS, family: FAMILY }] : { address: ADDRESS, family: FAMILY };
}

if (suffix && !dns.lookup.__agentsphereTestPatched) {
  const realLookup = dns.lookup;
  const realPromisesLookup = dns.promises.lookup;

  // dns.lookup(hostname[, options], callback); options may be an object or a family number.
  function lookup(hostname, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (!matches(hostname)) {
      return options === undefined
        ? realLookup.call(dns, hostname, callback)
        : realLookup.call(dns, hostname, options, callback);
    }
    if (typeof callback !== 'function') {
      throw new TypeError('The "callback" argument must be of type function');
    }
    process.nextTick(() => {
      if (wantsAll(options)) callback(null, [{ address: ADDRESS, family: FAMILY }]);
      else callback(null, ADDRESS, FAMILY);
    });
    return {};
  }

  // dns.promises.lookup(hostname[, options]) -> {address, family} | [{address, family}]
  async function promisesLookup(hostname, options) {
    if (!matches(hostname)) {
      return options === undefined
        ? realPromisesLookup.call(dns.promises, hostname)
        : realPromisesLookup.call(dns.promises, hostname, options);
    }
    return answer(options);
  }

  Object.defineProperty(lookup, util.promisify.custom, {
    value: promisesLookup,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(lookup, '__agentsphereTestPatched', { value: true });

  dns.lookup = lookup;
  dns.promises.lookup = promisesLookup;
  try {
    const dnsPromises = require('node:dns/promises');
    if (dnsPromises !== dns.promises) dnsPromises.lookup = promisesLookup;
  } catch {
    // dns/promises not available: nothing more to patch.
  }
}
