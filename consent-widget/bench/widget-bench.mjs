// Widget benchmark: the gzipped size of consent.js (JS and CSS travel in one file) and the median time from
// navigation start to the banner being visible, over fresh-profile loads in headless Chromium.
// Laid out as in production: a shop page on its own origin (a plain local web server started here) embeds the
// script of a gateway on another origin, in both ways a site can: the contract's tag (consent.js + data-site,
// the config then comes from GET /v1/sites/{id}/config) and the site-specific one (consent.js?site=, the config
// inside the script). Loads alternate between the two. The site is created through the admin API.
// Usage: node widget-bench.mjs --gateway http://127.0.0.1:18090 --admin-token TOKEN [--runs 10] [--warmups 5]
//        [--bundle consent.js] [--load-before 1-min load average]
// Run through bench/run.sh, which builds and starts a gateway.
// Never downloads a browser.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const TARGET_BYTES = 8192;
const TARGET_MS = 100;
const SITE = 'widget-bench';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const gateway = (option('gateway') || '').replace(/\/+$/, '');
const adminToken = option('admin-token');
const runs = Number(option('runs', '10'));
const warmups = Number(option('warmups', '5'));
// what the machine was doing before the gateway started (run.sh passes it), else now
const loadBefore = Number(option('load-before', String(loadavg()[0])));
const bundlePath = option('bundle', fileURLToPath(new URL('../target/classes/consent-widget/consent.js', import.meta.url)));
if (!gateway || !adminToken) throw new Error('--gateway and --admin-token are required (a running gateway)');
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: bash deploy/services.sh --browser`);

// Runs in the page before any of its scripts: the first frame in which #cg-banner is in the document is
// the frame that paints it; its requestAnimationFrame callback time is taken, relative to navigation start,
// and handed to Node through a binding, so that no Playwright script runs in the page before the banner.
function watchBanner() {
  const observer = new MutationObserver(() => {
    const banner = document.getElementById('cg-banner');
    if (!banner) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      const visible = banner.checkVisibility({ visibilityProperty: true, opacityProperty: true });
      window.cgBenchBannerShown({ at: performance.now(), visible });
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function load(browser, url) {
  const context = await browser.newContext(); // a fresh profile: no cache, no cookies, no storage
  try {
    const page = await context.newPage();
    let onShown;
    const shown = new Promise((resolve) => { onShown = resolve; });
    await page.exposeBinding('cgBenchBannerShown', (source, mark) => onShown(mark));
    await page.addInitScript(watchBanner);
    await page.goto(url, { waitUntil: 'commit' });
    const mark = await Promise.race([shown, new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('no banner within 10 s')), 10_000).unref();
    })]);
    if (!mark.visible) throw new Error('the banner was in the document but not visible');
    await page.waitForSelector('#cg-banner', { state: 'visible' });
    const domContentLoaded = await page.evaluate(
      () => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd);
    return { banner: mark.at, domContentLoaded };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The shop page, as a site would serve it: nothing but HTML, no security headers of the gateway's own pages
// (a Cross-Origin-Opener-Policy alone costs a browsing-context swap of ~30 ms at navigation here).
const shopPage = (src) => `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Boutique</title>
  <script src="${src}" data-site="${SITE}" defer></script>
</head>
<body>
  <h1>Boutique</h1>
  <p>Une page de site marchand qui intègre la bannière avec une seule balise.</p>
  <p><a href="#" data-cg-open>Préférences cookies</a> · <a href="#" data-cg-preferences>Gérer mes données</a></p>
  <script type="text/plain" data-consent="statistics">document.cookie = '_stats=1; path=/';</script>
</body>
</html>`;
const pages = { '/contract': shopPage(`${gateway}/consent.js`), '/site': shopPage(`${gateway}/consent.js?site=${SITE}`) };
const shop = createServer((req, res) => {
  const body = pages[req.url];
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(body || '');
});
await new Promise((resolve) => { shop.listen(0, '127.0.0.1', resolve); });
shop.unref();
const shopOrigin = `http://127.0.0.1:${shop.address().port}`;
const embeds = { contractTag: `${shopOrigin}/contract`, siteSpecificTag: `${shopOrigin}/site` };

