// Modules made by the build (scripts/playground.ts): the examples and the compiled-module runtime.
declare module 'cnnc:examples' {
  const files: Record<string, string>;
  export default files;
}
declare module 'cnnc:module-runtime' {
  const files: Record<'cnnc-runtime.js' | 'cnnc-runtime.d.ts', string>;
  export default files;
}
