/*
 * The search_path a connection's startup options ask for, so that what a session holds can be
 * compared with what its connection string asked (see session-fitness.ts; PostgreSQL reads
 * both lists there, as it reads names in the database's encoding): a pooler that does not pass
 * the options on leaves the session in the role's schemas, and tables would be read and created
 * there without a word.
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
