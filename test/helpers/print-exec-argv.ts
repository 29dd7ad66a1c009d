/** Preloaded (--require) by a test: prints the node flags the process was started with. */
process.stdout.write(`execArgv=${JSON.stringify(process.execArgv)}\n`);
