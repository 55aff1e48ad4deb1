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
