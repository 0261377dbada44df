import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';

/**
 * Writes a file under a temporary name in the same folder and renames it into place, so a
 * failure never leaves half a file under the final name.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RadnomoError('E_IO', `${dir}: cannot create the output folder (${(e as Error).message}).`);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing left to clean */
    }
    throw new RadnomoError('E_IO', `${file}: cannot write (${(e as Error).message}).`);
  }
}
