// Runs a compiled module through a fixed job, the same way in a browser page and in Node, so the
// two can be compared number for number. Plain JavaScript with only the module's own API.
// job: { seed, batch, x, target, steps, variant? }.
export async function runJob(createModel, job) {
  const model = await createModel({ seed: job.seed, ...(job.variant ? { variant: job.variant } : {}) });
  try {
    const x = Float32Array.from(job.x);
    const logits = Array.from(await model.forward(x, job.batch));
    const losses = [];
    for (let i = 0; i < job.steps; i++) losses.push(await model.trainStep(x, job.target, job.batch));
    const trainedLogits = Array.from(await model.forward(x, job.batch));
    const info = model.device.adapterInfo;
    return { variant: model.variant, subgroupMinSize: info?.subgroupMinSize ?? null, adapter: info?.architecture ?? null, logits, losses, trainedLogits };
  } finally {
    await model.destroy();
  }
}
