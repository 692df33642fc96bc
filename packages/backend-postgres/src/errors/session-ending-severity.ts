/*
 * The severities that end a session, FATAL and PANIC, as the server words them: the message's
 * severity field is in the server's language (lc_messages), and node-postgres does not keep the
 * untranslated one (the `V` field). Every translation of PostgreSQL 13, 15, 17 and 18 (Debian's
 * packages' postgres-NN.mo catalogs); the translations of ERROR, WARNING and the others are
 * none of these.
 */
const sessionEnding = new Set([
  // FATAL
  'FATAL',
  'FATALE', // it
  'FATALT', // sv
  'KATASTROFALNY', // pl
  'ÖLÜMCÜL (FATAL)', // tr
  'ВАЖНО', // ru
  'ФАТАЛЬНО', // uk
  'ფატალური', // ka
  '치명적오류', // ko
  '致命错误', // zh_CN
  '致命錯誤', // zh_TW
  // PANIC
  'PANIC',
  'PANIK', // de, id, sv
  'PANIKA', // pl
  'PANICO', // it
  'PÂNICO', // pt_BR
  'KRİTİK', // tr
  'ПАНИКА', // ru
  'ПАНІКА', // uk
  'პანიკა', // ka
  '손상', // ko
  '灾难性错误', // zh_CN (17)
  '比致命错误还过分的错误', // zh_CN (13, 18)
  '嚴重錯誤', // zh_TW
]);

/** True when a server's answer at `severity` ended its session (FATAL or PANIC, in any language). */
export function endsSessionAt(severity: unknown): boolean {
  return typeof severity === 'string' && sessionEnding.has(severity);
}
