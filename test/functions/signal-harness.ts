// Topics, pull subscriptions and received messages on the Pub/Sub emulator, through the real client.
import { PubSub, type Subscription } from '@google-cloud/pubsub';
import {
  startPubsubEmulator,
  type PubsubEmulator,
} from '../stand-ins/pubsub-emulator.js';

// One message as a subscriber sees it: the JSON data and the attributes.
export interface Received {
  message: Record<string, unknown>;
  data: Buffer;
  attributes: Record<string, string>;
}

// What a subscription has received so far (acknowledged on arrival).
export interface Inbox {
  received: Received[];
  // Resolves once `count` messages arrived, then `quietMs` more with nothing new, or at the deadline.
  settle(
    count: number,
    quietMs?: number,
    deadlineMs?: number
  ): Promise<Received[]>;
  close(): Promise<void>;
}

export interface Emulated {
  emulator: PubsubEmulator;
  admin: PubSub;
  // projects/<project>/topics/<id>
  topicName(id: string): string;
  createTopic(id: string): Promise<void>;
  // A pull subscription on topic id, listened to until close().
  subscribe(topicId: string, subscriptionId: string): Promise<Inbox>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function listen(subscription: Subscription): Inbox {
  const received: Received[] = [];
  subscription.on('message', (m) => {
    m.ack();
    const data = Buffer.from(m.data);
    const message = JSON.parse(data.toString('utf8')) as Received['message'];
    received.push({ message, data, attributes: { ...m.attributes } });
  });
  subscription.on('error', () => {});
  return {
    received,
    settle: async (count, quietMs = 1500, deadlineMs = 15_000) => {
      const deadline = Date.now() + deadlineMs;
      while (received.length < count && Date.now() < deadline) await sleep(50);
      await sleep(quietMs);
      return [...received];
    },
    close: () => subscription.close(),
  };
}

// Starts the emulator and an admin client pointed at it (apiEndpoint, so no environment variable is set).
export async function startEmulated(): Promise<Emulated> {
  const emulator = await startPubsubEmulator();
  // No metadata server is probed while the suite runs (restored on close).
  const metadata = process.env.METADATA_SERVER_DETECTION;
  process.env.METADATA_SERVER_DETECTION = 'none';
  const { host, projectId } = emulator;
  const admin = new PubSub({ projectId, apiEndpoint: host });
  const inboxes: Inbox[] = [];
  const topicName = (id: string) => `projects/${projectId}/topics/${id}`;
  return {
    emulator,
    admin,
    topicName,
    createTopic: async (id) => void (await admin.createTopic(id)),
    subscribe: async (topicId, subscriptionId) => {
      const [sub] = await admin
        .topic(topicId)
        .createSubscription(subscriptionId);
      const inbox = listen(sub);
      inboxes.push(inbox);
      return inbox;
    },
    close: async () => {
      await Promise.all(inboxes.map((i) => i.close()));
      await admin.close();
      await emulator.close();
      if (metadata === undefined) delete process.env.METADATA_SERVER_DETECTION;
      else process.env.METADATA_SERVER_DETECTION = metadata;
    },
  };
}
