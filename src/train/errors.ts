/**
 * Typed errors of the training groundwork (checkpoints, data sets). Library code throws these and
 * never prints; the CLI matches on `code` and shows `message`, which already names the file.
 */

export type SafetensorsErrorCode =
  | 'E_ST_TRUNCATED'
  | 'E_ST_HEADER_TOO_LARGE'
  | 'E_ST_HEADER_JSON'
  | 'E_ST_BAD_ENTRY'
  | 'E_ST_UNKNOWN_DTYPE'
  | 'E_ST_UNSUPPORTED_DTYPE'
  | 'E_ST_OFFSETS_OUT_OF_RANGE'
  | 'E_ST_OFFSETS_OVERLAP'
  | 'E_ST_OFFSETS_HOLE'
  | 'E_ST_SIZE_MISMATCH'
  | 'E_ST_BAD_METADATA'
  | 'E_ST_BAD_TENSOR';

/** A safetensors file (or a tensor handed to the encoder) that breaks the format. */
export class SafetensorsError extends Error {
  readonly code: SafetensorsErrorCode;
  constructor(code: SafetensorsErrorCode, message: string) {
    super(`safetensors: ${message}`);
    this.name = 'SafetensorsError';
    this.code = code;
  }
}

export type DataErrorCode =
  | 'E_DATA_MISSING'
  | 'E_DATA_READ'
  | 'E_DATA_FORMAT'
  | 'E_DATA_LABEL'
  | 'E_DATA_MISMATCH'
  | 'E_DATA_IMAGE'
  | 'E_DATA_EMPTY'
  | 'E_DATA_OPTION';

/** A data set that cannot be loaded or used as asked; `file` is the culprit when there is one. */
export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly file: string | undefined;
  constructor(code: DataErrorCode, message: string, file?: string, options?: { cause?: unknown }) {
    super(file === undefined ? message : `${file}: ${message}`, options);
    this.name = 'DataError';
    this.code = code;
    this.file = file;
  }
}

/** Writing a file (a checkpoint) failed; the previous file at `path`, if any, is untouched. */
export class WriteError extends Error {
  readonly code = 'E_WRITE';
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(`${path}: cannot write (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'WriteError';
    this.path = path;
  }
}

/** A checkpoint or weights file that cannot be used with this model; the message names the file. */
export class CheckpointError extends Error {
  readonly code = 'E_CHECKPOINT';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'CheckpointError';
  }
}
