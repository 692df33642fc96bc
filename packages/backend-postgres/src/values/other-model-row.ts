import type { ModelDescriptor } from '@macaron/core';
import { pointerStep } from './json-pointer.js';

/**
 * Whether a row that cannot be read exactly holds another model's item, on a table models
 * share: its discriminator attribute, read from the text without the rest of the item, is a
 * plain value other than this model's name. Core would set such an item aside unread, so it
 * fails nothing. False wherever that is not sure (a marked or unparsable discriminator).
 */
export function holdsOtherModel(row: Record<string, unknown>, model: ModelDescriptor): boolean {
  const discriminator = model.table.discriminatorAttribute;
  if (!discriminator || model.discriminatorValue === undefined) return false;
  try {
    const types = typeof row.types === 'string' ? JSON.parse(row.types) : null;
    const pointer = `/${pointerStep(discriminator)}`;
    // A marked value (a string holding U+0000, a set…) is read through its marks: not here.
    if (types !== null && typeof types === 'object')
      for (const marked of Object.keys(types))
        if (marked === pointer || marked.startsWith(`${pointer}/`)) return false;
    // Numbers are read as doubles here: only the discriminator's value counts, and a number
    // is no model's name however it rounds.
    const item = JSON.parse(row.item as string) as unknown;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
    const value = Object.hasOwn(item, discriminator)
      ? (item as Record<string, unknown>)[discriminator]
      : undefined;
    return value !== model.discriminatorValue;
  } catch {
    return false;
  }
}
