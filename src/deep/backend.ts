/**
 * tfjs backend selection for radnomo's deep features: `auto` (tfjs-node if the user installed it,
 * else wasm), `wasm` (default; SIMD, single-threaded in Node — radnomo uses one model per worker
 * instead), `cpu` (plain JavaScript) and `tensorflow` (`@tensorflow/tfjs-node` or
 * `@tensorflow/tfjs-node-gpu`, loaded only when installed; radnomo does not depend on them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RadnomoError } from '../errors';

export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'cpu', 'tensorflow'];

/** Parses a `--backend` value. */
export function parseBackend(v: string | undefined): BackendChoice {
  const b = (v ?? 'auto').toLowerCase();
  if (!(BACKEND_CHOICES as readonly string[]).includes(b)) {
    throw new RadnomoError('E_USAGE', `--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${v}".`);
  }
  return b as BackendChoice;
}

/** The folder holding tfjs-backend-wasm's .wasm binaries (its dist folder in node_modules). */
export function wasmDir(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const dir = path.join(path.dirname(pkg), 'dist');
  if (!fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm')) && !fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) {
    throw new RadnomoError('E_IO', `${dir}: the tfjs wasm binaries (tfjs-backend-wasm*.wasm) are missing; reinstall @tensorflow/tfjs-backend-wasm.`);
  }
  return dir + path.sep;
}

let wasmRegistered = false;
function registerWasm(): void {
  if (wasmRegistered) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths: (p: string, usePlatformFetch?: boolean) => void };
  wasm.setWasmPaths(wasmDir());
  wasmRegistered = true;
}

/** True when a module can be resolved (installed), without loading it. */
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

function registerTensorflow(): boolean {
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    if (!installed(name)) continue;
    try {
      // Registers the 'tensorflow' backend with tfjs-core on load.
      require(name);
      return true;
    } catch (e) {
      throw new RadnomoError('E_PARAMS', `${name} is installed but cannot be loaded (${(e as Error).message.split('\n')[0]}).`);
    }
  }
  return false;
}

/**
 * Makes the chosen backend current and returns its name. A requested backend that is not
 * installed is a RadnomoError saying what to install.
 */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<string> {
  let name: string;
  if (choice === 'tensorflow' || choice === 'auto') {
    if (registerTensorflow()) name = 'tensorflow';
    else if (choice === 'tensorflow') {
      throw new RadnomoError(
        'E_PARAMS',
        '--backend tensorflow needs @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), which is not installed; install it with `npm install @tensorflow/tfjs-node` or use --backend wasm.',
      );
    } else {
      registerWasm();
      name = 'wasm';
    }
  } else if (choice === 'wasm') {
    registerWasm();
    name = 'wasm';
  } else {
    name = 'cpu';
  }
  if (tf.getBackend() === name) return name;
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    throw new RadnomoError('E_PARAMS', `the tfjs backend "${name}" cannot start (${(e as Error).message.split('\n')[0]}).`);
  }
  if (!ok) throw new RadnomoError('E_PARAMS', `the tfjs backend "${name}" cannot start on this machine.`);
  await tf.ready();
  return name;
}
