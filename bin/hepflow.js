#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles on load, so nobody runs tsc by hand.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
