// The Cloud Pub/Sub publisher behind ATTESTED_TOPIC; @google-cloud/pubsub is imported on first use only.
import type { ClientConfig, Topic } from '@google-cloud/pubsub';
import { SignalError } from '../core/errors.js';
import type { SignalPublisher } from './publisher.js';

// A publish (with the client's own retries) gives up after this long, well inside Tekton's retry window.
export const PUBLISH_TIMEOUT_MS = 10_000;

// Publishes through a Topic of the real client (tests: pointed at the Pub/Sub emulator).
export class PubsubPublisher implements SignalPublisher {
  constructor(
    private readonly target: Pick<Topic, 'publishMessage'>,
    readonly topic: string
  ) {}

  async publish(
    data: Buffer,
    attributes: Readonly<Record<string, string>>
  ): Promise<void> {
    try {
      await this.target.publishMessage({ data, attributes: { ...attributes } });
    } catch (err) {
      const detail = err instanceof Error ? err.message.split('\n')[0] : '';
      throw new SignalError(
        'SIGNAL_PUBLISH_FAILED',
        `expected Pub/Sub to accept the attested signal on ${this.topic}, got ${detail?.slice(0, 200) || 'a failure'}`,
        { cause: err }
      );
    }
  }
}

// The publisher of topic (projects/P/topics/T, checked by loadConfig); the client honours
// PUBSUB_EMULATOR_HOST unless options name an apiEndpoint.
export async function createPubsubPublisher(
  topic: string,
  options: Pick<ClientConfig, 'apiEndpoint'> = {}
): Promise<SignalPublisher> {
  const { PubSub } = await import('@google-cloud/pubsub');
  // The project is the topic's, so the client never looks one up.
  const [, projectId = ''] = topic.split('/');
  const client = new PubSub({ projectId, ...options });
  const target = client.topic(topic, {
    gaxOpts: { timeout: PUBLISH_TIMEOUT_MS },
  });
  return new PubsubPublisher(target, topic);
}
