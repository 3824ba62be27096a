// Runs `npm ci` in the current folder only when node_modules does not match package.json and package-lock.json,
// so that a second build needs no network. First checks this Node.js against package.json's `engines`.
// Usage (from the folder holding package.json): node ../tools/npm-ci.mjs   (each front-end build runs it first)
// Plain syntax on purpose: an old Node must get as far as the version message.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const dir = process.cwd();
const pkgText = readFileSync(join(dir, 'package.json'), 'utf8');
const lockText = readFileSync(join(dir, 'package-lock.json'), 'utf8');
const pkg = JSON.parse(pkgText);
const name = pkg.name;

const wanted = (pkg.engines || {}).node || '';
const minimum = /^>=\s*(\d+)$/.exec(wanted.trim());
if (!minimum) {
  console.error(`${name}: package.json's engines.node must read ">=N" (found "${wanted}")`);
  process.exit(1);
}
const major = Number(process.versions.node.split('.')[0]);
if (major < Number(minimum[1])) {
  console.error(`${name}: Node.js ${process.versions.node} is too old: this needs Node.js ${wanted} `
    + '(Debian 12: apt-get install nodejs npm gives 18)');
  process.exit(1);
}

// node_modules holds a platform-specific esbuild binary: a copy from another platform must be reinstalled
const wantStamp = createHash('sha256').update(pkgText).update('\0').update(lockText).digest('hex')
  + ` ${process.platform}-${process.arch}\n`;
const stampFile = join(dir, 'node_modules', '.consent-gateway-npm-ci');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wantStamp) {
  console.log(`${name}: node_modules matches package-lock.json: npm ci skipped`);
  process.exit(0);
}

const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
if (npm.error) {
  console.error(`${name}: cannot run npm (${npm.error.code}): install it with Node.js (Debian: apt-get install npm)`);
  process.exit(1);
}
if (npm.status !== 0) {
  console.error(`${name}: npm ci failed (exit ${npm.status}); the registry must be reachable for a first build`);
  process.exit(1);
}
// written last: an interrupted npm ci leaves no stamp, so the next build runs it again
writeFileSync(stampFile, wantStamp);
