/** CSS-style hex colours (`#rgb`, `#rrggbb`) as RGB bytes. */

export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function parseHexColor(text: string): [number, number, number] {
  if (!HEX_COLOR.test(text)) throw new Error(`"${text}" is not a #rgb or #rrggbb colour`);
  const hex = text.length === 4 ? [...text.slice(1)].map((c) => c + c).join('') : text.slice(1);
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}
