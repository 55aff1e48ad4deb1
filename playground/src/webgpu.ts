/**
 * What to tell a person whose browser gives the page no WebGPU: which browsers have it and what
 * to enable. The editor, diagnostics, summary and diagram work without it; training and drawing
 * do not. Undefined when navigator.gpu is there (requestAdapter may still fail: `adapterFailed`).
 */
export function noWebGpuMessage(adapterFailed = false): string | undefined {
  if (!adapterFailed && 'gpu' in navigator && navigator.gpu) return undefined;
  const insecure = !window.isSecureContext ? ' This page is not a secure context: WebGPU is only offered over https or from localhost / 127.0.0.1.' : '';
  const what = adapterFailed ? 'This browser has WebGPU but gave the page no GPU adapter.' : 'This browser gives the page no WebGPU (navigator.gpu is missing).';
  return `${what} Editing, diagnostics, the summary and the diagram work; training and drawing need WebGPU. ` +
    'It is on by default in Chrome and Edge 113+ on Windows, macOS and ChromeOS, Chrome 121+ on Android, Safari 26+ and Firefox 141+ on Windows. ' +
    'On Linux, start Chrome or Chromium with --enable-unsafe-webgpu (and --enable-features=Vulkan where the GPU has Vulkan), or turn on chrome://flags/#enable-unsafe-webgpu; ' +
    `in Firefox elsewhere set dom.webgpu.enabled in about:config.${insecure}`;
}
