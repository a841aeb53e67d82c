#!/usr/bin/env node
// The only place that exits: main() returns the exit code.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
