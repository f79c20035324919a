// Structured JSON log lines that Cloud Logging parses (severity, message, labelled fields); never secrets or payloads.

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';

// The only fields a log line may carry: identities, keys, codes and timings, never bodies or credentials.
export interface LogFields {
  eventId?: string;
  eventType?: string;
  run?: { kind?: string; namespace?: string; name?: string; uid?: string };
  stored?: string[];
  created?: number;
  status?: number;
  code?: string;
  durationMs?: number;
  source?: string;
  store?: string;
  signer?: string;
  formats?: string[];
  port?: number;
  [key: string]: unknown;
}

export interface Logger {
  log(severity: Severity, message: string, fields?: LogFields): void;
}

const MAX_MESSAGE = 500;

// One line per entry on stdout (stderr for WARNING and ERROR), as Cloud Functions forwards both.
export function createJsonLogger(
  write: (line: string, severity: Severity) => void = defaultWrite
): Logger {
  return {
    log(severity, message, fields = {}) {
      const entry = {
        severity,
        message: message.split('\n')[0]?.slice(0, MAX_MESSAGE),
        ...fields,
        'logging.googleapis.com/labels': labelsOf(fields),
      };
      write(JSON.stringify(entry), severity);
    },
  };
}

function labelsOf(fields: LogFields): Record<string, string> {
  const labels: Record<string, string> = {};
  if (fields.eventId) labels.eventId = fields.eventId;
  if (fields.run?.namespace) labels.namespace = fields.run.namespace;
  if (fields.run?.uid) labels.runUid = fields.run.uid;
  return labels;
}

function defaultWrite(line: string, severity: Severity): void {
  const stream =
    severity === 'WARNING' || severity === 'ERROR'
      ? process.stderr
      : process.stdout;
  stream.write(`${line}\n`);
}

// A logger that keeps entries in memory, for tests and for the demo's quiet mode.
export function createMemoryLogger(): Logger & {
  entries: ({ severity: Severity; message: string } & LogFields)[];
} {
  const entries: ({ severity: Severity; message: string } & LogFields)[] = [];
  return {
    entries,
    log(severity, message, fields = {}) {
      entries.push({ severity, message, ...fields });
    },
  };
}
