import { test } from 'node:test';
import assert from 'node:assert';
test('entry file exists', async () => {
  const fs = await import('node:fs');
  assert.ok(fs.existsSync(new URL('../src/index.js', import.meta.url)));
});
