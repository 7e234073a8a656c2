/** Entry point of `dist/server.js`: `node dist/server.js --stdio` (or --node-ipc, --socket=N). */
import { giveWorkersTheDefaultYoungGeneration } from '../node/workerHeap.js';
import { startServer } from './server.js';
import { createServerConnection } from './transport.js';

giveWorkersTheDefaultYoungGeneration(process.execArgv);
// A broken connection (a framing error, the client gone) ends the process, so the editor starts a new server.
const connection = createServerConnection(process.argv.slice(2));
// Nothing may kill the server: an escaped error is logged and the server keeps serving.
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${error.stack ?? error.message}`));
startServer(connection);
