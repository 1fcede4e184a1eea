// A start-up failure the user can act on (port taken, data directory held or unwritable): the
// CLI prints its message alone, without a stack, and exits 1.
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
