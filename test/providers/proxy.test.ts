/**
 * The route choice of transport/proxy.ts: which variable names the proxy, NO_PROXY as curl reads
 * it, loopback never proxied, and proxy settings that cannot work refused in one line that never
 * shows the proxy's credentials. The tunnels themselves: test/reliability/proxy.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHttpClient } from '../../src/providers/transport/http.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { bypasses, proxyFor } from '../../src/providers/transport/proxy.ts';

test('NO_PROXY: names match themselves and their subdomains, on a label boundary; * is every host; :port narrows', () => {
  const cases: [string, string, number, boolean][] = [
    ['example.com', 'api.example.com', 443, true],
    ['example.com', 'example.com', 443, true],
    ['.example.com', 'api.example.com', 443, true],
    ['.example.com', 'example.com', 443, true],
    ['*.example.com', 'a.b.example.com', 443, true],
    ['example.com', 'badexample.com', 443, false],
    ['EXAMPLE.com.', 'Api.Example.COM', 443, true],
    ['*', 'anything.test', 443, true],
    [' other.test , example.com ', 'api.example.com', 443, true],
    ['example.com:8443', 'api.example.com', 8443, true],
    ['example.com:8443', 'api.example.com', 443, false],
    ['10.1.2.3', '10.1.2.3', 443, true],
    ['10.1.2.3', '110.1.2.3', 443, false],
    ['2.3', '10.1.2.3', 443, false],
    ['::1', '[::1]', 443, true],
    ['[fd00::1]:443', '[fd00::1]', 443, true],
    ['', 'example.com', 443, false],
    [',,', 'example.com', 443, false],
  ];
  for (const [noProxy, host, port, expected] of cases) assert.is(bypasses(noProxy, host, port), expected, `${noProxy} / ${host}:${port}`);
});

test('the variable follows the scheme, lower case first; loopback and NO_PROXY go direct', () => {
  const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1', HTTP_PROXY: 'http://plain:1' };
  assert.equal(proxyFor(new URL('https://portal.example.com'), env), { value: 'http://lower:1', variable: 'https_proxy' });
  assert.equal(proxyFor(new URL('http://portal.example.com'), env), { value: 'http://plain:1', variable: 'HTTP_PROXY' });
  assert.is(proxyFor(new URL('https://portal.example.com'), { HTTP_PROXY: 'http://plain:1' }), undefined, 'an http proxy is not used for https');
  assert.is(proxyFor(new URL('https://portal.example.com'), { HTTPS_PROXY: '  ' }), undefined);
  for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'api.localhost', '[::1]']) {
    assert.is(proxyFor(new URL(`https://${host}:7443`), env), undefined, host);
  }
  assert.is(proxyFor(new URL('https://portal.example.com'), { ...env, no_proxy: 'example.com' }), undefined);
  assert.is(proxyFor(new URL('https://portal.example.com'), { ...env, NO_PROXY: '*' }), undefined);
  assert.ok(proxyFor(new URL('https://portal.example.com:8443'), { ...env, NO_PROXY: 'example.com:443' }));
});

async function failure(proxy: string): Promise<ProviderError> {
  const client = createHttpClient({ baseUrl: 'https://portal.example.com', headers: () => ({}), describeError: () => '', env: { HTTPS_PROXY: proxy } });
  try {
    await client.request('GET', '/x');
  } catch (error) {
    assert.instance(error, ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected the request to fail');
}

test('an unusable proxy setting is one line, naming the variable, never the credentials', async () => {
  const socks = await failure('socks5://user:SENTINEL-socks-pass@proxy.corp:1080');
  assert.is(socks.message, 'GET /x: HTTPS_PROXY names a socks5:// proxy (proxy.corp:1080); only http:// and https:// proxies are supported');
  assert.is(socks.retryable, false);
  const down = await failure('user:SENTINEL-pass@127.0.0.1:9');
  assert.is(down.message, 'GET /x: cannot reach proxy http://127.0.0.1:9 (ECONNREFUSED)');
  assert.is(down.retryable, true);
  const garbage = await failure('http://[not a host');
  assert.is(garbage.message, 'GET /x: HTTPS_PROXY is not a proxy URL (expected http://host:port)');
});

test.run();
