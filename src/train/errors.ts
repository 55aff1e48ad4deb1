import { CnncError } from '../diagnostics/run-error.js';
/**
 * Typed errors of the training groundwork (checkpoints, data sets): CnncErrors, so the library
 * throws and never prints, and the CLI renders them as diagnostics; `message` already names the file.
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
export class SafetensorsError extends CnncError {
  declare readonly code: SafetensorsErrorCode;
  constructor(code: SafetensorsErrorCode, message: string) {
    super(code, `safetensors: ${message}`);
    this.name = 'SafetensorsError';
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

/** A data set that cannot be loaded or used as asked; `file` is the culprit when there is one (not repeated in `message`). */
export class DataError extends CnncError {
  declare readonly code: DataErrorCode;
  constructor(code: DataErrorCode, message: string, file?: string, options?: { cause?: unknown; help?: string }) {
    super(code, message, { file, cause: options?.cause, help: options?.help });
    this.name = 'DataError';
  }
}

/** Writing a file (a checkpoint) failed; the previous file at `path`, if any, is untouched. */
export class WriteError extends CnncError {
  readonly path: string;
  constructor(path: string, cause: unknown, help?: string) {
    super('E_WRITE', `cannot write (${cause instanceof Error ? cause.message : String(cause)})`, { file: path, cause, help });
    this.name = 'WriteError';
    this.path = path;
  }
}

/** A checkpoint or weights file that cannot be used with this model; the message names the file. */
export class CheckpointError extends CnncError {
  constructor(
    readonly path: string,
    message: string,
    details: { help?: string; notes?: readonly string[] } = {},
  ) {
    super('E_CHECKPOINT', message, { file: path, ...details });
    this.name = 'CheckpointError';
  }
}
