// Checks Kubernetes manifests offline: each document against the API schema of its apiVersion and kind
// (kubernetes-models, generated from the Kubernetes OpenAPI), plus the few rules the gateway's deployment relies on.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The kubernetes-models module holding apiVersion's kinds: "apps/v1" → kubernetes-models/apps/v1. */
function modelModule(apiVersion) {
  return `kubernetes-models/${apiVersion}`;
}

/** Problems of one parsed document, as strings; none when it is valid. */
export async function schemaProblems(doc) {
  if (!doc || typeof doc !== 'object' || !doc.apiVersion || !doc.kind) {
    return ['not a Kubernetes object (apiVersion and kind are required)'];
  }
  let models;
  try {
    models = await import(modelModule(doc.apiVersion));
  } catch {
    return [`unknown apiVersion ${doc.apiVersion}`];
  }
  const Model = models[doc.kind];
  if (typeof Model !== 'function' || Model.apiVersion !== doc.apiVersion) {
    return [`unknown kind ${doc.kind} in ${doc.apiVersion}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    const details = (e.errors || []).map((err) => `${err.instancePath || '/'} ${err.message}`);
    return details.length ? details : [String(e.message || e)];
  }
}

/** The deployment rules beyond the schema: what ImageIT proves of the image must also be asked of the pod. */
export function deploymentProblems(doc, image) {
  const problems = [];
  const pod = doc.spec?.template?.spec ?? {};
  for (const c of pod.containers ?? []) {
    const where = `container ${c.name}`;
    if (image && c.image !== image) problems.push(`${where}: image ${c.image}, the build makes ${image}`);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      if (!c[probe]) problems.push(`${where}: no ${probe}`);
    }
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem not read-only`);
    if (!(c.volumeMounts ?? []).some((m) => m.mountPath === '/tmp')) problems.push(`${where}: no writable /tmp`);
    if (!c.resources?.limits?.memory) problems.push(`${where}: no memory limit (the heap is sized from it)`);
  }
  if (pod.securityContext?.runAsNonRoot !== true) problems.push('pod: runAsNonRoot is not set');
  return problems;
}

/** Every problem of the YAML text of one file, each prefixed with the file and the document's kind. */
export async function fileProblems(name, text, image) {
  const problems = [];
  const docs = parseAllDocuments(text);
  for (const parsed of docs) {
    if (parsed.errors.length) {
      problems.push(...parsed.errors.map((e) => `${name}: YAML: ${e.message}`));
      continue;
    }
    const doc = parsed.toJS();
    if (doc?.kind === 'Kustomization') continue;
    const label = `${name}: ${doc?.kind ?? '?'} ${doc?.metadata?.name ?? ''}`.trim();
    for (const p of await schemaProblems(doc)) problems.push(`${label}: ${p}`);
    if (doc?.kind === 'Deployment') {
      for (const p of deploymentProblems(doc, image)) problems.push(`${label}: ${p}`);
    }
  }
  return problems;
}

export function readText(path) {
  return readFileSync(path, 'utf8');
}
