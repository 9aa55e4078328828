// Draws build/icon.png (512×512): an envelope on a rounded square. Pure Node (zlib), no image tools.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const S = 512;
const px = Buffer.alloc(S * S * 4);
const set = (x, y, [r, g, b, a]) => px.set([r, g, b, a], (y * S + x) * 4);
const inRounded = (x, y, m, r) => {
  const cx = Math.min(Math.max(x, m + r), S - m - r), cy = Math.min(Math.max(y, m + r), S - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const nearLine = (x, y, x1, y1, x2, y2, w) => {
  const t = Math.max(0, Math.min(1, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)));
  return Math.hypot(x - (x1 + t * (x2 - x1)), y - (y1 + t * (y2 - y1))) <= w;
};
for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
  if (!inRounded(x, y, 16, 96)) { set(x, y, [0, 0, 0, 0]); continue; }
  const k = y / S;
  set(x, y, [Math.round(234 - 40 * k), Math.round(75 - 20 * k), Math.round(113 + 10 * k), 255]);
  const inEnvelope = x >= 112 && x <= 400 && y >= 160 && y <= 352;
  if (inEnvelope) set(x, y, [255, 255, 255, 255]);
  if (inEnvelope && (nearLine(x, y, 112, 160, 256, 270, 7) || nearLine(x, y, 400, 160, 256, 270, 7))) set(x, y, [214, 64, 110, 255]);
}
const rows = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) { rows[y * (S * 4 + 1)] = 0; px.copy(rows, y * (S * 4 + 1) + 1, y * S * 4, (y + 1) * S * 4); }
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4); ihdr[8] = 8; ihdr[9] = 6;
writeFileSync('build/icon.png', Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
console.log('wrote build/icon.png');