async function createSite() {
  const r = await fetch(`${gateway}/v1/admin/sites/${SITE}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Widget benchmark shop',
      origins: [shopOrigin],
      policy: { version: '2026-11', url: `${shopOrigin}/privacy` },
      locales: ['fr', 'en'],
      purposes: [
        { id: 'statistics', labels: { fr: "Mesure d'audience", en: 'Audience measurement' },
          descriptions: { fr: 'Compte les visites de façon anonyme.', en: 'Counts visits anonymously.' },
          cookies: ['_stats'] },
        { id: 'prospecting', labels: { fr: 'Prospection', en: 'Prospecting' },
          descriptions: { fr: "Des offres sur d'autres sites.", en: 'Offers on other sites.' } },
      ],
    }),
  });
  if (r.status !== 200) throw new Error(`creating the benchmark site: ${r.status} ${await r.text()}`);
}

// A gateway in service is warm: its JIT compiler, busy on both cores for the first seconds, must not take the
// CPU from the browser being measured. The page's own requests first, over HTTP, then a pause for the compiler.
async function warmGateway() {
  const paths = ['/consent.js', `/consent.js?site=${SITE}`, `/v1/sites/${SITE}/config`];
  for (let i = 0; i < 400; i++) {
    await Promise.all(paths.map((p) => fetch(gateway + p, { headers: { 'Accept-Encoding': 'br, gzip' } })
      .then((r) => r.arrayBuffer())));
  }
  await new Promise((resolve) => { setTimeout(resolve, 3000); });
}

await createSite();
await warmGateway();
const bundle = readFileSync(bundlePath);
const gzipped = gzipSync(bundle, { level: 9 }).length;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const version = browser.version();
const samples = { contractTag: [], siteSpecificTag: [] };
try {
  // warm-up loads, not counted: the browser's own caches of fonts and code, and the notice path of the gateway
  for (let i = 0; i < warmups; i++) for (const page of Object.values(embeds)) await load(browser, page);
  for (let i = 0; i < runs; i++) {
    for (const [embed, page] of Object.entries(embeds)) samples[embed].push(await load(browser, page));
  }
} finally {
  await browser.close();
}

// the bytes on the wire for a browser that accepts brotli and gzip (the site-specific script is gzip only)
function servedBytes(path) {
  return new Promise((resolve, reject) => {
    get(gateway + path, { headers: { 'Accept-Encoding': 'br, gzip' } }, (res) => {
      let n = 0;
      res.on('data', (chunk) => { n += chunk.length; });
      res.on('end', () => resolve({ bytes: n, encoding: res.headers['content-encoding'] || 'identity' }));
    }).on('error', reject);
  });
}

function summary(list, served) {
  const times = list.map((s) => s.banner);
  return {
    served,
    bannerVisibleMs: {
      median: +median(times).toFixed(1), min: +Math.min(...times).toFixed(1), max: +Math.max(...times).toFixed(1),
      all: times.map((t) => +t.toFixed(1)),
    },
    // the page alone, and what the widget adds after it: tells a slow widget from a slow (busy) machine
    domContentLoadedMs: +median(list.map((s) => s.domContentLoaded)).toFixed(1),
    bannerAfterDomContentLoadedMs: +median(list.map((s) => s.banner - s.domContentLoaded)).toFixed(1),
  };
}
const result = {
  bundleBytes: bundle.length,
  gzipBytes: gzipped,
  runs,
  contractTag: summary(samples.contractTag, await servedBytes('/consent.js')),
  siteSpecificTag: summary(samples.siteSpecificTag, await servedBytes(`/consent.js?site=${SITE}`)),
  chromium: version,
  cores: cpus().length,
  loadAverage1mBeforeStart: +loadBefore.toFixed(2),
};
const sizeOk = gzipped <= TARGET_BYTES;
// the verdict is the contract tag's (the slower one: it waits for the config round trip)
const timeOk = result.contractTag.bannerVisibleMs.median <= TARGET_MS;
console.log(JSON.stringify(result, null, 2));
console.log(`consent.js: ${gzipped} B gzipped (JS + CSS), target ≤ ${TARGET_BYTES} B: ${sizeOk ? 'met' : 'MISSED'}`);
for (const [embed, label] of [['contractTag', 'consent.js + data-site, config fetched'],
  ['siteSpecificTag', 'consent.js?site=, config inside']]) {
  const ms = result[embed].bannerVisibleMs.median;
  console.log(`banner visible (${label}): median ${ms} ms after navigation start over ${runs} fresh-profile loads,`
    + ` target ≤ ${TARGET_MS} ms: ${ms <= TARGET_MS ? 'met' : 'MISSED'}`);
}
if (result.loadAverage1mBeforeStart > result.cores / 2) {
  console.log(`warning: load average ${result.loadAverage1mBeforeStart} on ${result.cores} cores before the start:`
    + ' other work skews the timings');
}
process.exitCode = sizeOk && timeOk ? 0 : 1;
