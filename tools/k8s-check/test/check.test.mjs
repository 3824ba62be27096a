import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { fileProblems, readText } from '../lib.mjs';

const k8s = fileURLToPath(new URL('../../../deploy/k8s/', import.meta.url));
const deployment = readText(join(k8s, 'deployment.yaml'));
const image = 'consent-gateway:0.1.0-SNAPSHOT';

test('the shipped deployment passes', async () => {
  assert.deepEqual(await fileProblems('deployment.yaml', deployment, image), []);
});

test('a schema violation is rejected: replicas as text', async () => {
  const bad = deployment.replace('replicas: 3', 'replicas: three');
  const problems = await fileProblems('deployment.yaml', bad, image);
  assert.ok(problems.some((p) => p.includes('/spec/replicas')), problems.join('\n'));
});

test('a schema violation is rejected: a container port by name', async () => {
  const bad = deployment.replace('containerPort: 8080', 'containerPort: web');
  const problems = await fileProblems('deployment.yaml', bad, image);
  assert.ok(problems.some((p) => p.includes('containerPort')), problems.join('\n'));
});

test('a missing required field is rejected: a Deployment without selector', async () => {
  const bad = deployment.replace(/  selector:\n    matchLabels: \{[^}]*\}\n/, '');
  const problems = await fileProblems('deployment.yaml', bad, image);
  assert.ok(problems.some((p) => p.includes('selector')), problems.join('\n'));
});

test('an unknown kind and broken YAML are rejected', async () => {
  assert.ok((await fileProblems('x.yaml', 'apiVersion: apps/v1\nkind: Deploymnet\n', image))[0].includes('unknown kind'));
  assert.ok((await fileProblems('x.yaml', 'kind: [unclosed\n', image))[0].includes('YAML'));
});

test('the deployment rules: another image, a writable root, no startup probe', async () => {
  const other = await fileProblems('deployment.yaml', deployment, 'consent-gateway:9.9');
  assert.ok(other.some((p) => p.includes('the build makes consent-gateway:9.9')), other.join('\n'));
  const writable = deployment.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
  assert.ok((await fileProblems('d.yaml', writable, image)).some((p) => p.includes('read-only')));
  const noStartup = deployment.replace('startupProbe:', 'x-startupProbe:').replace(/\n {10}x-startupProbe:[\s\S]*?(?=\n {10}readinessProbe)/, '');
  assert.ok((await fileProblems('d.yaml', noStartup, image)).some((p) => p.includes('no startupProbe')));
});
