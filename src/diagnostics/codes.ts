/**
 * Every diagnostic cnnc reports, with a stable code. Codes never change meaning once published;
 * examples/errors/ holds one broken file per code and its expected rendering.
 *
 * E00xx syntax, E01xx names and arguments, E02xx shapes, E03xx training section, W… warnings.
 */
export const CODES = {
  E0001: 'unexpected token',
  E0002: 'invalid character',
  E0003: 'unterminated string',
  E0101: 'unknown layer',
  E0102: 'unknown argument',
  E0103: 'wrong number of arguments',
  E0104: 'wrong argument type',
  E0105: 'missing argument',
  E0106: 'duplicate argument',
  E0107: 'undefined name',
  E0108: 'duplicate definition',
  E0109: 'recursive block',
  E0110: 'import failed',
  E0111: 'invalid value',
  E0112: 'no model',
  E0113: 'missing output',
  E0114: 'wrong kind of value',
  E0115: 'no input',
  E0116: 'unknown member',
  E0117: 'unknown model parameter',
  E0201: 'kernel larger than padded input',
  E0202: 'size is zero or negative',
  E0203: 'shapes differ at add',
  E0204: 'spatial sizes differ at concat',
  E0205: 'channels not divisible by groups',
  E0206: 'layer needs a flat input',
  E0207: 'layer needs a spatial input',
  E0301: 'unknown training setting',
  E0302: 'loss does not fit the output',
  E0303: 'model does not fit the data set',
  W0208: 'output size not an integer (rows or columns dropped); an error with --strict',
  W0401: 'unused value',
} as const;

export type Code = keyof typeof CODES;

/**
 * Codes of problems met while running rather than compiling: files, weights, data, the device, the
 * batch, a compiled module's use. Thrown as CnncError (diagnostics/run-error.ts), rendered like the
 * compile diagnostics. Codes never change meaning once published.
 */
export const RUN_CODES = {
  E_DATA_MISSING: 'data set not found',
  E_DATA_READ: 'data set cannot be read',
  E_DATA_FORMAT: 'data set in an unknown format',
  E_DATA_LABEL: 'label out of range',
  E_DATA_MISMATCH: 'data set does not fit the model',
  E_DATA_IMAGE: 'image cannot be decoded',
  E_DATA_EMPTY: 'data set is empty',
  E_DATA_OPTION: 'invalid data option',
  E_ST_TRUNCATED: 'safetensors file truncated',
  E_ST_HEADER_TOO_LARGE: 'safetensors header too large',
  E_ST_HEADER_JSON: 'safetensors header is not JSON',
  E_ST_BAD_ENTRY: 'safetensors entry malformed',
  E_ST_UNKNOWN_DTYPE: 'safetensors dtype unknown',
  E_ST_UNSUPPORTED_DTYPE: 'safetensors dtype not supported',
  E_ST_OFFSETS_OUT_OF_RANGE: 'safetensors offsets out of range',
  E_ST_OFFSETS_OVERLAP: 'safetensors tensors overlap',
  E_ST_OFFSETS_HOLE: 'safetensors data has a hole',
  E_ST_SIZE_MISMATCH: 'safetensors tensor size does not match its shape',
  E_ST_BAD_METADATA: 'safetensors metadata malformed',
  E_ST_BAD_TENSOR: 'tensor cannot be written to safetensors',
  E_ARGUMENT: 'invalid argument to a library call',
  E_WEIGHTS: 'weights do not fit the model',
  E_WEIGHTS_NONFINITE: 'weights hold NaN or infinite values',
  E_CHECKPOINT: 'checkpoint cannot be used',
  E_PT_UNSAFE: 'a PyTorch file names code to run',
  E_ONNX_FORMAT: 'not an ONNX model',
  E_ONNX_UNSUPPORTED: 'an ONNX operator or attribute cnnc has no layer for',
  E_WRITE: 'file cannot be written',
  E_NONFINITE_LOSS: 'training diverged',
  E_NO_GPU_ADAPTER: 'no WebGPU adapter',
  E_GPU_RUN: 'the GPU rejected the work',
  E_KERNEL_COMPILE: 'a kernel did not compile',
  E_BATCH_TOO_LARGE: 'batch too large for the device',
  E_BUFFER_TOO_LARGE: 'tensor too large for the device',
  E_MODULE_FORMAT: 'not a cnnc module',
  E_MODULE_ARGUMENT: 'invalid argument to a compiled model',
  E_MODULE_WEIGHTS: 'weights do not fit the compiled model',
  E_MODULE_INPUT: 'input does not fit the compiled model',
  E_MODULE_DESTROYED: 'compiled model used after destroy()',
  E_MODULE_VARIANT: 'kernel variant cannot run on this device',
} as const;

export type RunCode = keyof typeof RUN_CODES;
