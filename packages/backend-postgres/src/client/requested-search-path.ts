/*
 * The search_path a connection's startup options ask for, and a search_path read as PostgreSQL
 * reads one, so that what a session holds can be compared with what its connection string
 * asked (see session-fitness.ts): a pooler that does not pass the options on leaves the
 * session in the role's schemas, and tables would be read and created there without a word.
 */

/**
 * The value of the last `-c search_path=…` (or `--search_path=…`, `-csearch_path=…`; dashes in
 * the name as underscores, any case) in startup options as libpq and PGOPTIONS write them
 * (words apart by whitespace, a backslash taking the next character as it is), or undefined
 * when they set none.
 */
export function requestedSearchPath(options: unknown): string | undefined {
  if (typeof options !== 'string' || options === '') return undefined;
  const words = optionWords(options);
  let found: string | undefined;
  for (let position = 0; position < words.length; position++) {
    const word = words[position]!;
    let setting: string | undefined;
    if (word === '-c') setting = words[++position];
    else if (word.startsWith('--')) setting = word.slice(2);
    else if (word.startsWith('-c')) setting = word.slice(2);
    const equals = setting?.indexOf('=') ?? -1;
    if (setting === undefined || equals < 0) continue;
    if (setting.slice(0, equals).replaceAll('-', '_').toLowerCase() === 'search_path')
      found = setting.slice(equals + 1);
  }
  return found;
}

// PostgreSQL's pg_split_opts: words apart by C's whitespace (ASCII only: a no-break space is
// part of a word); a backslash takes the next character, and one that ends the options is
// dropped.
function optionWords(options: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let position = 0; position < options.length; position++) {
    const character = options[position]!;
    if (isSpace(character)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (character === '\\') {
      word = (word ?? '') + (options[++position] ?? '');
    } else word = (word ?? '') + character;
  }
  if (word !== undefined) words.push(word);
  return words;
}

// The whitespace of C's isspace and of PostgreSQL's scanner_isspace (17): ASCII's alone.
function isSpace(character: string | undefined): boolean {
  return character !== undefined && ' \t\n\v\f\r'.includes(character);
}

/**
 * The schemas of a search_path as PostgreSQL reads the list (SplitIdentifierString): names apart
 * by commas, a name in double quotes as written (`""` a quote), any other lowercased (ASCII, as
 * in a UTF-8 database); each cut to 63 bytes, as PostgreSQL cuts a name (a role's setting
 * holds it cut, options as written); an empty name left out, as an empty search_path shows as
 * `""`. Undefined for a text it would refuse.
 */
export function searchPathSchemas(text: string): string[] | undefined {
  const schemas: string[] = [];
  let position = skipSpace(text, 0);
  if (position === text.length) return schemas;
  for (;;) {
    let name: string;
    if (text[position] === '"') {
      name = '';
      for (position++; ; position++) {
        if (position >= text.length) return undefined;
        if (text[position] === '"') {
          if (text[position + 1] !== '"') break;
          position++;
        }
        name += text[position];
      }
      position++;
    } else {
      const start = position;
      while (position < text.length && text[position] !== ',' && !isSpace(text[position]))
        position++;
      if (position === start) return undefined;
      name = text.slice(start, position).replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
    }
    if (name !== '') schemas.push(namePostgresKeeps(name));
    position = skipSpace(text, position);
    if (position === text.length) return schemas;
    if (text[position] !== ',') return undefined;
    position = skipSpace(text, position + 1);
  }
}

function skipSpace(text: string, from: number): number {
  let position = from;
  while (isSpace(text[position])) position++;
  return position;
}

// A name as PostgreSQL keeps it: its first 63 bytes of UTF-8 (NAMEDATALEN - 1), not cutting a
// character.
function namePostgresKeeps(name: string): string {
  let kept = '';
  let bytes = 0;
  for (const character of name) {
    bytes += Buffer.byteLength(character);
    if (bytes > 63) break;
    kept += character;
  }
  return kept;
}

/**
 * True when two search_path texts surely name other schemas, or the same in another order; a
 * text PostgreSQL would not read as a list says nothing.
 */
export function otherSearchPath(left: string, right: string): boolean {
  const leftSchemas = searchPathSchemas(left);
  const rightSchemas = searchPathSchemas(right);
  if (leftSchemas === undefined || rightSchemas === undefined) return false;
  return (
    leftSchemas.length !== rightSchemas.length ||
    leftSchemas.some((schema, position) => schema !== rightSchemas[position])
  );
}
