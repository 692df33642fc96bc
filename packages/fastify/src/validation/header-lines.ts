import type { FastifyRequest } from 'fastify';

/**
 * The lines a request sent of one header (`name` in lower case), each its own text: Node.js
 * joins repeated lines with `, `, which a list split by another delimiter (`|`, a space) would
 * read inside an item (`a|b` and `c` as `a` and `b, c`). `joined` is Node's value, given back
 * when the header came on one line, or when the lines do not join to it (a hook of the
 * application rewrote it).
 */
export function headerLines(
  request: FastifyRequest,
  name: string,
  joined: string,
): string | string[] {
  const raw = request.raw.rawHeaders as readonly string[] | undefined;
  if (raw === undefined || !joined.includes(', ')) return joined;
  const lines: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2)
    if (raw[index]!.toLowerCase() === name) lines.push(raw[index + 1]!);
  return lines.length > 1 && lines.join(', ') === joined ? lines : joined;
}
