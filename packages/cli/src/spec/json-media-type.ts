/**
 * True for the media types whose schema @macaron/fastify reads a body or a response with
 * (its `isJsonMediaType`): `application/json`, `application/*+json`, `application/*`, `*\/*`.
 * The generated types and the lint pick the schema the adapter picks.
 */
export function isJsonMediaType(mediaType: string): boolean {
  const essence = mediaType.split(';')[0]!.trim().toLowerCase();
  return (
    essence === 'application/json' ||
    /^application\/(?:[\w.+-]+|\*)\+json$/.test(essence) ||
    essence === '*/*' ||
    essence === 'application/*'
  );
}
