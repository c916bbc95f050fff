/** An RGB raster with the few drawing operations the chart needs (lines, boxes, text). */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixels } from "./font.js";

export type Colour = readonly [number, number, number];

export class Canvas {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Colour = [255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fill(0, 0, width, height, background);
  }

  set(x: number, y: number, colour: Colour): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    this.pixels.set(colour, (py * this.width + px) * 3);
  }

  fill(x: number, y: number, width: number, height: number, colour: Colour): void {
    for (let dy = 0; dy < height; dy++) for (let dx = 0; dx < width; dx++) this.set(x + dx, y + dy, colour);
  }

  /** A straight line `thickness` pixels wide, stepped along its longer axis; `dash` draws every other run of that many pixels. */
  line(x0: number, y0: number, x1: number, y1: number, colour: Colour, thickness = 1, dash = 0): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    const half = Math.floor(thickness / 2);
    for (let i = 0; i <= steps; i++) {
      if (dash > 0 && Math.floor(i / dash) % 2 === 1) continue;
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      this.fill(Math.round(x) - half, Math.round(y) - half, thickness, thickness, colour);
    }
  }

  /** Text in the 5x7 font, each font pixel drawn as a `scale` x `scale` square. */
  text(x: number, y: number, text: string, colour: Colour, scale = 2): void {
    [...text].forEach((char, index) => {
      const left = x + index * (GLYPH_WIDTH + 1) * scale;
      for (const [gx, gy] of glyphPixels(char)) this.fill(left + gx * scale, y + gy * scale, scale, scale, colour);
    });
  }

  static textWidth(text: string, scale = 2): number {
    return text.length * (GLYPH_WIDTH + 1) * scale - scale;
  }

  static textHeight(scale = 2): number {
    return GLYPH_HEIGHT * scale;
  }
}
