import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProductSource, ProductSpec } from '../../src/model/product.ts';
import type { Config } from '../../src/model/target.ts';
import { checkDuplicateNames, checkSecretLiterals, checkUnknownTargets, detectSecret } from '../../src/validate/rules.ts';

function source(file: string, spec: ProductSpec): ProductSource {
  return { spec, file, absolutePath: `/p/${file}`, locate: (path) => ({ file, line: path.length + 1, column: 3 }) };
}

const config: Config = {
  file: 'apiproducts.yaml',
  prune: false,
  concurrency: 8,
  targets: [
    { name: 'api7-prod', provider: 'api7', sandbox: false, insecure: false, ignore: [], settings: {}, source: { file: 'apiproducts.yaml', line: 2, column: 3 } },
    { name: 'sandbox-api7', provider: 'api7', sandbox: true, insecure: false, ignore: [], settings: {}, source: { file: 'apiproducts.yaml', line: 5, column: 3 } },
  ],
};

test('duplicate names: one diagnostic at each definition, each naming the other', () => {
  const diagnostics = checkDuplicateNames([
    source('products/a.yaml', { name: 'pay', targets: {} }),
    source('products/b.yaml', { name: 'other', targets: {} }),
    source('products/c.yaml', { name: 'pay', targets: {} }),
  ]);
  assert.equal(
    diagnostics.map((d) => `${d.source?.file} ${d.message}`),
    ['products/a.yaml product "pay" is also defined at products/c.yaml:2:3', 'products/c.yaml product "pay" is also defined at products/a.yaml:2:3'],
  );
});

test('duplicate names: in the order the names first appear, every copy, however the copies interleave', () => {
  const diagnostics = checkDuplicateNames(
    ['b', 'a', 'c', 'a', 'b', 'a'].map((name, i) => source(`products/${i}.yaml`, { name, targets: {} })),
  );
  assert.equal(diagnostics.map((d) => `${d.product} ${d.source?.file}`), [
    'b products/0.yaml', 'b products/4.yaml',
    'a products/1.yaml', 'a products/3.yaml', 'a products/5.yaml',
  ]);
  assert.is(diagnostics[2]?.message, 'product "a" is also defined at products/3.yaml:2:3, products/5.yaml:2:3');
  assert.equal(checkDuplicateNames([source('products/x.yaml', { name: 'x', targets: {} })]), []);
});

test('unknown target: listed known targets, and a suggestion when close', () => {
  const [near, far] = checkUnknownTargets([source('p.yaml', { name: 'p', targets: { 'api7-prd': {}, staging: {}, 'api7-prod': {} } })], config);
  assert.is(near?.fix, 'did you mean "api7-prod"? (known targets: api7-prod, sandbox-api7)');
  assert.is(far?.message, 'target "staging" is not defined in apiproducts.yaml');
  assert.is(far?.fix, 'use a target defined in apiproducts.yaml or add it there (known targets: api7-prod, sandbox-api7)');
  assert.is(far?.target, 'staging');
});

const secrets: Record<string, string> = {
  'a7ee-0123456789abcdef0123': 'an API7 token (a7ee-…)',
  'token: a7adm-ABCDEFGHIJKLMNOPQRS': 'an API7 admin token (a7adm-…)',
  'a7prt-0123456789abcdefXYZ': 'an API7 portal token (a7prt-…)',
  'Authorization: Bearer 3f7a9c2e1b8d4f6a0e5c7b9d2a4f6e8c': 'a bearer token (Bearer …)',
  'Basic dXNlcjpwYXNzd29yZA==': 'HTTP basic credentials (Basic …)',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig': 'a JSON Web Token (eyJ…)',
  ghp_abcdefghijklmnopqrstuvwxyz0123456789: 'a GitHub token (ghp_…)',
  github_pat_11ABCDEFG0123456789_abcdefghijklmnop: 'a GitHub token (ghp_…)',
  AKIAIOSFODNN7EXAMPLE: 'an AWS access key id (AKIA…)',
  'ya29.a0AfH6SMBabcdefghijklmnopqrstu': 'a Google OAuth access token (ya29.…)',
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n': 'a private key (-----BEGIN … PRIVATE KEY-----)',
  'https://admin:s3cret@api7.example.com': 'a URL with an embedded password (https://user:…@host)',
  'key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here': 'a high-entropy string (an API key or token?)',
  '3f786850e387550fdab836ed7e6dc881': 'a high-entropy string (an API key or token?)',
};

test('secret shapes are recognised', () => {
  for (const [text, label] of Object.entries(secrets)) assert.is(detectSecret(text), label, text);
});

const benign = [
  'Accept card payments and issue refunds.\n\nRequests are idempotent when sent with an `Idempotency-Key` header.',
  'Supports Bearer authentication and Basic authentication.',
  'Basic auth',
  'https://api.weather-partner.example.com/v2',
  '/v1/organizations/acme/apiproducts/payments-gold',
  './specs/weather.yaml',
  '123e4567-e89b-12d3-a456-426614174000',
  'payments-gold-production-europe-west1-extra-long-name',
  'PaymentsServiceImplementationVersionTwoFactory',
  'ThisIsAVeryLongCamelCaseIdentifierName2024',
  'image@sha256:3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed',
  'https://user@host.example.com/path',
  'a7ee-short',
  'API7_TOKEN',
  'corp-idp',
  '/charges/**',
];

test('no false positives on ordinary product text', () => {
  for (const text of benign) assert.is(detectSecret(text), undefined, text);
});

test('every string field is scanned, the value never echoed, env-name fields get their own advice', () => {
  const value = { name: 'p', labels: { ci: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }, targets: { t: { tokenEnv: 'a7ee-0123456789abcdef0123' } }, list: ['x', 'AKIAIOSFODNN7EXAMPLE'] };
  const diagnostics = checkSecretLiterals(value, (path) => ({ file: 'f.yaml', line: path.length, column: 1 }));
  assert.equal(
    diagnostics.map((d) => d.message),
    [
      'labels.ci contains what looks like a GitHub token (ghp_…); credentials must come from an environment variable named by tokenEnv',
      'targets.t.tokenEnv contains what looks like an API7 token (a7ee-…); tokenEnv must hold the NAME of an environment variable, not the credential',
      'list[1] contains what looks like an AWS access key id (AKIA…); credentials must come from an environment variable named by tokenEnv',
    ],
  );
  const text = JSON.stringify(diagnostics);
  for (const secret of ['abcdefghijklmnop', '0123456789abcdef', 'IOSFODNN7']) assert.not.ok(text.includes(secret), secret);
});

test.run();
