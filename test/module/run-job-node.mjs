// `node run-job-node.mjs MODULE.js JOB.json RESULT.json`: run-job.js in a plain Node process
// (so environment variables such as LP_NATIVE_VECTOR_WIDTH reach a fresh Dawn and Mesa).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runJob } from './run-job.js';

const [modulePath, jobPath, resultPath] = process.argv.slice(2);
const { createModel } = await import(pathToFileURL(modulePath).href);
writeFileSync(resultPath, JSON.stringify(await runJob(createModel, JSON.parse(readFileSync(jobPath, 'utf8')))));
