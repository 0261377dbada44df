/**
 * radnomo's one error type. `code` is stable for programs; `message` is one sentence for people
 * that names the file, column or case and what is wrong.
 */
export type RadnomoErrorCode =
  | 'E_IO' // a file cannot be read or written
  | 'E_FORMAT' // unknown or corrupt file format
  | 'E_GEOMETRY' // image and mask geometry differ
  | 'E_MASK' // empty mask, missing label, ROI too small
  | 'E_VALUE' // NaN/Inf or out-of-range values
  | 'E_PARAMS' // a parameter file or option is wrong
  | 'E_COLUMN' // a CSV column is missing or has the wrong content
  | 'E_DATA' // data do not permit the analysis (single class, separation, too few rows)
  | 'E_CASE' // a batch case failed
  | 'E_USAGE'; // wrong command-line usage

export class RadnomoError extends Error {
  readonly code: RadnomoErrorCode;
  constructor(code: RadnomoErrorCode, message: string) {
    super(message);
    this.name = 'RadnomoError';
    this.code = code;
  }
}

/** True when `e` is a RadnomoError (works across module copies, e.g. worker threads). */
export function isRadnomoError(e: unknown): e is RadnomoError {
  return e instanceof Error && e.name === 'RadnomoError' && typeof (e as RadnomoError).code === 'string';
}
