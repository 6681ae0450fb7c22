import { main } from './program.js';
import { nodeIO } from '../node-io.js';

main(process.argv.slice(2), nodeIO()).then((code) => {
  process.exitCode = code;
});
