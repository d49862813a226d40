import { expect } from 'chai';
import type { ChannelModel } from 'amqplib';
import { RandomIdGenerator, type MessageEnvelope } from '@conference/kernel';
import type { KnownMessage } from '@conference/messages';
import { AmqpConnection, AmqpPublisher, BroadcastSubscription, jsonLogger, silentLogger } from './index.js';
import { BrokerProxy, createTestBroker, eventually, requireRabbitMq, type TestBroker } from './testing/index.js';

const ids = new RandomIdGenerator();
const speakerMessage = (type: 'speaker.created' | 'speaker.updated' | 'speaker.deleted', speakerId: string): MessageEnvelope => ({
  id: ids.next(),
  type,
  version: 1,
  occurredAt: new Date().toISOString(),
  source: 'speaker-service',
  correlationId: null,
  causationId: null,
  data: type === 'speaker.deleted' ? { speakerId } : { speakerId, name: 'Ada', headline: '', company: '', userId: null, version: 2 },
});
const logger = process.env.DEBUG_AMQP === '1' ? jsonLogger : silentLogger;
const fastReconnect = { initialDelayMs: 50, maxDelayMs: 500 };

describe('@infra BroadcastSubscription', function () {
  this.timeout(20_000);
  let broker: TestBroker;
  const closing: Array<() => Promise<unknown>> = [];

  before(async function () {
    await requireRabbitMq(this);
  });

  beforeEach(() => { broker = createTestBroker('broadcast'); });

  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close().catch(() => undefined);
    await broker?.cleanup();
  });

  const connect = async (url = broker.url): Promise<AmqpConnection> => {
    const connection = new AmqpConnection({ url, logger, reconnect: fastReconnect, connectTimeoutMs: 1_000, shutdownTimeoutMs: 1_000 }).start();
    closing.push(() => connection.close());
    return connection;
  };

  const subscriber = async (connection: AmqpConnection) => {
    const heard: KnownMessage[] = [];
    const events: string[] = [];
    const subscription = new BroadcastSubscription(connection, {
      exchange: broker.exchange,
      routingKeys: ['speaker.updated', 'speaker.deleted'],
      onMessage: (message) => { heard.push(message); },
      onSubscribed: () => events.push('subscribed'),
      onLost: () => events.push('lost'),
      logger,
    });
    closing.push(() => subscription.stop());
    await subscription.start();
    return { subscription, heard, events };
  };

  const publisherOn = async (connection: AmqpConnection): Promise<AmqpPublisher> => {
    await connection.waitForConnection(5_000);
    const publisher = new AmqpPublisher(connection, { exchange: broker.exchange, logger });
    await publisher.start();
    return publisher;
  };

  it('hands a speaker.updated published on the exchange to every subscriber, and nothing it is not bound to', async () => {
    const first = await subscriber(await connect());
    const second = await subscriber(await connect());
    await eventually(() => first.subscription.isSubscribed && second.subscription.isSubscribed, 5_000, 'both subscribed');
    expect(first.subscription.queue).to.be.a('string').and.not.equal(second.subscription.queue);
    expect(first.events).to.deep.equal(['subscribed']);

    const publisher = await publisherOn(await connect());
    // Not JSON on the same routing key: ignored without disturbing what follows.
    const admin: ChannelModel = await broker.admin();
    const raw = await admin.createChannel();
    raw.publish(broker.exchange, 'speaker.updated', Buffer.from('not json'));
    await raw.close();
    await publisher.publish(speakerMessage('speaker.created', 's-0'), speakerMessage('speaker.updated', 's-1'), speakerMessage('speaker.deleted', 's-2'));

    for (const { heard } of [first, second]) {
      await eventually(() => heard.length >= 2, 5_000, 'both messages heard');
      expect(heard.map((m) => [m.type, (m.data as { speakerId: string }).speakerId])).to.deep.equal([['speaker.updated', 's-1'], ['speaker.deleted', 's-2']]);
    }
  });

  it('reports the loss when the connection drops, then declares a new queue and reports it again on reconnect', async () => {
    const proxy = await BrokerProxy.start(broker.url);
    closing.push(() => proxy.close());
    const { subscription, heard, events } = await subscriber(await connect(proxy.url));
    await eventually(() => subscription.isSubscribed, 5_000, 'subscribed');
    const before = subscription.queue;

    proxy.cut();
    await eventually(() => events.includes('lost'), 5_000, 'loss reported');
    await eventually(() => subscription.isSubscribed, 10_000, 'subscribed again');
    expect(events).to.deep.equal(['subscribed', 'lost', 'subscribed']);
    expect(subscription.queue).to.not.equal(before);

    const publisher = await publisherOn(await connect());
    await publisher.publish(speakerMessage('speaker.updated', 's-after'));
    await eventually(() => heard.length === 1, 5_000, 'message after the reconnect heard');
    // The old queue went with the old connection: nothing is left behind on the broker.
    const check = await (await broker.admin()).createChannel();
    // A missing queue closes the checking channel with 404, reported as a channel error.
    check.on('error', () => undefined);
    const gone = await check.checkQueue(before!).then(() => false, () => true);
    expect(gone).to.equal(true);
  });

  it('stops hearing and reports the loss once stopped', async () => {
    const connection = await connect();
    const { subscription, heard, events } = await subscriber(connection);
    await eventually(() => subscription.isSubscribed, 5_000, 'subscribed');
    await subscription.stop();
    expect(events).to.deep.equal(['subscribed', 'lost']);
    const publisher = await publisherOn(connection);
    await publisher.publish(speakerMessage('speaker.updated', 's-late'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).to.deep.equal([]);
  });
});
