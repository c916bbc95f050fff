#!/usr/bin/env node
// The CLI is bundled into dist/runbook.mjs by `npm install` (the "prepare" script) or `npm run build`; see README.
import { main } from "../dist/runbook.mjs";

process.exitCode = await main(process.argv.slice(2));
