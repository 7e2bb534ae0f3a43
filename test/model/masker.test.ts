import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SecretMasker } from '../../src/model/masker.ts';

test('masks a secret raw, trimmed, URL-encoded, JSON-escaped, base64 and by its first 8+ characters', () => {
  const secret = 'a7ee-x/y"z+Q1w2e3r4\n';
  const masker = new SecretMasker([secret]);
  const trimmed = secret.trim();
  for (const form of [secret, trimmed, encodeURIComponent(trimmed), JSON.stringify(trimmed).slice(1, -1), Buffer.from(trimmed).toString('base64'), trimmed.slice(0, 8), trimmed.slice(0, 15)]) {
    assert.is(masker.mask(`before ${form} after`), 'before *** after', form);
  }
  assert.is(masker.mask('a7ee-x/ and 7 characters stay'), 'a7ee-x/ and 7 characters stay');
  // An inner piece is not a prefix: names that share words with a token stay readable.
  assert.is(masker.mask('y"z+Q1w2e3'), 'y"z+Q1w2e3');
});

test('a user name is masked whole, never by fragment', () => {
  const masker = new SecretMasker();
  masker.add('deploy@example.com', { fragments: false });
  assert.is(masker.mask('deploy@example.com at https://p.example.com'), '*** at https://p.example.com');
});

test.run();
