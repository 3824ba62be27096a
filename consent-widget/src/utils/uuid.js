// UUIDs: random version-4 ones (idempotency keys), also on plain-http pages where crypto.randomUUID does not
// exist, and time-ordered version-7 ones (beacon event ids).

function hex(b) {
  const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function random(crypto, version) {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | (version << 4);
  b[8] = (b[8] & 63) | 128;
  return b;
}

export function uuid(crypto = globalThis.crypto) {
  return crypto.randomUUID ? crypto.randomUUID() : hex(random(crypto, 4));
}

// A version-7 UUID whose time is the minute, not the millisecond: ids made together sort together, so the
// gateway's primary key takes them near its end instead of anywhere in it, and the id tells no more of the
// device's clock than the minute (74 random bits keep it unique).
export function eventId(crypto = globalThis.crypto, now = Date.now()) {
  const t = (Math.floor(now / 6e4) * 6e4).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}${hex(random(crypto, 7)).slice(13)}`;
}
