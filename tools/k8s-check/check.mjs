// Usage: node check.mjs DIR [--image NAME:TAG]   Checks every file DIR/kustomization.yaml lists (and that each
// YAML file of DIR is listed); exits 1 naming each problem. Run by Maven in the verify phase.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fileProblems, readText } from './lib.mjs';

const args = process.argv.slice(2);
const dir = args[0];
const imageAt = args.indexOf('--image');
const image = imageAt >= 0 ? args[imageAt + 1] : undefined;
if (!dir) {
  console.error('usage: node check.mjs DIR [--image NAME:TAG]');
  process.exit(2);
}

const listed = parse(readText(join(dir, 'kustomization.yaml'))).resources ?? [];
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml').sort();
const problems = [];
for (const f of files) if (!listed.includes(f)) problems.push(`${f}: not listed in kustomization.yaml`);
let count = 0;
for (const f of listed) {
  problems.push(...await fileProblems(f, readText(join(dir, f)), image));
  count++;
}
if (problems.length) {
  console.error(`k8s-check: ${problems.length} problem(s) in ${dir}:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`k8s-check: ${count} manifests in ${dir} valid${image ? ` (image ${image})` : ''}`);
