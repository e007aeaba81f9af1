// `owa-audit classify … | head` or `scan --json | jq … | head`: when the reader of stdout goes
// away, the write fails with EPIPE. Node turns that into an unhandled 'error' event and a stack
// trace; a command-line tool should end quietly instead, as a C program killed by SIGPIPE does
// (exit status 141 = 128 + SIGPIPE). A scan stopped this way keeps every record it wrote and can
// be finished with `scan --resume`.
export function endQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}
