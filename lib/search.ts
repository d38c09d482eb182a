/** LIKE treats % and _ as wildcards and \\ as the escape; Prisma passes `contains` and
 * `startsWith` through unescaped, so what a person types must be escaped to match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
