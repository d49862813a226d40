// `npm start` and `npm run stack` until the hosts and the gateway exist: say so plainly
// instead of pretending, and point at what does run today.
const [, , command] = process.argv;
const what = {
  start: 'the embedded profile (whole API on one URL, embedded PostgreSQL)',
  stack: 'the distributed stack (PostgreSQL, RabbitMQ, nginx, every service at its instance count)',
}[command] ?? command;
console.error(`npm ${command === 'start' ? 'start' : 'run stack'}: ${what} is not built yet.`);
console.error('What exists today: the domain packages (packages/*) and the PostgreSQL adapters, exercised by `npm test`.');
console.error('See README.md, section "Status".');
process.exit(1);
