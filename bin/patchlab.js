#!/usr/bin/env node
// The installed entry point: runs the compiled CLI, bundled (scripts/bundle.mjs).
import { main } from '../dist/bundle/main.js';
process.exitCode = await main(process.argv.slice(2));
