// V8 hashes a string longer than 16,383 characters by its length alone: in a native Set, every
// long key of one length shares a slot and is compared in full with the others (6,000
// problems under one 16 KB property name took 22 s to tell apart). Those get a hash of their
// whole text here.
const longText = 16_000;

/** A set of strings that stays linear in their total length, however long they are. */
export class TextSet {
  private readonly short = new Set<string>();
  private long: Map<number, string[]> | undefined;

  /** Adds `text`; false when it was there already. */
  add(text: string): boolean {
    if (text.length < longText) {
      if (this.short.has(text)) return false;
      this.short.add(text);
      return true;
    }
    this.long ??= new Map();
    const hash = textHash(text);
    const bucket = this.long.get(hash);
    if (bucket === undefined) this.long.set(hash, [text]);
    else if (bucket.includes(text)) return false;
    else bucket.push(text);
    return true;
  }
}

// FNV-1a over the UTF-16 code units.
function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}
