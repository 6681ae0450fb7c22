import { main } from './program.js';
import { nodeIO, outputPending } from '../node-io.js';

main(process.argv.slice(2), nodeIO()).then((code) => {
  process.exitCode = code;
  /*
   * The command is done. Left to end by itself, Node would first wait for V8's work in the background (compiling
   * functions that will not run again, a last garbage collection): some 20 ms after a large render. A turn of the
   * event loop first lets a failed write report itself (EPIPE ends with 141); output still on its way to a slow
   * pipe or terminal is left to finish the usual way.
   */
  setImmediate(() => {
    if (!outputPending()) process.exit();
  });
});
