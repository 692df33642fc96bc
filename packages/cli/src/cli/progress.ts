import type { CliIo } from './cli-io.js';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Runs `task` with a spinner and `label` on stderr while it waits, only when stderr is a
 * terminal that can clear a line (not TERM=dumb, Emacs' shell for one, which would show the
 * escape codes); the line is cleared when the task ends, whatever its outcome.
 */
export async function withProgress<T>(
  io: CliIo,
  label: string,
  task: () => Promise<T>,
): Promise<T> {
  if (io.stderr.isTTY !== true || io.env.TERM === 'dumb') return task();
  let frame = 0;
  const draw = () => {
    io.stderr.write(`\r${frames[frame % frames.length]} ${label}`);
    frame += 1;
  };
  // Quick tasks finish before the first frame: no flicker.
  const timer = setInterval(draw, 80);
  try {
    return await task();
  } finally {
    clearInterval(timer);
    if (frame > 0) io.stderr.write('\r\u001b[2K');
  }
}
