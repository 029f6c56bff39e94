import type { IngestMetrics } from '../../shared/ingest/ports';
import { counter } from '../telemetry';

const messages = counter('azl.ingest.messages', {
  description:
    'Fedora messages handed to ingest, by outcome (accepted, duplicate, ignored, rejected) and source',
});

/** Ingest outcomes as an OpenTelemetry counter (Application Insights customMetrics when export is on). */
export const otelIngestMetrics: IngestMetrics = {
  count: (outcome, source, amount) => messages.add(amount, { outcome, source }),
};
