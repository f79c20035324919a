// The trigger-event link for CLI commands: EMBED_TRIGGER_EVENT read as the functions read it, warnings on stderr.
import { EnvReader } from '../shared/config-reader.js';
import type { TriggerLinkOptions } from '../shared/trigger-link.js';
import type { CliIo } from './io.js';

// Single-record mode from the environment (default off); a bad value is a ConfigError (exit 2).
export function cliTriggerLink(
  command: string,
  io: CliIo
): Required<TriggerLinkOptions> {
  const r = new EnvReader(io.env);
  const embed = r.bool('EMBED_TRIGGER_EVENT', false);
  r.check();
  const warn = (message: string) =>
    io.stderr(`tekton-provenance ${command}: warning: ${message}\n`);
  return { embed, warn };
}
