// The floor of a cold start: an empty Node process reporting as the cold-start child does.
process.stdout.write(`RESULT ${JSON.stringify({ marks: { firstObject: performance.now() } })}\n`);
