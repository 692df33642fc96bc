/** A read of one page, given the cursor of the page before (none for the first). */
export type PageRead = (cursor?: string) => Promise<{ items: { sk: string }[]; cursor?: string }>;

/** The sort keys of every page a read gives, page by page, following cursors to the end. */
export async function sortKeysByPage(read: PageRead): Promise<string[][]> {
  const seen: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    seen.push(page.items.map((item) => item.sk));
    cursor = page.cursor;
  } while (cursor);
  return seen;
}
