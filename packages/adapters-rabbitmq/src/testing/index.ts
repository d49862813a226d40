export {
  amqpTestUrl,
  rabbitMqProblem,
  requireRabbitMq,
  createTestBroker,
  unusedPort,
  unreachableAmqpUrl,
  type TestBroker,
} from './infrastructure.js';
export { BrokerProxy } from './broker-proxy.js';
export { eventually } from './eventually.js';
export { nextMessageOfType } from './next-message.js';
export { openProbe } from './probe.js';
