// dynalite 4 ships no type declarations; this is the part we call.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    /** Milliseconds CreateTable takes to become ACTIVE; 0 for tests. */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** A LevelDB directory; in memory when absent. */
    path?: string;
  }
  const dynalite: (options?: DynaliteOptions) => Server;
  export default dynalite;
}
