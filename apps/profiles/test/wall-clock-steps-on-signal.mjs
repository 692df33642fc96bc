// Preloaded into the service (NODE_OPTIONS=--import): every SIGINT or SIGTERM steps the wall
// clock an hour forward before the service's own handler sees the signal, as NTP correcting a
// machine's clock might between two signals a terminal sends at once.
const realNow = Date.now;
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (offsetMs += 3_600_000));
