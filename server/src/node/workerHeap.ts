/**
 * Worker threads get V8's default young generation, whatever small one this process was started
 * with (SERVER_NODE_FLAGS): workers check many small files and drop them, where a small young
 * generation only adds collections. V8 sizes a heap from its flags when the heap is created, so
 * setting the flag back once this thread's heap exists changes the heaps of the workers started
 * afterwards and leaves this one as it is.
 */
import { setFlagsFromString } from 'node:v8';
import { SERVER_NODE_FLAGS } from '../shared/serverNodeFlags.js';

export function giveWorkersTheDefaultYoungGeneration(execArgv: readonly string[]): void {
  if (SERVER_NODE_FLAGS.some((flag) => execArgv.includes(flag))) setFlagsFromString('--max-semi-space-size=0');
}
