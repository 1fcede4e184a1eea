// jq-web ships no types: its export is a promise of the compiled jq (emscripten).
declare module 'jq-web' {
  export interface Jq {
    // Runs `filter` over the JSON text `input` with jq's command-line flags; answers stdout
    // (undefined when there is none), throws with jq's stderr in the message on failure.
    raw(input: string, filter: string, flags?: string[]): string | undefined;
  }
  const ready: Promise<Jq>;
  export default ready;
}
