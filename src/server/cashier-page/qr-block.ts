import { createHash } from 'node:crypto';

const SIZE = 25;

/**
 * A QR-looking SVG drawn from a hash of the text: three finder squares and hash-derived modules.
 * Deliberately not a real QR code, so nobody can scan it and send funds anywhere.
 */
export function qrStyleBlock(text: string, label: string): string {
  const bits: boolean[] = [];
  for (let round = 0; bits.length < SIZE * SIZE; round += 1) {
    for (const byte of createHash('sha256').update(`${round}:${text}`).digest()) {
      for (let bit = 0; bit < 8; bit += 1) bits.push(((byte >> bit) & 1) === 1);
    }
  }
  const cells: string[] = [];
  for (let y = 0; y < SIZE; y += 1) {
    for (let x = 0; x < SIZE; x += 1) {
      const finder = finderCell(x, y);
      const dark = finder ?? bits[y * SIZE + x]!;
      if (dark) cells.push(`M${x + 2} ${y + 2}h1v1h-1z`);
    }
  }
  const escaped = label.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<svg class="qr-block" viewBox="0 0 ${SIZE + 4} ${SIZE + 4}" role="img" aria-label="${escaped}" xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#ffffff"/><path fill="#111827" d="${cells.join('')}"/></svg>`;
}

/** Dark/light for the three 7×7 finder squares and their light border; undefined elsewhere. */
function finderCell(x: number, y: number): boolean | undefined {
  for (const [ox, oy] of [[0, 0], [SIZE - 7, 0], [0, SIZE - 7]] as const) {
    const dx = x - ox;
    const dy = y - oy;
    if (dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7) {
      if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return false;
      const ring = Math.min(dx, dy, 6 - dx, 6 - dy);
      return ring !== 1;
    }
  }
  return undefined;
}
