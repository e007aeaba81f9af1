// Ctrl-C during a scan: the first one stops cleanly (in-flight endpoints are abandoned without a
// record, results.jsonl is flushed, run.json says "stopped") and says how to resume; a second one
// quits at once.

export async function interruptible(
  body: (signal: AbortSignal) => Promise<void>,
  resumeHint: () => string | null,
): Promise<void> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write('\nQuitting at once.\n');
      process.exit(130);
    }
    process.stderr.write(
      `\n${name}: stopping after the records in flight are flushed (again to quit at once)…\n`,
    );
    controller.abort(new Error(`stopped by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await body(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (controller.signal.aborted) {
    const hint = resumeHint();
    process.stderr.write(hint === null ? 'Stopped.\n' : `Stopped. Finish this run with:\n  ${hint}\n`);
  }
}
