// Publishes one message to the topic it was built for; never sees statements or envelopes.
export interface SignalPublisher {
  // Resolves once the service accepted the message; SignalError SIGNAL_PUBLISH_FAILED otherwise.
  publish(
    data: Buffer,
    attributes: Readonly<Record<string, string>>
  ): Promise<void>;
}
