/** An advisory worker thread (`dist/advisoryWorker.js`, run by piscina): parses one slice of a load per task (advisoryParse.ts). */
export { runJob as default } from './advisoryParse.js';
