// Draws the PNG app icons (the manifest needs 192 and 512 px bitmaps) from the same shapes as
// public/icons/icon.svg, with no image library: distance fields for anti-aliasing, zlib for PNG.
// Run with `npm run icons`; the PNGs are committed, so builds don't depend on this script.

import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const BG = [0x17, 0x1a, 0x21];
const ACCENT = [0xe5, 0xa0, 0x0d];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function cubic(p0, p1, p2, p3, t) {
  const u = 1 - t;
  return [
    u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
    u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
  ];
}

// The "nest" stroke of icon.svg: M12 38 c0 9 9 16 20 16 s20-7 20-16, as a polyline.
const ARC = [];
for (let i = 0; i <= 48; i++) ARC.push(cubic([12, 38], [12, 47], [21, 54], [32, 54], i / 48));
for (let i = 1; i <= 48; i++) ARC.push(cubic([32, 54], [43, 54], [52, 47], [52, 38], i / 48));

function segmentDistance(px, py, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - a[0] - t * dx, py - a[1] - t * dy);
}

function arcDistance(x, y) {
  let d = Infinity;
  for (let i = 1; i < ARC.length; i++) d = Math.min(d, segmentDistance(x, y, ARC[i - 1], ARC[i]));
  return d - 2.5; // stroke-width 5
}

// Signed distance to the play triangle (26,16) (26,40) (44,28): negative inside.
function triangleDistance(x, y) {
  const pts = [[26, 16], [44, 28], [26, 40]];
  let inside = true;
  let d = Infinity;
  for (let i = 0; i < 3; i++) {
    const a = pts[i];
    const b = pts[(i + 1) % 3];
    d = Math.min(d, segmentDistance(x, y, a, b));
    if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < 0) inside = false;
  }
  return inside ? -d : d;
}

function roundedRectDistance(x, y, r) {
  const qx = Math.abs(x - 32) - (32 - r);
  const qy = Math.abs(y - 32) - (32 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

const coverage = (distance, pixel) => Math.max(0, Math.min(1, 0.5 - distance / pixel));

/** maskable: full-bleed background, artwork shrunk into the 80% safe zone. */
function render(size, maskable) {
  const out = Buffer.alloc(size * size * 4);
  const scale = maskable ? 0.8 : 1;
  const pixel = 64 / size / scale; // one output pixel in icon units
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size - 0.5) * 64 / scale + 32;
      const y = ((py + 0.5) / size - 0.5) * 64 / scale + 32;
      const bg = maskable ? 1 : coverage(roundedRectDistance(x, y, 14), pixel);
      const fg = Math.max(coverage(triangleDistance(x, y), pixel), coverage(arcDistance(x, y), pixel));
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round(BG[c] * (1 - fg) + ACCENT[c] * fg);
      out[i + 3] = Math.round(255 * Math.max(bg, fg * bg));
    }
  }
  return png(size, out);
}

const dir = new URL("../public/icons/", import.meta.url);
writeFileSync(new URL("icon-192.png", dir), render(192, false));
writeFileSync(new URL("icon-512.png", dir), render(512, false));
writeFileSync(new URL("icon-maskable-512.png", dir), render(512, true));
console.log("icons written to public/icons/");
